package dev.osscse.oss.v2;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.OperationInput;
import com.aliyun.sdk.service.oss2.OperationOutput;
import com.aliyun.sdk.service.oss2.exceptions.InconsistentException;
import com.aliyun.sdk.service.oss2.exceptions.OperationException;
import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import com.aliyun.sdk.service.oss2.models.AbortMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUpload;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadResult;
import com.aliyun.sdk.service.oss2.models.DeleteObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.ListMultipartUploadsRequest;
import com.aliyun.sdk.service.oss2.models.ListMultipartUploadsResult;
import com.aliyun.sdk.service.oss2.models.Part;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectResult;
import com.aliyun.sdk.service.oss2.models.UploadPartRequest;
import com.aliyun.sdk.service.oss2.models.UploadPartResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.osscse.oss.spi.ListPartsReader;
import dev.osscse.oss.spi.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CheckedInputStream;
import java.util.zip.Checksum;

/**
 * The Alibaba OSS Java SDK V2 ({@code com.aliyun:alibabacloud-oss-v2}) adapter behind the binding's
 * storage port {@link ObjectStore}: the binding's core sends its GETs, HEADs, puts and multipart
 * calls through a V2 {@link OSSClient} and never sees a V2 type.
 *
 * <p><b>What it is.</b> A stateless mapping of each port call onto one V2 operation: ranged GET
 * with {@code x-oss-range-behavior: standard} and {@code If-Match}, HEAD, PutObject,
 * Initiate/UploadPart/Complete/Abort, ListMultipartUploads and DeleteObject. ListParts is sent as
 * the V2 client's generic operation and its XML read by {@link ListPartsReader}, because the V2
 * {@code ListPartsResult} drops the {@code ClientEncryption*} elements (docs/format.md FMT-24).
 *
 * <p><b>Security guarantees.</b> None of its own: it moves bytes. A GET's body is counted into a
 * CRC-64 ({@link Reply#bodyCrc64()}) so the core can compare it with the server's; the V2 client's
 * own upload CRC-64 check (on by default) failing on a put becomes {@link
 * ObjectStore.BodyCrcMismatchException}.
 *
 * <p><b>Restrictions / failure behaviour.</b> The client is not owned (never closed here). Failures
 * pass through as the V2 client's {@code OperationException}; {@link #isTransient} says which a
 * retry may cure: network and response-reading failures, a CRC-64 mismatch, HTTP 5xx, 408 and 429,
 * and the codes {@code InternalError}, {@code ServiceUnavailable}, {@code RequestTimeout}, {@code
 * SlowDown} and {@code Throttling*}. A {@code PreconditionFailed} answer to the core's own {@code
 * If-Match} becomes {@link ObjectStore.ObjectChangedException}.
 *
 * <pre>{@code
 * OSSClient v2 = OSSClient.newBuilder().credentialsProvider(credentials).region("cn-hangzhou").build();
 * ObjectStore store = new OssV2ObjectStore(v2);
 * }</pre>
 */
public final class OssV2ObjectStore implements ObjectStore {
  /** Header that makes OSS answer ranges in the standard way (416 past the end). */
  public static final String RANGE_BEHAVIOR = "x-oss-range-behavior";

  private static final Set<String> RETRYABLE_CODES =
      Set.of("InternalError", "ServiceUnavailable", "RequestTimeout", "SlowDown");

  /** Request headers of a caller's GET that the core sets itself on every GET it sends. */
  private static final Set<String> CORE_GET_HEADERS =
      Set.of("range", RANGE_BEHAVIOR, "if-match", "authorization", "date", "host");

  private final OSSClient client;

