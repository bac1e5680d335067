package dev.osscse.oss.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.zip.Checksum;

/**
 * The port through which the binding's core speaks to object storage; {@code aliyun-sdk-oss} is one
 * adapter behind it ({@code dev.osscse.oss.aliyun}). Nothing here names an SDK type.
 *
 * <p>Failures of the store (service errors, network) pass through as the adapter's own unchecked
 * exceptions; {@link #isTransient} says which of them a retry may cure. The one failure the core
 * must recognise, a conditional GET whose {@code If-Match} no longer holds, is {@link
 * ObjectChangedException}.
 */
public interface ObjectStore {
  /**
   * True if retrying the call that threw {@code failure} may succeed (5xx, throttling, network).
   */
  boolean isTransient(Throwable failure);

  /** A HEAD of {@code bucket/key}. */
  Head head(String bucket, String key) throws IOException;

  /**
   * What a HEAD returns.
   *
   * @param contentLength the object's size, or -1 when absent
   * @param etag the ETag, or null
   * @param serverCrc64 the server's CRC-64 of the object, or null
   * @param userMetadata user metadata, keys without {@code x-oss-meta-}
   */
  record Head(
      long contentLength, String etag, Long serverCrc64, Map<String, String> userMetadata) {}

  /**
   * One object to read, as the caller named it: bucket, key and whatever else the caller's request
   * carries (version, conditions, listeners). The request template of every GET of one read.
   */
  interface Source {
    /** The bucket. */
    String bucket();

    /** The object key. */
    String key();

    /**
     * Sends one GET. Ranges are HTTP ranges with standard behaviour (416 past the end): {@code
     * first..last} inclusive, {@code last} -1 for open-ended; {@code first} -1 with {@code last} n
     * for the last n bytes; both -1 for the whole object.
     *
     * @param ifMatch the ETag the object must still have, or null
     * @throws ObjectChangedException if {@code ifMatch} is given and no longer matches
     */
    Reply get(long first, long last, String ifMatch) throws IOException;
  }

  /** A GET response: status headers, the object's user metadata and the body. */
  interface Reply {
    /** {@code Content-Length} of the body, or -1 when absent. */
    long contentLength();

    /** The raw {@code Content-Range} header, or null (a 200 reply). */
    String contentRange();

    /** The object's ETag, or null. */
    String etag();

    /** The server's CRC-64 ({@code x-oss-hash-crc64ecma}) of the whole object, or null. */
    Long serverCrc64();

    /** The object's user metadata, keys without {@code x-oss-meta-}. */
    Map<String, String> userMetadata();

    /** The body. */
    InputStream body();

    /** The CRC-64 (ECMA-182) of every byte read from {@link #body()} so far. */
    Checksum bodyCrc64();

    /**
     * Ends the reply: {@code complete} returns the connection for reuse, otherwise it is aborted
     * without draining. Never throws.
     */
    void close(boolean complete);
  }

  /** A conditional GET failed: the object no longer has the ETag the read started with. */
  final class ObjectChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code cause} is the store's own failure. */
    public ObjectChangedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
