package dev.osscse.oss;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An encrypted multipart upload in progress, as {@link MultipartUploader#listUploads} finds it.
 * Every value comes from the server (unverified): resuming it still needs its {@link ResumeToken}.
 *
 * @param key the object key
 * @param uploadId the upload id
 * @param initiated when the server says the upload was initiated, or null if it gives no time
 * @param partSize the listed {@code ClientEncryptionPartSize}
 * @param dataSize the listed {@code ClientEncryptionDataSize}, when the upload records one
 */
public record PendingUpload(
    String key, String uploadId, Instant initiated, long partSize, OptionalLong dataSize) {
  /** Checks the values. */
  public PendingUpload {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(uploadId, "uploadId");
    Objects.requireNonNull(dataSize, "dataSize");
  }
}
