package dev.osscse.oss;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One uploaded part of a multipart upload.
 *
 * @param partNumber 1..10000
 * @param etag the part's ETag as the server returned it
 * @param size the part's length in bytes (ciphertext length = plaintext length)
 * @param crc64 the CRC-64/ECMA of the part's ciphertext, when known (it is absent only for parts
 *     listed by a server that does not report {@code HashCrc64ecma})
 */
public record UploadedPart(int partNumber, String etag, long size, OptionalLong crc64) {
  /** Validates the values. */
  public UploadedPart {
    if (partNumber < 1 || partNumber > 10_000) {
      throw new IllegalArgumentException("partNumber must be 1..10000, got " + partNumber);
    }
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(crc64, "crc64");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
  }
}
