package dev.osscse.oss.aliyun;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClient;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.comm.ResponseMessage;
import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.event.ProgressListener;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.MultipartUploadListing;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.oss.model.UploadPartResult;
import dev.osscse.oss.internal.Crc64;
import dev.osscse.oss.spi.ListPartsReader;
import dev.osscse.oss.spi.ObjectStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CheckedInputStream;
import java.util.zip.Checksum;

/**
 * The {@code aliyun-sdk-oss} 3.18.5 adapter behind {@link ObjectStore}: the binding's core sends
 * its GETs through it and never sees an SDK type.
 *
 * <p>Retryable: {@code ClientException} (network, reset, timeout), I/O errors of a body, and the
 * service errors {@code InternalError}, {@code ServiceUnavailable}, {@code RequestTimeout}, {@code
 * SlowDown}, {@code Throttling*}. A {@code PreconditionFailed} answer to the core's own {@code
 * If-Match} becomes {@link ObjectStore.ObjectChangedException} with the SDK's exception as cause.
 */
public final class AliyunObjectStore implements ObjectStore {
  /** Header that makes OSS answer ranges in the standard way (416 past the end). */
  public static final String RANGE_BEHAVIOR = "x-oss-range-behavior";

  private static final Set<String> RETRYABLE_CODES =
      Set.of("InternalError", "ServiceUnavailable", "RequestTimeout", "SlowDown");

  private final OSS oss;

  /**
   * True when the OSS client computes the CRC-64 of every request body and compares it with the
   * server's (its default): uploads then take that CRC instead of computing a second one. With the
   * client's check off ({@code ClientConfiguration.setCrcCheckEnabled(false)}) the binding computes
   * its own {@link Crc64} of the ciphertext in the encryption pass and compares it with the
   * server's {@code x-oss-hash-crc64ecma} instead, at a fraction of the SDK's CPU.
   */
  private final boolean sdkChecksCrc;

  /** An adapter over a plain OSS client (not owned: never shut down here). */
  public AliyunObjectStore(OSS oss) {
    this.oss = Objects.requireNonNull(oss, "oss");
    this.sdkChecksCrc =
        oss instanceof OSSClient c
            && c.getClientConfiguration() != null
            && c.getClientConfiguration().isCrcCheckEnabled();
  }

  @Override
  public boolean isTransient(Throwable failure) {
    if (failure instanceof OSSException o) {
      String code = o.getErrorCode();
      return code != null && (RETRYABLE_CODES.contains(code) || code.startsWith("Throttling"));
    }
    return failure instanceof ClientException c
        ? !"CseOperationRefused".equals(c.getErrorCode())
        : failure instanceof IOException && !(failure instanceof ObjectChangedException);
  }

  @Override
  public boolean isNotFound(Throwable failure) {
    return failure instanceof OSSException o && "NoSuchKey".equals(o.getErrorCode());
  }

  @Override
  public boolean isServiceError(Throwable failure) {
    return failure instanceof OSSException;
  }

  @Override
  public Head head(String bucket, String key) {
    ObjectMetadata md = oss.getObjectMetadata(bucket, key);
    return new Head(
        md.getRawMetadata().containsKey("Content-Length") ? md.getContentLength() : -1,
        md.getETag(),
        md.getServerCRC(),
        md.getUserMetadata(),
        md.getRawMetadata());
  }

  @Override
  public void delete(String bucket, String key) {
    oss.deleteObject(bucket, key);
  }

  @Override
  public boolean computesBodyCrc() {
    return sdkChecksCrc;
  }

  @Override
  public Written put(String bucket, String key, Metadata metadata, InputStream body, long length)
      throws IOException {
    ObjectMetadata md = sdk(metadata.headers(), metadata.user());
    if (length >= 0) {
      md.setContentLength(length);
    }
    PutObjectResult r;
    try {
      r = oss.putObject(new PutObjectRequest(bucket, key, NoRewind.unlessMarkable(body), md));
    } catch (InconsistentException e) {
      throw new BodyCrcMismatchException("the SDK's CRC-64 check of the body failed", e);
    }
    return new Written(r.getETag(), r.getServerCRC(), r.getClientCRC(), r);
  }

  @Override
  public String initiateMultipart(String bucket, String key, Metadata metadata) {
    return oss.initiateMultipartUpload(
            new InitiateMultipartUploadRequest(
                bucket, key, sdk(metadata.headers(), metadata.user())))
        .getUploadId();
  }

  @Override
  public Written uploadPart(
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      Map<String, String> headers,
      InputStream body,
      long length)
      throws IOException {
    UploadPartRequest r =
        new UploadPartRequest(
            bucket, key, uploadId, partNumber, NoRewind.unlessMarkable(body), length);
    headers.forEach(r::addHeader);
    UploadPartResult result;
    try {
      result = oss.uploadPart(r);
    } catch (InconsistentException e) {
      throw new BodyCrcMismatchException("the SDK's CRC-64 check of the part failed", e);
    }
    return new Written(result.getETag(), result.getServerCRC(), result.getClientCRC(), result);
  }

