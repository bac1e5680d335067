package dev.osscse.oss;

import java.io.IOException;

/**
 * An upload or download did not verify: the byte count or the CRC-64 of the ciphertext differs from
 * what was expected. Transport integrity only; CTR content has no authenticity.
 */
public class TransferVerificationException extends IOException
    implements OssCseFailure.TransferFailure {
  private static final long serialVersionUID = 1L;

  private final String bucket; // null when no object is named
  private final String key;

  /** Creates the exception with a message naming the check that failed. */
  public TransferVerificationException(String message) {
    this(null, null, message, null);
  }

  /** Creates the exception with a message and the (non-secret) cause. */
  public TransferVerificationException(String message, Throwable cause) {
    this(null, null, message, cause);
  }

  /** An exception about the object {@code bucket/key}: {@code oss://bucket/key: problem}. */
  public TransferVerificationException(String bucket, String key, String problem) {
    this(bucket, key, problem, null);
  }

  /** Same as {@link #TransferVerificationException(String, String, String)} with a cause. */
  public TransferVerificationException(String bucket, String key, String problem, Throwable cause) {
    super(bucket == null ? problem : "oss://" + bucket + "/" + key + ": " + problem, cause);
    this.bucket = bucket;
    this.key = key;
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public String key() {
    return key;
  }
}
