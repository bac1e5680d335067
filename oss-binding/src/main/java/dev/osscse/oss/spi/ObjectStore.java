package dev.osscse.oss.spi;

import dev.osscse.oss.internal.Crc64;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.Checksum;

/**
 * The storage SPI of the binding: everything the encryption core asks of object storage, and the
 * contract a storage adapter implements ({@code dev.osscse.oss.aliyun.AliyunObjectStore} over
 * {@code aliyun-sdk-oss} 3.x; the OSS Java SDK V2 adapter in its own module). Nothing here names an
 * SDK type.
 *
 * <p><b>Security guarantees:</b> none of its own. The core encrypts before {@link #put} and {@link
 * #uploadPart} and checks every reply (Content-Range, ETag, lengths, CRC-64) after {@link
 * Source#get}; an adapter only carries bytes and headers, and reports what the server said.
 *
 * <p><b>Restrictions / failure behaviour:</b> failures of the store (service errors, network) pass
 * through as the adapter's own unchecked exceptions; {@link #isTransient} says which of them a
 * retry may cure. The one failure the core must recognise, a conditional GET whose {@code If-Match}
 * no longer holds, is {@link ObjectChangedException}; an adapter that checks the CRC-64 of the
 * bodies it sends reports a mismatch as {@link BodyCrcMismatchException}.
 *
 * <pre>{@code
 * ObjectStore store = new AliyunObjectStore(ossClient);
 * ObjectStore.Head head = store.head("bucket", "key");
 * }</pre>
 */
public interface ObjectStore {
  /**
   * True if retrying the call that threw {@code failure} may succeed (5xx, throttling, network).
   */
  boolean isTransient(Throwable failure);

  /** True if {@code failure} is an error answer of the store (not a failure to reach it). */
  boolean isServiceError(Throwable failure);

  /**
   * True if {@code failure} says the object does not exist (OSS {@code NoSuchKey}); false by
   * default, for an adapter that cannot tell (the core then treats the failure as any other).
   */
  default boolean isNotFound(Throwable failure) {
    return false;
  }

  /** The object {@code bucket/key} to read: its GETs carry no condition of the caller's own. */
  Source source(String bucket, String key);

  /** A HEAD of {@code bucket/key}. */
  Head head(String bucket, String key) throws IOException;

  /**
   * What a HEAD returns.
   *
   * @param contentLength the object's size, or -1 when absent
   * @param etag the ETag, or null
   * @param serverCrc64 the server's CRC-64 of the object, or null
   * @param userMetadata user metadata, keys without {@code x-oss-meta-}
   * @param headers the reply's other headers (Content-Type, Cache-Control...)
   */
  record Head(
      long contentLength,
      String etag,
      Long serverCrc64,
      Map<String, String> userMetadata,
      Map<String, Object> headers) {}

  /** Deletes {@code bucket/key} (no error if it is absent). */
  void delete(String bucket, String key);

  /**
   * Outgoing metadata of a put or an initiate.
   *
   * @param headers HTTP headers ({@code Content-Type}, {@code Cache-Control}, ...) as the caller
   *     set them
   * @param user user metadata, keys without {@code x-oss-meta-}
   */
  record Metadata(Map<String, Object> headers, Map<String, String> user) {}

  /**
   * What the store answered to a body sent (an object or a part).
   *
   * @param etag the ETag, or null
   * @param serverCrc64 the server's CRC-64 of what it stored, or null
   * @param sentCrc64 the CRC-64 the adapter computed over the body it sent, or null (see {@link
   *     #computesBodyCrc})
   * @param result the adapter's own answer, for an API that returns it; never inspected by the core
   */
  record Written(String etag, Long serverCrc64, Long sentCrc64, Object result) {}

  /**
   * True when the adapter computes the CRC-64 of every body it sends ({@link Written#sentCrc64}):
   * the core then computes none of its own.
   */
  boolean computesBodyCrc();

  /**
   * A new CRC-64 (ECMA-182, as {@code x-oss-hash-crc64ecma}); by default the binding's own, the
   * values of the OSS SDKs' {@code CRC64} at about twice their rate.
   */
  default Checksum newCrc64() {
    return new Crc64();
  }

  /** The CRC-64 of {@code a} followed by {@code b}, {@code b} being {@code lengthB} bytes long. */
  default long combineCrc64(long crcA, long crcB, long lengthB) {
    return Crc64.combine(crcA, crcB, lengthB);
  }

  /**
   * PUTs one object.
   *
   * @param body the body; one whose {@code markSupported()} is false must not be resent by the
   *     adapter or its SDK (the core retries it, through its {@code RetryPolicy}); one that
   *     supports {@code mark}/{@code reset} may be
   * @param length the body's exact length, or -1 when unknown (sent chunked)
   * @throws BodyCrcMismatchException if the adapter's own CRC-64 check of the body failed after the
   *     object was stored
   */
  Written put(String bucket, String key, Metadata metadata, InputStream body, long length)
      throws IOException;

  /** Initiates a multipart upload and returns its id. */
  String initiateMultipart(String bucket, String key, Metadata metadata);

  /**
   * Uploads part {@code partNumber} of exactly {@code length} bytes; {@code body} is resent only if
   * it supports {@code mark}/{@code reset}, as for {@link #put}.
   *
   * @param headers extra request headers (the envelope's {@code x-oss-meta-client-side-*})
   * @throws BodyCrcMismatchException if the adapter's own CRC-64 check of the body failed
   */
  Written uploadPart(
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      Map<String, String> headers,
      InputStream body,
      long length)
      throws IOException;

  /** Completes a multipart upload with {@code parts}, in part-number order. */
  Written completeMultipart(
      String bucket, String key, String uploadId, List<ListPartsReader.Part> parts)
      throws IOException;

  /** Aborts a multipart upload: the server discards its parts. */
  void abortMultipart(String bucket, String key, String uploadId);

  /** Every part of an upload, and its {@code ClientEncryption*} fields (ListParts). */
  ListPartsReader.Listing listParts(String bucket, String key, String uploadId) throws IOException;

  /**
   * The {@code ClientEncryption*} fields of an upload alone, as user-metadata keys; empty when it
   * is not client-side encrypted.
   */
  Map<String, String> uploadFields(String bucket, String key, String uploadId) throws IOException;

  /**
   * One page of ListMultipartUploads under {@code prefix}.
   *
   * @param keyMarker the key marker of the page, or null for the first
   * @param idMarker the upload-id marker of the page, or null for the first
   */
  UploadPage listUploads(String bucket, String prefix, String keyMarker, String idMarker)
      throws IOException;

  /** An unfinished upload as ListMultipartUploads lists it; {@code initiated} may be null. */
  record Upload(String key, String uploadId, java.time.Instant initiated) {}

  /** One page of uploads; the markers of the next page when {@code truncated}. */
  record UploadPage(
      List<Upload> uploads, boolean truncated, String nextKeyMarker, String nextIdMarker) {}

  /** The adapter's own CRC-64 check of a body sent failed (the object was stored). */
  final class BodyCrcMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code cause} is the store's own failure. */
    public BodyCrcMismatchException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * One object to read, as the caller named it: bucket, key and whatever else the caller's request
   * carries (version, conditions, listeners). The request template of every GET of one read.
   */
  interface Source {
    String bucket();

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

    /**
     * The reply's other headers (Content-Type, Cache-Control...) as the adapter reports them; empty
     * by default.
     */
    default Map<String, Object> headers() {
      return Map.of();
    }

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