  @Override
  public Written completeMultipart(
      String bucket, String key, String uploadId, List<ListPartsReader.Part> parts) {
    List<PartETag> etags = new ArrayList<>(parts.size()); // mutable: the SDK sorts it
    for (ListPartsReader.Part p : parts) {
      etags.add(new PartETag(p.number(), p.etag(), p.size(), p.crc64()));
    }
    CompleteMultipartUploadResult r =
        oss.completeMultipartUpload(
            new CompleteMultipartUploadRequest(bucket, key, uploadId, etags));
    return new Written(r.getETag(), r.getServerCRC(), r.getClientCRC(), r);
  }

  @Override
  public void abortMultipart(String bucket, String key, String uploadId) {
    oss.abortMultipartUpload(new AbortMultipartUploadRequest(bucket, key, uploadId));
  }

  @Override
  public ListPartsReader.Listing listParts(String bucket, String key, String uploadId)
      throws IOException {
    return ListPartsReader.read(pages(bucket, key, uploadId));
  }

  @Override
  public Map<String, String> uploadFields(String bucket, String key, String uploadId)
      throws IOException {
    return ListPartsReader.readFields(pages(bucket, key, uploadId));
  }

  @Override
  public UploadPage listUploads(String bucket, String prefix, String keyMarker, String idMarker) {
    ListMultipartUploadsRequest req = new ListMultipartUploadsRequest(bucket);
    req.setPrefix(prefix);
    req.setMaxUploads(1000);
    req.setKeyMarker(keyMarker);
    req.setUploadIdMarker(idMarker);
    MultipartUploadListing listing = oss.listMultipartUploads(req);
    return new UploadPage(
        listing.getMultipartUploads().stream()
            .map(
                u ->
                    new Upload(
                        u.getKey(),
                        u.getUploadId(),
                        u.getInitiated() == null ? null : u.getInitiated().toInstant()))
            .toList(),
        listing.isTruncated(),
        listing.getNextKeyMarker(),
        listing.getNextUploadIdMarker());
  }

  /** ListParts as a presigned GET, read by {@link ListPartsReader} (which says why). */
  @SuppressWarnings("JavaUtilDate") // the SDK's presign API takes a Date
  private ListPartsReader.Pages pages(String bucket, String key, String uploadId) {
    return (marker, maxParts, limit) -> {
      GeneratePresignedUrlRequest req =
          new GeneratePresignedUrlRequest(bucket, key, HttpMethod.GET);
      req.setExpiration(new Date(System.currentTimeMillis() + 15 * 60 * 1000L));
      req.addQueryParameter("uploadId", uploadId);
      req.addQueryParameter("max-parts", Integer.toString(maxParts));
      if (marker > 0) {
        req.addQueryParameter("part-number-marker", Integer.toString(marker));
      }
      OSSObject reply = oss.getObject(oss.generatePresignedUrl(req), new HashMap<>());
      try (InputStream in = reply.getObjectContent()) {
        return in.readNBytes(limit);
      } finally {
        reply.forcedClose();
      }
    };
  }

  /** SDK metadata of these headers and user metadata. */
  static ObjectMetadata sdk(Map<String, Object> headers, Map<String, String> user) {
    ObjectMetadata md = new ObjectMetadata();
    headers.forEach(md::setHeader);
    user.forEach(md::addUserMetadata);
    return md;
  }

  /** Outgoing metadata from the SDK form (its headers and user metadata, copied). */
  public static Metadata metadata(ObjectMetadata md) {
    return new Metadata(
        new java.util.LinkedHashMap<>(md.getRawMetadata()),
        new java.util.LinkedHashMap<>(md.getUserMetadata()));
  }

  @Override
  public Source source(String bucket, String key) {
    return source(new GetObjectRequest(bucket, key));
  }

  /**
   * A source whose GETs copy the caller's request: version, headers, conditions, response header
   * overrides, traffic limit, payer and progress listener. The caller's own range is not copied
   * (the core sends its own) and the caller's request is never modified.
   */
  public Source source(GetObjectRequest template) {
    return new RequestSource(oss, copy(template));
  }

