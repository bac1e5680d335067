package dev.osscse.oss;

import java.util.OptionalLong;

/**
 * The outcome of a completed, verified multipart upload by {@link MultipartUploader} or of a
 * multipart re-upload by {@link ObjectRewrapper}.
 *
 * @param bucket the bucket
 * @param key the object key
 * @param uploadId the upload id used
 * @param etag the completed object's ETag
 * @param size the object size in bytes (plaintext = ciphertext length)
 * @param partCount the number of parts of the object
 * @param resumedPartCount how many of them were already on the server (resume), the rest were
 *     uploaded by this call
 * @param partSize the part size
 * @param crc64 the CRC-64/ECMA of the object's ciphertext, combined from the parts, when known
 * @param envelope the object's envelope (no secret in it)
 * @param partRetries the retries of parts the retry policy spent (transient failures cured)
 */
public record MultipartUploadResult(
    String bucket,
    String key,
    String uploadId,
    String etag,
    long size,
    int partCount,
    int resumedPartCount,
    long partSize,
    OptionalLong crc64,
    Envelope envelope,
    int partRetries) {}
