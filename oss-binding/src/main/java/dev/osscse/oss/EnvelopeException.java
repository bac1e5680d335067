package dev.osscse.oss;

import java.security.GeneralSecurityException;

/**
 * The client-side encryption envelope of an object is missing, malformed, over a bound or
 * unsupported.
 *
 * <p>The message names the metadata field (for example {@code client-side-encryption-key}) and what
 * is wrong with it, never a value derived from key material. {@link #field()} returns the same name
 * for programmatic use.
 */
public class EnvelopeException extends GeneralSecurityException
    implements OssCseFailure.SecurityFailure {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String bucket; // null when no object is named
  private final String key;

  /**
   * Creates an exception about one envelope field.
   *
   * @param field the metadata key without {@code x-oss-meta-}, or a short description of the field
   * @param problem what is wrong, without secret values
   */
  public EnvelopeException(String field, String problem) {
    this(null, null, field, problem, null);
  }

  /** Same as {@link #EnvelopeException(String, String)} with a non-secret cause. */
  public EnvelopeException(String field, String problem, Throwable cause) {
    this(null, null, field, problem, cause);
  }

  /**
   * An exception about one envelope field of the object {@code bucket/key}, which the message names
   * ({@code field: in oss://bucket/key: problem}).
   */
  public EnvelopeException(String bucket, String key, String field, String problem) {
    this(bucket, key, field, problem, null);
  }

  /** Same as {@link #EnvelopeException(String, String, String, String)} with a non-secret cause. */
  public EnvelopeException(
      String bucket, String key, String field, String problem, Throwable cause) {
    super(
        field + ": " + (bucket == null ? "" : "in oss://" + bucket + "/" + key + ": ") + problem,
        cause);
    this.field = field;
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

  @Override
  public String field() {
    return field;
  }
}
