package dev.osscse.provider;

import dev.osscse.provider.internal.selftest.SelfTest;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;

/**
 * Known-answer self-tests for the RSA ciphers, built on the SPIs directly (never through a
 * provider).
 *
 * <p>The key is the 1024-bit test key shared by the official OSS SDKs' test suites (public test
 * data; the SDK vectors in docs/interop.md use it too). The PKCS#1 v1.5 ciphertext is the wrapped
 * IV of the object the OSS C++ SDK wrote (vector V1); the OAEP ciphertexts of the same IV were made
 * with SunJCE. Each method decrypts its known ciphertext, encrypts the IV with fixed padding bytes
 * and compares with a known ciphertext (checked against SunJCE), and checks that a one-bit change
 * fails with the single decrypt message: two private-key operations, one public. The key is parsed
 * once per JVM. Each method returns normally only if every answer is right.
 */
final class RsaKnownAnswers {
  private static final String KEY_PKCS1 =
      "MIICWwIBAAKBgQCokfiAVXXf5ImFzKDw+XO/UByW6mse2QsIgz3ZwBtMNu59fR5z"
          + "ttSx+8fB7vR4CN3bTztrP9A6bjoN0FFnhlQ3vNJC5MFO1PByrE/MNd5AAfSVba93"
          + "I6sx8NSk5MzUCA4NJzAUqYOEWGtGBcom6kEF6MmR1EKib1Id8hpooY5xaQIDAQAB"
          + "AoGAOPUZgkNeEMinrw31U3b2JS5sepG6oDG2CKpPu8OtdZMaAkzEfVTJiVoJpP2Y"
          + "nPZiADhFW3e0ZAnak9BPsSsySRaSNmR465cG9tbqpXFKh9Rp/sCPo4Jq2n65yood"
          + "JBrnGr6/xhYvNa14sQ6xjjfSgRNBSXD1XXNF4kALwgZyCAECQQDV7t4bTx9FbEs5"
          + "36nAxPsPM6aACXaOkv6d9LXI7A0J8Zf42FeBV6RK0q7QG5iNNd1WJHSXIITUizVF"
          + "6aX5NnvFAkEAybeXNOwUvYtkgxF4s28s6gn11c5HZw4/a8vZm2tXXK/QfTQrJVXp"
          + "VwxmSr0FAajWAlcYN/fGkX1pWA041CKFVQJAG08ozzekeEpAuByTIOaEXgZr5MBQ"
          + "gBbHpgZNBl8Lsw9CJSQI15wGfv6yDiLXsH8FyC9TKs+d5Tv4Cvquk0efOQJAd9OC"
          + "lCKFs48hdyaiz9yEDsc57PdrvRFepVdj/gpGzD14mVerJbOiOF6aSV19ot27u4on"
          + "Td/3aifYs0CveHzFPQJAWb4LCDwqLctfzziG7/S7Z74gyq5qZF4FUElOAZkz718E"
          + "yZvADwuz/4aK0od0lX9c4Jp7Mo5vQ4TvdoBnPuGoyw==";
  private static final byte[] IV = HexFormat.of().parseHex("8c3207b09a9bfa6600000000ac1992b4");
  private static final String PKCS1_CT =
      "De/S3T8wFjx7QPxAAFl7h7TeI2EsZlfCwox4WhLGng5DK2vNXxULmulMUUpYkdc9umqmDilgSy5Z3Foafw+v4JJThf"
          + "w68T/9G2gxZLrQTbAlvFPFfPM9Ehk6cY4+8WpY32uN8w5vrHyoSZGr343NxCUGIp6fQ9sSuOLMoJg7hNw=";
  private static final String OAEP_SHA256_CT =
      "VyC8JUUf49Y6TOwCpHDHBycMM01TG5rpy1o6p2Ya+24p5ZFjQQzmC8TINIsulJFdspE1rMebMHYuw7bqLuD6so6+qJ"
          + "Yb1Kcm2MnBrbku6hm88U/FeMep1piZL4JfgE/fKsX1JgYKOEbvYM29c0ZL76DkktgOYFdLkuE6nSEgHGQ=";
  private static final String OAEP_SHA1_CT =
      "LlMMKVFJdGoHNWGT43ze+cazOnKeBj1L+Dc24z7vKiDTX6Fa5mCxAxNKyP+9DwE4R5EC3ZNoW4ps4aFEzszYEbLUe0"
          + "ytDf75mSg/bsLeJ1yss7NMqxAPmaT2MbEmGeajQmaomYvtL2fbbtrw/I8a4ItzmTHMyTuwpxIJd7kfIcA=";

