package dev.osscse.oss;

import java.io.IOException;

/**
 * An upload or download did not verify: the byte count or the CRC-64 of the ciphertext differs from
 * what was expected. Transport integrity only; CTR content has no authenticity.
 */
public class TransferVerificationException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the check that failed. */
  public TransferVerificationException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the (non-secret) cause. */
  public TransferVerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
