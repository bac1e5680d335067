package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour of the RSA ciphers: round trips, uniform failure, key-size policy, parameters. */
class RsaCipherSpiTest {
  static final List<String> TRANSFORMATIONS =
      List.of(
          RsaPkcs1CipherSpi.TRANSFORMATION,
          RsaOaepSha256CipherSpi.TRANSFORMATION,
          RsaOaepSha1CipherSpi.TRANSFORMATION);

  private static Cipher cipher(String transformation) throws Exception {
    return Cipher.getInstance(transformation, RsaTestProvider.INSTANCE);
  }

  private static KeyPair k2048() {
    return RsaTestKeys.pair(2048);
  }

  // ---- round trips ---------------------------------------------------------------------------

  @Property(tries = 60)
  void wrapUnwrap_anyAesKey_roundTrips(
      @ForAll @IntRange(min = 0, max = 2) int t,
      @ForAll @Size(min = 32, max = 32) byte[] keyBytes,
      @ForAll @IntRange(min = 0, max = 2) int lengthChoice)
      throws Exception {
    int len = 16 + 8 * lengthChoice;
    SecretKey cek = new SecretKeySpec(keyBytes, 0, len, "AES");
    Cipher c = cipher(TRANSFORMATIONS.get(t));
    c.init(Cipher.WRAP_MODE, k2048().getPublic());
    byte[] wrapped = c.wrap(cek);
    assertThat(wrapped).hasSize(256);
    c.init(Cipher.UNWRAP_MODE, k2048().getPrivate());
    Key back = c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    assertThat(back.getAlgorithm()).isEqualTo("AES");
    assertThat(back.getEncoded()).isEqualTo(cek.getEncoded());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "RSA/NONE/PKCS1Padding",
        "RSA/NONE/OAEPWithSHA-256AndMGF1Padding",
        "RSA/NONE/OAEPWithSHA-1AndMGF1Padding"
      })
  void encryptDecrypt_ivInChunks_roundTrips(String transformation) throws Exception {
    byte[] iv = new byte[16];
    new Random(7).nextBytes(iv);
    Cipher c = cipher(transformation);
    c.init(Cipher.ENCRYPT_MODE, k2048().getPublic());
    assertThat(c.update(iv, 0, 5)).isEmpty();
    byte[] ct = c.doFinal(iv, 5, 11);
    assertThat(ct).hasSize(256);
    c.init(Cipher.DECRYPT_MODE, k2048().getPrivate());
    c.update(ct, 0, 100);
    byte[] out = new byte[256];
    int n = c.doFinal(ct, 100, 156, out, 0);
    assertThat(Arrays.copyOf(out, n)).isEqualTo(iv);
    // The cipher is reusable after doFinal, with the same key.
    assertThat(c.doFinal(ct)).isEqualTo(iv);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "RSA/NONE/PKCS1Padding",
        "RSA/NONE/OAEPWithSHA-256AndMGF1Padding",
        "RSA/NONE/OAEPWithSHA-1AndMGF1Padding"
      })
  void encrypt_maximumAndOversizedMessage_acceptsThenRefuses(String transformation)
      throws Exception {
    int max =
        transformation.contains("PKCS1") ? 256 - 11 : transformation.contains("256") ? 190 : 214;
    Cipher c = cipher(transformation);
    c.init(Cipher.ENCRYPT_MODE, k2048().getPublic());
    byte[] m = new byte[max];
    Arrays.fill(m, (byte) 0x5a);
    byte[] ct = c.doFinal(m);
    c.init(Cipher.DECRYPT_MODE, k2048().getPrivate());
    assertThat(c.doFinal(ct)).isEqualTo(m);
    c.init(Cipher.ENCRYPT_MODE, k2048().getPublic());
    assertThatThrownBy(() -> c.doFinal(new byte[max + 1]))
        .isInstanceOf(IllegalBlockSizeException.class)
        .hasMessageContaining((max + 1) + " bytes")
        .hasMessageContaining(max + "-byte maximum");
  }

  @Test
  void decrypt_emptyMessage_roundTrips() throws Exception {
    for (String t : TRANSFORMATIONS) {
      Cipher c = cipher(t);
      c.init(Cipher.ENCRYPT_MODE, k2048().getPublic());
      byte[] ct = c.doFinal(new byte[0]);
      c.init(Cipher.DECRYPT_MODE, k2048().getPrivate());
      assertThat(c.doFinal(ct)).as(t).isEmpty();
      // An empty key is not a key: unwrap fails the same way as any other failure.
      c.init(Cipher.UNWRAP_MODE, k2048().getPrivate());
      assertThatThrownBy(() -> c.unwrap(ct, "AES", Cipher.SECRET_KEY))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessage("unwrap failed");
    }
  }

  // ---- uniform failure -----------------------------------------------------------------------

  @Property(tries = 60)
  void decryptAndUnwrap_randomTampering_failUniformly(
      @ForAll @IntRange(min = 0, max = 2) int t,
      @ForAll @IntRange(min = 0, max = 255) int position,
      @ForAll @IntRange(min = 1, max = 255) int xor,
      @ForAll @IntRange(min = 0, max = 3) int shape)
      throws Exception {
    String transformation = TRANSFORMATIONS.get(t);
    Cipher c = cipher(transformation);
    c.init(Cipher.WRAP_MODE, k2048().getPublic());
    byte[] cek = new byte[32];
    new Random(position * 31L + xor).nextBytes(cek);
    byte[] wrapped = c.wrap(new SecretKeySpec(cek, "AES"));
    byte[] bad =
        switch (shape) {
          case 0 -> flip(wrapped, position, xor); // tampered content
          case 1 -> Arrays.copyOf(wrapped, 255 - position % 200); // truncated
          case 2 -> concat(wrapped, new byte[1 + position % 3]); // appended
          default -> concat(new byte[1 + position % 3], wrapped); // prepended zeros
        };
    c.init(Cipher.UNWRAP_MODE, k2048().getPrivate());
    Key unwrapped = null;
    try {
      unwrapped = c.unwrap(bad, "AES", Cipher.SECRET_KEY);
    } catch (InvalidKeyException e) {
      assertUniformUnwrapFailure(e);
    }
    // A tampered PKCS#1 block may, rarely, still carry valid padding; it then yields another key.
    if (unwrapped != null) {
      assertThat(unwrapped.getEncoded()).isNotEqualTo(cek);
    }
    c.init(Cipher.DECRYPT_MODE, k2048().getPrivate());
    try {
      assertThat(c.doFinal(bad)).isNotEqualTo(cek);
    } catch (BadPaddingException e) {
      assertUniformDecryptFailure(e);
    }
  }

  @Test
  void decrypt_wrongPrivateKey_failsUniformly() throws Exception {
    KeyPair other = RsaTestKeys.pair(2049);
    for (String t : TRANSFORMATIONS) {
      Cipher c = cipher(t);
      c.init(Cipher.ENCRYPT_MODE, k2048().getPublic());
      byte[] ct = c.doFinal(new byte[16]);
      // Same modulus length, different key.
      KeyPair same = anotherPair2048();
      c.init(Cipher.DECRYPT_MODE, same.getPrivate());
      assertThatThrownBy(() -> c.doFinal(ct))
          .satisfies(e -> assertUniformDecryptFailure((Exception) e));
      c.init(Cipher.UNWRAP_MODE, same.getPrivate());
      assertThatThrownBy(() -> c.unwrap(ct, "AES", Cipher.SECRET_KEY))
          .satisfies(e -> assertUniformUnwrapFailure((Exception) e));
      // Different modulus length: the ciphertext length is wrong.
      c.init(Cipher.DECRYPT_MODE, other.getPrivate());
      assertThatThrownBy(() -> c.doFinal(ct))
          .satisfies(e -> assertUniformDecryptFailure((Exception) e));
    }
  }

  private static KeyPair anotherPair2048() {
    return RsaTestKeys.pair(2048, 1);
  }

  @Test
  void unwrap_aesKeyOfBadLength_failsUniformly() throws Exception {
    Cipher c = cipher(RsaPkcs1CipherSpi.TRANSFORMATION);
    c.init(Cipher.WRAP_MODE, k2048().getPublic());
    byte[] wrapped = c.wrap(new SecretKeySpec(new byte[20], "HmacSHA1"));
    c.init(Cipher.UNWRAP_MODE, k2048().getPrivate());
    assertThatThrownBy(() -> c.unwrap(wrapped, "AES", Cipher.SECRET_KEY))
        .satisfies(e -> assertUniformUnwrapFailure((Exception) e));
    assertThat(c.unwrap(wrapped, "HmacSHA1", Cipher.SECRET_KEY).getEncoded()).hasSize(20);
  }

  @Test
  void unwrap_publicOrPrivateKeyType_isRefusedUpFront() throws Exception {
    Cipher c = cipher(RsaPkcs1CipherSpi.TRANSFORMATION);
    c.init(Cipher.UNWRAP_MODE, k2048().getPrivate());
    assertThatThrownBy(() -> c.unwrap(new byte[256], "RSA", Cipher.PRIVATE_KEY))
        .isInstanceOf(NoSuchAlgorithmException.class)
        .hasMessageContaining("only Cipher.SECRET_KEY");
  }

  static void assertUniformDecryptFailure(Exception e) {
    assertThat(e).isExactlyInstanceOf(BadPaddingException.class);
    assertThat(e).hasMessage(RsaCipherSpi.DECRYPTION_FAILED).hasNoCause();
  }

  static void assertUniformUnwrapFailure(Exception e) {
    assertThat(e).isExactlyInstanceOf(InvalidKeyException.class);
    assertThat(e).hasMessage(RsaCipherSpi.UNWRAP_FAILED).hasNoCause();
  }

  private static byte[] flip(byte[] b, int position, int xor) {
    byte[] c = b.clone();
    c[position % c.length] ^= (byte) xor;
    return c;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  // ---- key-size policy ------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {Cipher.ENCRYPT_MODE, Cipher.WRAP_MODE})
  void writeInit_1024BitKey_isRefusedNamingTheSize(int mode) throws Exception {
    for (String t : TRANSFORMATIONS) {
      Cipher c = cipher(t);
      assertThatThrownBy(() -> c.init(mode, RsaTestKeys.pair(1024).getPublic()))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessage(
              "RSA modulus of 1024 bits is below the 2048-bit minimum for encrypt and wrap"
                  + " (RsaWrapParameterSpec.insecureMinimumWriteModulusBits lowers it)");
    }
  }

  @Test
  void writeInit_1024BitKeyWithExplicitPolicy_isAcceptedAndReadable() throws Exception {
    KeyPair kp = RsaTestKeys.pair(1024);
    for (String t : TRANSFORMATIONS) {
      Cipher c = cipher(t);
      c.init(
          Cipher.WRAP_MODE,
          kp.getPublic(),
          RsaWrapParameterSpec.insecureMinimumWriteModulusBits(1024));
      byte[] wrapped = c.wrap(new SecretKeySpec(new byte[32], "AES"));
      assertThat(wrapped).hasSize(128);
      // Reading accepts 1024 bits without any policy object.
      c.init(Cipher.UNWRAP_MODE, kp.getPrivate());
      assertThat(c.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded()).hasSize(32);
    }
  }

  @Test
  void anyInit_modulusUnder1024Bits_isRefusedEvenWithPolicy() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
    g.initialize(768);
    KeyPair small = g.generateKeyPair();
    Cipher c = cipher(RsaPkcs1CipherSpi.TRANSFORMATION);
    String msg = "RSA modulus of 768 bits is below the 1024-bit minimum";
    assertThatThrownBy(() -> c.init(Cipher.DECRYPT_MODE, small.getPrivate()))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(msg);
    assertThatThrownBy(() -> c.init(Cipher.UNWRAP_MODE, small.getPrivate()))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(msg);
    assertThatThrownBy(
            () ->
                c.init(
                    Cipher.ENCRYPT_MODE,
                    small.getPublic(),
                    RsaWrapParameterSpec.insecureMinimumWriteModulusBits(1024)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(msg);
    assertThatThrownBy(() -> RsaWrapParameterSpec.insecureMinimumWriteModulusBits(768))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("768");
  }

  @Test
  void writeInit_policyAbove2048_isEnforced() throws Exception {
    Cipher c = cipher(RsaOaepSha256CipherSpi.TRANSFORMATION);
    assertThatThrownBy(
            () ->
                c.init(
                    Cipher.ENCRYPT_MODE,
                    k2048().getPublic(),
                    RsaWrapParameterSpec.insecureMinimumWriteModulusBits(3072)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("2048 bits is below the 3072-bit minimum");
  }

  // ---- keys and parameters -------------------------------------------------------------------

  @Test
  void init_wrongKeyKindForMode_isRefused() throws Exception {
    Cipher c = cipher(RsaPkcs1CipherSpi.TRANSFORMATION);
    assertThatThrownBy(() -> c.init(Cipher.ENCRYPT_MODE, k2048().getPrivate()))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("need an RSAPublicKey");
    assertThatThrownBy(() -> c.init(Cipher.UNWRAP_MODE, k2048().getPublic()))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("need an RSAPrivateKey");
    assertThatThrownBy(() -> c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(new byte[16], "AES")))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("AES key");
  }

  @Test
  void init_oaepSpecWithOtherMgf1Digest_isRefused() throws Exception {
    Cipher c = cipher(RsaOaepSha256CipherSpi.TRANSFORMATION);
    OAEPParameterSpec sunDefault =
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
    assertThatThrownBy(() -> c.init(Cipher.ENCRYPT_MODE, k2048().getPublic(), sunDefault))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("MGF1 digest SHA-1")
        .hasMessageContaining("MGF1 with SHA-256");
    OAEPParameterSpec sha1 =
        new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
    assertThatThrownBy(() -> c.init(Cipher.ENCRYPT_MODE, k2048().getPublic(), sha1))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("digest SHA-1 does not match");
    Cipher p = cipher(RsaPkcs1CipherSpi.TRANSFORMATION);
    assertThatThrownBy(() -> p.init(Cipher.ENCRYPT_MODE, k2048().getPublic(), sha1))
        .isInstanceOf(InvalidAlgorithmParameterException.class);
  }

  @Test
  void oaep_labelThroughSpec_mustMatchOnDecrypt() throws Exception {
    OAEPParameterSpec label =
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(new byte[] {1, 2}));
    Cipher c = cipher(RsaOaepSha256CipherSpi.TRANSFORMATION);
    c.init(
        Cipher.ENCRYPT_MODE,
        k2048().getPublic(),
        RsaWrapParameterSpec.defaults().withOaepParameters(label));
    byte[] ct = c.doFinal(new byte[] {9});
    c.init(Cipher.DECRYPT_MODE, k2048().getPrivate(), label);
    assertThat(c.doFinal(ct)).containsExactly(9);
    c.init(Cipher.DECRYPT_MODE, k2048().getPrivate());
    assertThatThrownBy(() -> c.doFinal(ct))
        .satisfies(e -> assertUniformDecryptFailure((Exception) e));
  }

  @Test
  void init_oaepSpecWithDigestAliases_isAcceptedAndReportedCanonically() throws Exception {
    Cipher c = cipher(RsaOaepSha1CipherSpi.TRANSFORMATION);
    OAEPParameterSpec aliases =
        new OAEPParameterSpec(
            "SHA", "MGF1", new MGF1ParameterSpec("SHA1"), new PSource.PSpecified(new byte[] {7}));
    c.init(Cipher.ENCRYPT_MODE, k2048().getPublic(), aliases);
    OAEPParameterSpec reported = c.getParameters().getParameterSpec(OAEPParameterSpec.class);
    assertThat(reported.getDigestAlgorithm()).isEqualTo("SHA-1");
    assertThat(((PSource.PSpecified) reported.getPSource()).getValue()).containsExactly(7);
    byte[] ct = c.doFinal(new byte[] {1, 2, 3});
    c.init(Cipher.DECRYPT_MODE, k2048().getPrivate(), c.getParameters());
    assertThat(c.doFinal(ct)).containsExactly(1, 2, 3);
  }

  @Test
  void getParameters_oaepSha256_reportsMgf1Sha256() throws Exception {
    Cipher c = cipher(RsaOaepSha256CipherSpi.TRANSFORMATION);
    c.init(Cipher.ENCRYPT_MODE, k2048().getPublic());
    AlgorithmParameters params = c.getParameters();
    OAEPParameterSpec spec = params.getParameterSpec(OAEPParameterSpec.class);
    assertThat(spec.getDigestAlgorithm()).isEqualTo("SHA-256");
    assertThat(((MGF1ParameterSpec) spec.getMGFParameters()).getDigestAlgorithm())
        .isEqualTo("SHA-256");
    Cipher p = cipher(RsaPkcs1CipherSpi.TRANSFORMATION);
    p.init(Cipher.ENCRYPT_MODE, k2048().getPublic());
    assertThat(p.getParameters()).isNull();
    assertThat(p.getOutputSize(5)).isEqualTo(256);
    assertThat(p.getBlockSize()).isZero();
  }

  @Test
  void doFinal_outputBufferSmallerThanModulus_throwsShortBufferBeforeDecrypting() throws Exception {
    Cipher c = cipher(RsaPkcs1CipherSpi.TRANSFORMATION);
    c.init(Cipher.ENCRYPT_MODE, k2048().getPublic());
    byte[] ct = c.doFinal(new byte[16]);
    c.init(Cipher.DECRYPT_MODE, k2048().getPrivate());
    assertThatThrownBy(() -> c.doFinal(ct, 0, ct.length, new byte[255], 0))
        .isInstanceOf(ShortBufferException.class)
        .hasMessageContaining("256 bytes");
    // Nothing was consumed: the same call with room succeeds.
    byte[] out = new byte[256];
    assertThat(c.doFinal(ct, 0, ct.length, out, 0)).isEqualTo(16);
  }
}
