package dev.osscse.oss;

import java.io.IOException;
import java.util.Optional;

/**
 * A multipart upload failed. The cause is the first failure (an SDK exception, an I/O error or a
 * verification failure).
 *
 * <p>If {@link #aborted()} is true, the upload was aborted and no part is left on the server. If
 * false, the upload was kept (the uploader was configured with {@code abortOnFailure(false)}, or
 * the abort itself failed) and {@link #uploadId()} names it, so it can be resumed with {@link
 * MultipartUploader#resume} and the {@link #resumeToken()} or aborted by the caller.
 */
public final class MultipartUploadException extends IOException
    implements OssCseFailure.TransferFailure {
  private static final long serialVersionUID = 1L;

  private final String bucket;
  private final String key;
  private final String uploadId; // may be null when the upload was never initiated
  private final boolean aborted;
  private final transient ResumeToken resumeToken; // null unless kept and resumable

  MultipartUploadException(
      String bucket,
      String key,
      String uploadId,
      boolean aborted,
      ResumeToken resumeToken,
      Throwable cause) {
    super(
        "multipart upload of %s/%s%s failed; the upload was %s: %s"
            .formatted(
                bucket,
                key,
                uploadId == null ? "" : " (upload id " + uploadId + ")",
                aborted ? "aborted" : "kept and can be resumed",
                cause),
        cause);
    this.bucket = bucket;
    this.key = key;
    this.uploadId = uploadId;
    this.aborted = aborted;
    this.resumeToken = aborted ? null : resumeToken;
  }

  @Override
  public String bucket() {
    return bucket;
  }

  @Override
  public String key() {
    return key;
  }

  /** The upload id, when the upload had been initiated. */
  public Optional<String> uploadId() {
    return Optional.ofNullable(uploadId);
  }

  /**
   * The token that {@link MultipartUploader#resume} needs, when the upload was kept (not aborted)
   * and takes plaintext parts. Not serialized.
   */
  public Optional<ResumeToken> resumeToken() {
    return Optional.ofNullable(resumeToken);
  }

  /** True if the upload was aborted (nothing is left on the server). */
  public boolean aborted() {
    return aborted;
  }
}
