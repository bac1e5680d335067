package dev.osscse.provider;

import java.security.InvalidKeyException;
import java.security.ProviderException;
import javax.crypto.BadPaddingException;
import javax.crypto.IllegalBlockSizeException;

/**
 * The one place where a key service failure becomes the JCA exception a caller expects. Messages
 * are fixed texts; the cause (a {@code KeyServiceException}, whose message carries the service's
 * error code and request id but no secret) is attached so operators can tell throttling from a
 * wrong key. Every unwrap failure has the same type and message whatever happened.
 */
final class KmsErrors {
  /** The message of every unwrap failure. */
  public static final String UNWRAP_FAILED = "unwrap failed";

  /** The message of every wrap failure. */
  public static final String WRAP_FAILED = "wrap failed";

  /** The message of every data key generation failure. */
  public static final String GENERATE_FAILED = "data key generation failed";

  private KmsErrors() {}

  /** For {@code Cipher.unwrap}. */
  static InvalidKeyException unwrapFailed(Exception cause) {
    InvalidKeyException e = new InvalidKeyException(UNWRAP_FAILED);
    e.initCause(scrub(cause));
    return e;
  }

  /** For {@code Cipher.doFinal} in decrypt mode (an IV unwrap); same text as unwrap. */
  static BadPaddingException decryptFailed(Exception cause) {
    BadPaddingException e = new BadPaddingException(UNWRAP_FAILED);
    e.initCause(scrub(cause));
    return e;
  }

  /** For {@code Cipher.wrap} and {@code KmsWrapping}. */
  public static InvalidKeyException wrapFailed(Exception cause) {
    InvalidKeyException e = new InvalidKeyException(WRAP_FAILED);
    e.initCause(scrub(cause));
    return e;
  }

  /** For {@code Cipher.doFinal} in encrypt mode (an IV wrap); same text as wrap. */
  static IllegalBlockSizeException encryptFailed(Exception cause) {
    IllegalBlockSizeException e = new IllegalBlockSizeException(WRAP_FAILED);
    e.initCause(scrub(cause));
    return e;
  }

  /** For {@code KeyGenerator.generateKey}, which cannot throw a checked exception. */
  static ProviderException generateFailed(Exception cause) {
    return new ProviderException(GENERATE_FAILED, scrub(cause));
  }

  /**
   * Keeps key service exceptions (their messages are secret-free by contract) and replaces any
   * other exception, whose message might quote input, with its class name only.
   */
  private static Exception scrub(Exception cause) {
    if (cause instanceof dev.osscse.provider.KeyServiceException) {
      return cause;
    }
    return new IllegalStateException(cause.getClass().getName());
  }
}