  /** An adapter over a V2 client (not owned: never closed here). */
  public OssV2ObjectStore(OSSClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The V2 client this adapter sends through. */
  public OSSClient client() {
    return client;
  }

  @Override
  public boolean isTransient(Throwable failure) {
    Throwable f = unwrap(failure);
    if (f instanceof ServiceException s) {
      String code = s.errorCode();
      int status = s.statusCode();
      return status >= 500
          || status == 408
          || status == 429
          || (code != null && (RETRYABLE_CODES.contains(code) || code.startsWith("Throttling")));
    }
    if (f instanceof ObjectChangedException) {
      return false;
    }
    return f instanceof IOException
        || f instanceof InconsistentException
        || f instanceof com.aliyun.sdk.service.oss2.transport.RequestException
        || f instanceof com.aliyun.sdk.service.oss2.transport.ResponseException;
  }

  @Override
  public boolean isServiceError(Throwable failure) {
    return unwrap(failure) instanceof ServiceException;
  }

  /** The V2 client's own failure inside its {@code OperationException} wrapper. */
  static Throwable unwrap(Throwable failure) {
    Throwable f = failure;
    for (int i = 0; i < 8 && f instanceof OperationException && f.getCause() != null; i++) {
      f = f.getCause();
    }
    return f;
  }

  /** The service error code of {@code failure}, or null when it is not a service error. */
  static String errorCode(Throwable failure) {
    return unwrap(failure) instanceof ServiceException s ? s.errorCode() : null;
  }

  @Override
  public Head head(String bucket, String key) {
    HeadObjectResult r =
        client.headObject(HeadObjectRequest.newBuilder().bucket(bucket).key(key).build());
    Long length = r.contentLength();
    return new Head(
        length == null ? -1 : length,
        r.eTag(),
        crc(r.hashCrc64ecma()),
        userMetadata(r.metadata()),
        new LinkedHashMap<>(r.headers()));
  }

  @Override
  public void delete(String bucket, String key) {
    client.deleteObject(DeleteObjectRequest.newBuilder().bucket(bucket).key(key).build());
  }

  /**
   * False: the V2 client checks the CRC-64 of uploads itself but does not hand out the value, so
   * the core computes the CRC-64 of every body it sends.
   */
  @Override
  public boolean computesBodyCrc() {
    return false;
  }

  @Override
  public Written put(String bucket, String key, Metadata metadata, InputStream body, long length)
      throws IOException {
    PutObjectRequest.Builder b =
        PutObjectRequest.newBuilder()
            .bucket(bucket)
            .key(key)
            .headers(headers(metadata))
            .metadata(metadata.user())
            .body(BinaryData.fromStream(body, length >= 0 ? length : null));
    if (length >= 0) {
      b.header("Content-Length", Long.toString(length));
    }
    PutObjectResult r;
    try {
      r = client.putObject(b.build());
    } catch (OperationException e) {
      if (unwrap(e) instanceof InconsistentException) {
        throw new BodyCrcMismatchException("the V2 client's CRC-64 check of the body failed", e);
      }
      throw e;
    }
    return new Written(r.eTag(), crc(r.hashCrc64ecma()), null, r);
  }

  @Override
  public String initiateMultipart(String bucket, String key, Metadata metadata) {
    return client
        .initiateMultipartUpload(
            InitiateMultipartUploadRequest.newBuilder()
                .bucket(bucket)
                .key(key)
                .headers(headers(metadata))
                .metadata(metadata.user())
                .build())
        .initiateMultipartUpload()
        .uploadId();
  }

  @Override
  public Written uploadPart(
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      Map<String, String> headers,
      InputStream body,
      long length) {
    UploadPartResult r =
        client.uploadPart(
            UploadPartRequest.newBuilder()
                .bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .partNumber((long) partNumber)
                .headers(headers)
                .contentLength(length)
                .body(BinaryData.fromStream(body, length))
                .build());
    return new Written(r.eTag(), crc(r.hashCRC64()), null, r);
  }

  @Override
  public Written completeMultipart(
      String bucket, String key, String uploadId, List<ListPartsReader.Part> parts) {
    List<Part> list = new ArrayList<>(parts.size());
    for (ListPartsReader.Part p : parts) {
      list.add(Part.newBuilder().partNumber((long) p.number()).eTag(p.etag()).build());
    }
    CompleteMultipartUploadResult r =
        client.completeMultipartUpload(
            CompleteMultipartUploadRequest.newBuilder()
                .bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .completeMultipartUpload(CompleteMultipartUpload.newBuilder().parts(list).build())
                .build());
    String etag = r.completeMultipartUpload() == null ? null : r.completeMultipartUpload().eTag();
    return new Written(etag != null ? etag : r.headers().get("ETag"), crc(r.hashCRC64()), null, r);
  }

  @Override
  public void abortMultipart(String bucket, String key, String uploadId) {
    client.abortMultipartUpload(
        AbortMultipartUploadRequest.newBuilder()
            .bucket(bucket)
            .key(key)
            .uploadId(uploadId)
            .build());
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
    ListMultipartUploadsRequest.Builder b =
        ListMultipartUploadsRequest.newBuilder().bucket(bucket).maxUploads(1000L);
    if (prefix != null) {
      b.prefix(prefix);
    }
    if (keyMarker != null) {
      b.keyMarker(keyMarker);
    }
    if (idMarker != null) {
      b.uploadIdMarker(idMarker);
    }
    ListMultipartUploadsResult listing = client.listMultipartUploads(b.build());
    List<Upload> uploads = new ArrayList<>();
    if (listing.uploads() != null) {
      for (com.aliyun.sdk.service.oss2.models.Upload u : listing.uploads()) {
        uploads.add(new Upload(u.key(), u.uploadId(), u.initiated()));
      }
    }
    return new UploadPage(
        uploads,
        Boolean.TRUE.equals(listing.isTruncated()),
        listing.nextKeyMarker(),
        listing.nextUploadIdMarker());
  }

  /**
   * ListParts sent as the V2 client's generic operation (signed like every other call): its typed
   * {@code ListPartsResult} drops the {@code ClientEncryption*} elements, so the XML is read by
   * {@link ListPartsReader}. No {@code encoding-type}: the reader takes keys as they are.
   */
  private ListPartsReader.Pages pages(String bucket, String key, String uploadId) {
    return (marker, maxParts, limit) -> {
      Map<String, String> parameters = new TreeMap<>();
      parameters.put("uploadId", uploadId);
      parameters.put("max-parts", Integer.toString(maxParts));
      if (marker > 0) {
        parameters.put("part-number-marker", Integer.toString(marker));
      }
      OperationOutput out =
          client.invokeOperation(
              OperationInput.newBuilder()
                  .opName("ListParts")
                  .method("GET")
                  .bucket(bucket)
                  .key(key)
                  .parameters(parameters)
                  .build(),
              com.aliyun.sdk.service.oss2.OperationOptions.defaults());
      if (out.body().isEmpty()) {
        throw new IOException("ListParts answered without a body");
      }
      try (InputStream in = out.body().get().toStream()) {
        return in.readNBytes(limit);
      }
    };
  }

  /** Outgoing HTTP headers of a put or an initiate as strings, without {@code Content-Length}. */
  private static Map<String, String> headers(Metadata metadata) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    metadata
        .headers()
        .forEach(
            (name, value) -> {
              if (value != null
                  && !"content-length".equalsIgnoreCase(name)
                  && !name.toLowerCase(Locale.ROOT).startsWith("x-oss-meta-")) {
                h.put(name, value.toString());
              }
            });
    return h;
  }

