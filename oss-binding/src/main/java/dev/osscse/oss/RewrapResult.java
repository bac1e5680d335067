package dev.osscse.oss;

import java.util.OptionalLong;

/**
 * The outcome of {@link ObjectRewrapper#rewrap}.
 *
 * @param bucket the bucket
 * @param key the object key
 * @param etag the rewritten object's ETag
 * @param size the object size (unchanged)
 * @param multipart true if the ciphertext was re-uploaded in parts
 * @param crc64 the CRC-64/ECMA of the ciphertext, identical before and after, when known
 * @param previous the envelope before (wrapped under the old master key)
 * @param current the envelope now (wrapped under the new master key)
 */
public record RewrapResult(
    String bucket,
    String key,
    String etag,
    long size,
    boolean multipart,
    OptionalLong crc64,
    Envelope previous,
    Envelope current) {}