  private static GetObjectRequest copy(GetObjectRequest t) {
    GetObjectRequest r = new GetObjectRequest(t.getBucketName(), t.getKey());
    r.setVersionId(t.getVersionId());
    for (Map.Entry<String, String> h : t.getHeaders().entrySet()) {
      if (!RANGE_BEHAVIOR.equalsIgnoreCase(h.getKey())) {
        r.addHeader(h.getKey(), h.getValue());
      }
    }
    r.setMatchingETagConstraints(t.getMatchingETagConstraints());
    r.setNonmatchingETagConstraints(t.getNonmatchingETagConstraints());
    r.setModifiedSinceConstraint(t.getModifiedSinceConstraint());
    r.setUnmodifiedSinceConstraint(t.getUnmodifiedSinceConstraint());
    r.setResponseHeaders(t.getResponseHeaders());
    r.setTrafficLimit(t.getTrafficLimit());
    r.setRequestPayer(t.getRequestPayer());
    r.setProgressListener(t.getProgressListener());
    return r;
  }

  private record RequestSource(OSS oss, GetObjectRequest template) implements Source {
    @Override
    public String bucket() {
      return template.getBucketName();
    }

    @Override
    public String key() {
      return template.getKey();
    }

    @Override
    public Reply get(long first, long last, String ifMatch) throws IOException {
      GetObjectRequest r = copy(template);
      if (first >= 0 || last >= 0) {
        r.setRange(first, last);
        r.addHeader(RANGE_BEHAVIOR, "standard");
      }
      if (ifMatch != null) {
        r.setMatchingETagConstraints(List.of(ifMatch));
      }
      try {
        return SdkReply.of(oss.getObject(r), r.getProgressListener());
      } catch (OSSException e) {
        if (ifMatch != null && "PreconditionFailed".equals(e.getErrorCode())) {
          throw new ObjectChangedException(
              "the object changed during the read (If-Match failed: PreconditionFailed)", e);
        }
        throw e;
      }
    }
  }

  /**
   * A body the SDK may mark but never rewind: its own resend of a failed PutObject or UploadPart
   * fails at once, so the binding's {@code RetryPolicy} retries instead (docs/architecture.md).
   */
  static final class NoRewind extends FilterInputStream {
    private NoRewind(InputStream body) {
      super(body);
    }

    /** {@code body} as it is when it can rewind (the core lets the SDK resend it), else wrapped. */
    static InputStream unlessMarkable(InputStream body) {
      return body.markSupported() ? body : new NoRewind(body);
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public synchronized void mark(int readLimit) {
      // nothing to keep: the body is never rewound
    }

    @Override
    public synchronized void reset() throws IOException {
      throw new IOException(
          "the body is not resent by the SDK; the binding's retry policy decides");
    }
  }

  /**
   * A GetObject reply, its body and the one CRC-64 that counts the body's bytes.
   *
   * <p>{@code OSSClient.getObject} hands out every body as a {@link CheckedInputStream} over the
   * SDK's {@link CRC64} (it never compares it; callers do). With the client's CRC check on, the
   * response stream under it is a second such stream, so a plain read computes the slow CRC-64
   * twice. Without a progress listener (whose events the outer layers publish) the binding reads
   * the response stream itself, {@link OSSObject#getResponse()}: with the check on it takes the
   * CRC-64 that stream already computes; with it off it feeds the binding's own {@link Crc64}
   * instead. Either way one CRC-64 covers every byte the reader receives, and the reader compares
   * it with {@code x-oss-hash-crc64ecma}.
   */
  record SdkReply(OSSObject object, ObjectMetadata md, InputStream body, Checksum bodyCrc64)
      implements Reply {
    /** The reply of {@code object}; {@code listener} is the request's progress listener. */
    static SdkReply of(OSSObject object, ProgressListener listener) {
      InputStream in = object.getObjectContent();
      ResponseMessage response = object.getResponse();
      if ((listener == null || listener == ProgressListener.NOOP)
          && response != null
          && response.getContent() != null) {
        in = response.getContent();
      }
      if (in instanceof CheckedInputStream checked && checked.getChecksum() instanceof CRC64 crc) {
        return new SdkReply(object, object.getObjectMetadata(), in, crc);
      }
      CheckedInputStream checked = new CheckedInputStream(in, new Crc64());
      return new SdkReply(object, object.getObjectMetadata(), checked, checked.getChecksum());
    }

    @Override
    public long contentLength() {
      return md.getRawMetadata().containsKey("Content-Length") ? md.getContentLength() : -1;
    }

    @Override
    public String contentRange() {
      Object v = md.getRawMetadata().get("Content-Range"); // the SDK's map ignores case
      return v == null ? null : v.toString();
    }

    @Override
    public String etag() {
      return md.getETag();
    }

    @Override
    public Long serverCrc64() {
      return md.getServerCRC();
    }

    @Override
    public Map<String, String> userMetadata() {
      return md.getUserMetadata();
    }

    @Override
    public Map<String, Object> headers() {
      return md.getRawMetadata();
    }

    @Override
    public void close(boolean complete) {
      try {
        if (complete) {
          object.close();
        } else {
          object.forcedClose();
        }
      } catch (IOException | RuntimeException e) {
        // the reply is abandoned either way
      }
    }
  }
}