  // The IV encrypted with FixedRandom's padding bytes; each was checked to decrypt to the IV under
  // SunJCE (RSA/ECB/PKCS1Padding, OAEPPadding with SHA-256 and MGF1-SHA-256, OAEP SHA-1).
  private static final String PKCS1_FIXED_CT =
      "hzW3qb65nCAySEn8CFMo7kCyYa57AsXvJBbizpjdk0/kTtBLcHf9/qONLHgSktxtJxIpnnbIZ5HMoGRzRtY7jpL9BB"
          + "GsZ8A/tNSD0ouyw8APmqY00Jl6dkTQ8CGKrlD+7t6n5m2EW/2uR8aJDJNOSZRrGgPGN3BcPke1q7DXhBg=";
  private static final String OAEP_SHA256_FIXED_CT =
      "hEqLhsuCV06qrOj5pL45tcCqQ6X7DovtrNmxSB3Wl9EytsiLuIZ1mLiUu+fIght/es2sbz9iq7+KeUUEBM3DzP1YCO"
          + "g/2MCwhwLIsJGUu8M3kC4bFXbQQk12CGoFv/5RbN4yBxTRz0GiKpwYVOfkHO6RrFeGhE9bC5OSqAzXTR0=";
  private static final String OAEP_SHA1_FIXED_CT =
      "Vx1RdTvot6K8t1RDrCeDCY0d9YRdV4mj64zlq+4VUSFXPxfT37v+PzpQNpB0u51VAHCilxw2Ggtur1KT3GZ0WIYNZJ"
          + "+PvGUe7IXbXKbLzXe4LyCbMpsWYvp3feCFNfXk171pF8arrEzghCF1JBvJdDU6IXfMCjJL85w3P+JCUuI=";

  private RsaKnownAnswers() {}

  /**
   * Each padding's known answer as a self-test check: constants rather than method references, so
   * creating a provider links no lambda and loads no RSA class.
   */
  enum Check implements SelfTest.Check {
    PKCS1_V15,
    OAEP_SHA256,
    OAEP_SHA1;

    @Override
    public void run() throws GeneralSecurityException {
      switch (this) {
        case PKCS1_V15 -> pkcs1V15();
        case OAEP_SHA256 -> oaepSha256();
        case OAEP_SHA1 -> oaepSha1();
      }
    }
  }

  /**
   * RSA/NONE/PKCS1Padding: known decryption, known encryption, uniform failure on a flipped byte.
   */
  public static void pkcs1V15() throws GeneralSecurityException {
    check(
        "RSA PKCS#1 v1.5",
        new RsaPkcs1CipherSpi(),
        new RsaPkcs1CipherSpi(),
        PKCS1_CT,
        PKCS1_FIXED_CT);
  }

  /** RSA/NONE/OAEPWithSHA-256AndMGF1Padding: the same checks. */
  public static void oaepSha256() throws GeneralSecurityException {
    check(
        "RSA OAEP SHA-256",
        new RsaOaepSha256CipherSpi(),
        new RsaOaepSha256CipherSpi(),
        OAEP_SHA256_CT,
        OAEP_SHA256_FIXED_CT);
  }

  /** RSA/NONE/OAEPWithSHA-1AndMGF1Padding: the same checks. */
  public static void oaepSha1() throws GeneralSecurityException {
    check(
        "RSA OAEP SHA-1",
        new RsaOaepSha1CipherSpi(),
        new RsaOaepSha1CipherSpi(),
        OAEP_SHA1_CT,
        OAEP_SHA1_FIXED_CT);
  }

  /**
   * PKCS#8 {@code PrivateKeyInfo} around a PKCS#1 {@code RSAPrivateKey}: version 0, algorithm
   * rsaEncryption with NULL parameters, the key as an OCTET STRING. The JDK reads only PKCS#8.
   */
  static byte[] pkcs8Of(byte[] pkcs1) {
    byte[] versionAndAlgorithm = {
      0x02,
      0x01,
      0x00, // INTEGER 0
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00 // SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }
    };
    byte[] key = der(0x04, pkcs1);
    byte[] body = Arrays.copyOf(versionAndAlgorithm, versionAndAlgorithm.length + key.length);
    System.arraycopy(key, 0, body, versionAndAlgorithm.length, key.length);
    return der(0x30, body);
  }

