package dev.osscse.provider.internal.wrap;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;

/**
 * The bare RSA function (RFC 8017 RSAEP / RSADP) taken from SunJCE's {@code RSA/ECB/NoPadding}.
 *
 * <p>SunJCE blinds private-key operations and checks CRT results; all padding is done by this
 * package. Not thread-safe.
 */
public final class RsaRawPrimitive {
  public static final String SUN_JCE = "SunJCE";
  private static final String RAW_TRANSFORMATION = "RSA/ECB/NoPadding";

  private final Cipher raw;

  /**
   * SunJCE, looked up once per JVM at first use (the search costs microseconds); null if absent.
   */
  private static final class SunJce {
    static final Provider PROVIDER = Security.getProvider(SUN_JCE);

    private SunJce() {}
  }

  public RsaRawPrimitive() {
    Provider sunJce = SunJce.PROVIDER;
    if (sunJce == null) {
      throw new ProviderException("the SunJCE provider, needed for raw RSA, is not installed");
    }
    try {
      raw = Cipher.getInstance(RAW_TRANSFORMATION, sunJce);
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new ProviderException("SunJCE offers no " + RAW_TRANSFORMATION, e);
    }
  }

  public void initPublic(RSAPublicKey key, SecureRandom random) throws InvalidKeyException {
    raw.init(Cipher.ENCRYPT_MODE, key, random);
  }

  public void initPrivate(RSAPrivateKey key, SecureRandom random) throws InvalidKeyException {
    raw.init(Cipher.DECRYPT_MODE, key, random);
  }

  /** Applies the public-key operation to a {@code k}-byte encoded block. */
  public byte[] publicOp(byte[] em) throws GeneralSecurityException {
    return raw.doFinal(em);
  }

  /**
   * Applies the private-key operation to a ciphertext of exactly {@code k} bytes.
   *
   * @return the {@code k}-byte block, or {@code null} on any failure (for example {@code c >= n})
   */
  public byte[] privateOpOrNull(byte[] c) {
    try {
      return raw.doFinal(c);
    } catch (GeneralSecurityException | RuntimeException e) {
      // Deliberately dropped: every failure must look the same to the caller. The only causes are
      // properties of the public ciphertext (c >= n) or of the key, never of the padding.
      return null;
    }
  }
}