  /** User metadata keys as the core expects them: lowercase, without {@code x-oss-meta-}. */
  private static Map<String, String> userMetadata(Map<String, String> metadata) {
    Map<String, String> m = new LinkedHashMap<>();
    if (metadata != null) {
      metadata.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
    }
    return m;
  }

  /** An {@code x-oss-hash-crc64ecma} value (unsigned decimal), or null when absent or malformed. */
  static Long crc(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Long.parseUnsignedLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A source for {@code bucket/key}: its GETs carry no condition of the caller's own. */
  @Override
  public Source source(String bucket, String key) {
    return source(GetObjectRequest.newBuilder().bucket(bucket).key(key).build());
  }

  /**
   * A source whose GETs copy the caller's request: version, conditions, response header overrides,
   * traffic limit, payer, other headers and parameters, and progress listener. The caller's own
   * range is not copied (the core sends its own) and the caller's request is never modified.
   */
  public Source source(GetObjectRequest template) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(template.bucket(), "template.bucket");
    Objects.requireNonNull(template.key(), "template.key");
    return new RequestSource(template);
  }

  private final class RequestSource implements Source {
    private final GetObjectRequest template;

    RequestSource(GetObjectRequest template) {
      this.template = template;
    }

    @Override
    public String bucket() {
      return template.bucket();
    }

    @Override
    public String key() {
      return template.key();
    }

    @Override
    public Reply get(long first, long last, String ifMatch) throws IOException {
      GetObjectRequest.Builder b =
          GetObjectRequest.newBuilder()
              .bucket(template.bucket())
              .key(template.key())
              .parameters(template.parameters())
              .progressListener(template.progressListener());
      template
          .headers()
          .forEach(
              (name, value) -> {
                if (!CORE_GET_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                  b.header(name, value);
                }
              });
      if (template.ifMatch() != null && ifMatch == null) {
        b.ifMatch(template.ifMatch());
      }
      if (first >= 0 || last >= 0) {
        b.range(httpRange(first, last)).rangeBehavior("standard");
      }
      if (ifMatch != null) {
        b.ifMatch(ifMatch);
      }
      try {
        return new V2Reply(client.getObject(b.build()), newCrc64());
      } catch (OperationException e) {
        if (ifMatch != null && "PreconditionFailed".equals(errorCode(e))) {
          throw new ObjectChangedException(
              "the object changed during the read (If-Match failed: PreconditionFailed)", e);
        }
        throw e;
      }
    }
  }

  /** The HTTP form of a port range (see {@link Source#get}). */
  static String httpRange(long first, long last) {
    if (first < 0) {
      return "bytes=-" + last;
    }
    return last < 0 ? "bytes=" + first + "-" : "bytes=" + first + "-" + last;
  }

  private static final class V2Reply implements Reply {
    private final GetObjectResult result;
    private final InputStream body;
    private final Checksum crc;

    V2Reply(GetObjectResult result, Checksum crc64) {
      this.result = result;
      CheckedInputStream checked = new CheckedInputStream(result.body(), crc64);
      this.body = checked;
      this.crc = checked.getChecksum();
    }

    @Override
    public long contentLength() {
      Long n = result.contentLength();
      return n == null ? -1 : n;
    }

    @Override
    public String contentRange() {
      return result.contentRange();
    }

    @Override
    public String etag() {
      return result.eTag();
    }

    @Override
    public Long serverCrc64() {
      return crc(result.hashCrc64ecma());
    }

    @Override
    public Map<String, String> userMetadata() {
      return OssV2ObjectStore.userMetadata(result.metadata());
    }

    @Override
    public Map<String, Object> headers() {
      return new LinkedHashMap<>(result.headers());
    }

    @Override
    public InputStream body() {
      return body;
    }

    @Override
    public Checksum bodyCrc64() {
      return crc;
    }

    @Override
    public void close(boolean complete) {
      try {
        if (complete) {
          result.close();
        } else {
          result.abort();
          result.close();
        }
      } catch (Exception e) {
        // the reply is abandoned either way
      }
    }
  }
}
