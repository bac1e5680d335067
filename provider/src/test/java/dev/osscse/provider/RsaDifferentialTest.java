package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.Provider;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Differential tests against SunJCE and Bouncy Castle (an unregistered instance): random keys and
 * messages, each direction (we encrypt, they decrypt; they encrypt, we decrypt).
 */
class RsaDifferentialTest {
  private static final Provider SUN_JCE = Security.getProvider("SunJCE");
  private static final Provider BC = new BouncyCastleProvider();
  private static final int ROUNDS = 12;

  @ParameterizedTest(name = "{0} vs {1} {2}")
  @CsvSource({
    "RSA/NONE/PKCS1Padding, SunJCE, RSA/ECB/PKCS1Padding, NONE, 2048",
    "RSA/NONE/PKCS1Padding, BC, RSA/NONE/PKCS1Padding, NONE, 3072",
    "RSA/NONE/OAEPWithSHA-256AndMGF1Padding, SunJCE, RSA/ECB/OAEPPadding, SHA-256, 2048",
    "RSA/NONE/OAEPWithSHA-256AndMGF1Padding, BC, RSA/NONE/OAEPWithSHA-256AndMGF1Padding, SHA-256,"
        + " 3072",
    "RSA/NONE/OAEPWithSHA-1AndMGF1Padding, SunJCE, RSA/ECB/OAEPPadding, SHA-1, 2048",
    "RSA/NONE/OAEPWithSHA-1AndMGF1Padding, BC, RSA/NONE/OAEPWithSHA-1AndMGF1Padding, SHA-1, 3072"
  })
  void bothDirections_randomMessages_agreeWithOtherProvider(
      String ours, String providerName, String theirs, String oaepDigest, int bits)
      throws Exception {
    Provider other = providerName.equals("BC") ? BC : SUN_JCE;
    KeyPair kp = RsaTestKeys.pair(bits, 0);
    int k = (bits + 7) / 8;
    int hLen = oaepDigest.equals("SHA-256") ? 32 : 20;
    int max = oaepDigest.equals("NONE") ? k - 11 : k - 2 * hLen - 2;
    Random rnd = new Random(bits * 31L + ours.hashCode());
    Cipher us = Cipher.getInstance(ours, RsaTestProvider.INSTANCE);
    Cipher them = Cipher.getInstance(theirs, other);
    for (int round = 0; round < ROUNDS; round++) {
      byte[] msg = new byte[round == 0 ? max : round == 1 ? 0 : rnd.nextInt(max + 1)];
      rnd.nextBytes(msg);
      byte[] label = new byte[round % 3 == 2 && !oaepDigest.equals("NONE") ? 1 + round : 0];
      rnd.nextBytes(label);
      AlgorithmParameterSpec params = params(oaepDigest, label);

      us.init(Cipher.ENCRYPT_MODE, kp.getPublic(), params);
      byte[] ct = us.doFinal(msg);
      assertThat(ct).hasSize(k);
      them.init(Cipher.DECRYPT_MODE, kp.getPrivate(), params);
      assertThat(them.doFinal(ct)).as("round %d, they decrypt", round).isEqualTo(msg);

      them.init(Cipher.ENCRYPT_MODE, kp.getPublic(), params);
      byte[] ct2 = them.doFinal(msg);
      us.init(Cipher.DECRYPT_MODE, kp.getPrivate(), params);
      assertThat(us.doFinal(ct2)).as("round %d, we decrypt", round).isEqualTo(msg);
    }
  }

  private static AlgorithmParameterSpec params(String digest, byte[] label) {
    if (digest.equals("NONE")) {
      return null;
    }
    MGF1ParameterSpec mgf1 =
        digest.equals("SHA-256") ? MGF1ParameterSpec.SHA256 : MGF1ParameterSpec.SHA1;
    return new OAEPParameterSpec(digest, "MGF1", mgf1, new PSource.PSpecified(label));
  }
}
