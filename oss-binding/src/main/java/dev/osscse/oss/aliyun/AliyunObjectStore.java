package dev.osscse.oss.aliyun;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.internal.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
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

  /** An adapter over a plain OSS client (not owned: never shut down here). */
  public AliyunObjectStore(OSS oss) {
    this.oss = Objects.requireNonNull(oss, "oss");
  }

  /** The plain client. */
  public OSS client() {
    return oss;
  }

  @Override
  public boolean isTransient(Throwable failure) {
    if (failure instanceof OSSException o) {
      String code = o.getErrorCode();
      return code != null && (RETRYABLE_CODES.contains(code) || code.startsWith("Throttling"));
    }
    if (failure instanceof ClientException) {
      return !"CseOperationRefused".equals(((ClientException) failure).getErrorCode());
    }
    return failure instanceof IOException && !(failure instanceof ObjectChangedException);
  }

  @Override
  public Head head(String bucket, String key) {
    ObjectMetadata md = oss.getObjectMetadata(bucket, key);
    return new Head(
        md.getRawMetadata().containsKey("Content-Length") ? md.getContentLength() : -1,
        md.getETag(),
        md.getServerCRC(),
        md.getUserMetadata());
  }

  /** A source for {@code bucket/key}. */
  public Source source(String bucket, String key) {
    return source(new GetObjectRequest(bucket, key));
  }

  /**
   * A source whose GETs copy the caller's request: version, headers, conditions, response header
   * overrides, traffic limit, payer and progress listener. The caller's own range is not copied
   * (the core sends its own) and the caller's request is never modified.
   */
  public Source source(GetObjectRequest template) {
    return new RequestSource(copy(template));
  }

  /** The SDK metadata of a reply this adapter made. */
  public static ObjectMetadata metadata(Reply reply) {
    return ((SdkReply) reply).object.getObjectMetadata();
  }

  private static GetObjectRequest copy(GetObjectRequest t) {
    GetObjectRequest r = new GetObjectRequest(t.getBucketName(), t.getKey());
    if (t.getVersionId() != null) {
      r.setVersionId(t.getVersionId());
    }
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

  private final class RequestSource implements Source {
    private final GetObjectRequest template;

    RequestSource(GetObjectRequest template) {
      this.template = template;
    }

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
        return new SdkReply(oss.getObject(r));
      } catch (OSSException e) {
        if (ifMatch != null && "PreconditionFailed".equals(e.getErrorCode())) {
          throw new ObjectChangedException(
              "the object changed during the read (If-Match failed: PreconditionFailed)", e);
        }
        throw e;
      }
    }
  }

  private static final class SdkReply implements Reply {
    private final OSSObject object;
    private final ObjectMetadata md;
    private final InputStream body;
    private final Checksum crc;

    SdkReply(OSSObject object) {
      this.object = object;
      this.md = object.getObjectMetadata();
      InputStream raw = object.getObjectContent();
      Checksum sdk = SdkBodyCrc.of(raw);
      if (sdk != null) {
        this.body = raw;
        this.crc = sdk;
      } else {
        CheckedInputStream checked = new CheckedInputStream(raw, new CRC64());
        this.body = checked;
        this.crc = checked.getChecksum();
      }
    }

    @Override
    public long contentLength() {
      return md.getRawMetadata().containsKey("Content-Length") ? md.getContentLength() : -1;
    }

    @Override
    public String contentRange() {
      for (Map.Entry<String, Object> e : md.getRawMetadata().entrySet()) {
        if (e.getKey().equalsIgnoreCase("Content-Range") && e.getValue() != null) {
          return e.getValue().toString();
        }
      }
      return null;
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
