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
public class EnvelopeException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates an exception about one envelope field.
   *
   * @param field the metadata key without {@code x-oss-meta-}, or a short description of the field
   * @param problem what is wrong, without secret values
   */
  public EnvelopeException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** Same as {@link #EnvelopeException(String, String)} with a non-secret cause. */
  public EnvelopeException(String field, String problem, Throwable cause) {
    super(field + ": " + problem, cause);
    this.field = field;
  }

  /** Returns the metadata key (without {@code x-oss-meta-}) the problem is about. */
  public String field() {
    return field;
  }
}
