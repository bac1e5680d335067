package dev.osscse.oss;

import java.security.GeneralSecurityException;

/**
 * A multipart upload was not resumed because it could not be proven to be the caller's own: the
 * resume token is missing or malformed, or the upload as listed differs from what the token was
 * made for.
 *
 * <p>{@link #field()} names what differs: {@code resume token}, {@code upload id}, {@code part
 * size}, {@code data size} or {@code content key} (the listed {@code ClientEncryptionKey} and
 * {@code ClientEncryptionStart} unwrap to a key and IV other than the token's). The message never
 * holds key material. Nothing was uploaded; the upload is neither used nor aborted.
 */
public final class ResumeTokenException extends GeneralSecurityException
    implements OssCseFailure.SecurityFailure {
  private static final long serialVersionUID = 1L;

  private final String field;

  /** Creates the exception about one field. */
  public ResumeTokenException(String field, String problem) {
    super("resume refused, " + field + ": " + problem);
    this.field = field;
  }

  /** The field that is missing, malformed or differs. */
  @Override
  public String field() {
    return field;
  }
}