  /** One DER element with a definite length (at most 65,535 bytes here). */
  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] head =
        n < 0x80
            ? new byte[] {(byte) tag, (byte) n}
            : n < 0x100
                ? new byte[] {(byte) tag, (byte) 0x81, (byte) n}
                : new byte[] {(byte) tag, (byte) 0x82, (byte) (n >>> 8), (byte) n};
    byte[] out = Arrays.copyOf(head, head.length + n);
    System.arraycopy(content, 0, out, head.length, n);
    return out;
  }

  /** The test key, parsed once per JVM on first use and shared by the three answers. */
  private static final class Keys {
    static final RSAPrivateCrtKey PRIVATE;
    static final RSAPublicKey PUBLIC;

    static {
      try {
        KeyFactory kf = KeyFactory.getInstance("RSA");
        PRIVATE =
            (RSAPrivateCrtKey)
                kf.generatePrivate(
                    new PKCS8EncodedKeySpec(pkcs8Of(Base64.getDecoder().decode(KEY_PKCS1))));
        PUBLIC =
            (RSAPublicKey)
                kf.generatePublic(
                    new RSAPublicKeySpec(PRIVATE.getModulus(), PRIVATE.getPublicExponent()));
      } catch (GeneralSecurityException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private Keys() {}
  }

  private static void check(
      String name, RsaCipherSpi dec, RsaCipherSpi enc, String ciphertext, String fixedCiphertext)
      throws GeneralSecurityException {
    RSAPrivateCrtKey priv = Keys.PRIVATE;
    RSAPublicKey pub = Keys.PUBLIC;
    byte[] ct = Base64.getDecoder().decode(ciphertext);

    dec.engineInit(Cipher.DECRYPT_MODE, priv, (AlgorithmParameterSpec) null, new FixedRandom());
    expect(name + " known-answer decrypt", Arrays.equals(dec.engineDoFinal(ct, 0, ct.length), IV));

    // Encryption with fixed padding bytes: a known answer from the public operation alone, so the
    // test needs only two private-key operations (the slow part of a cold JVM's first use).
    enc.engineInit(
        Cipher.ENCRYPT_MODE,
        pub,
        RsaWrapParameterSpec.insecureMinimumWriteModulusBits(1024),
        new FixedRandom());
    byte[] fresh = enc.engineDoFinal(IV, 0, IV.length);
    expect(
        name + " known-answer encrypt",
        Arrays.equals(fresh, Base64.getDecoder().decode(fixedCiphertext)));

    ct[ct.length - 1] ^= 1;
    try {
      dec.engineDoFinal(ct, 0, ct.length);
      expect(name + " rejects a tampered ciphertext", false);
    } catch (BadPaddingException e) {
      expect(
          name + " failure message",
          RsaCipherSpi.DECRYPTION_FAILED.equals(e.getMessage()) && e.getCause() == null);
    }
  }

  /**
   * Padding bytes 1, 2, ..., 255, 1, 2, ... (never zero, as PKCS#1 v1.5 padding needs), the same in
   * every instance: for the known-answer encryption only.
   */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    FixedRandom() {
      super(new FixedRandomSpi(), null);
    }
  }

  private static final class FixedRandomSpi extends SecureRandomSpi {
    private static final long serialVersionUID = 1L;
    private int next;

    @Override
    protected void engineSetSeed(byte[] seed) {
      // fixed output: seeds are ignored
    }

    @Override
    protected void engineNextBytes(byte[] bytes) {
      for (int i = 0; i < bytes.length; i++) {
        next = next % 255 + 1;
        bytes[i] = (byte) next;
      }
    }

    @Override
    protected byte[] engineGenerateSeed(int numBytes) {
      byte[] b = new byte[numBytes];
      engineNextBytes(b);
      return b;
    }
  }

  private static void expect(String what, boolean ok) throws GeneralSecurityException {
    if (!ok) {
      throw new GeneralSecurityException("self-test failed: " + what);
    }
  }
}
