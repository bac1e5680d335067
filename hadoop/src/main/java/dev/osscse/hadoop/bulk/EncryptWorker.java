package dev.osscse.hadoop.bulk;

import com.aliyun.oss.OSS;
import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.hadoop.OssCseFsSettings;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Encrypts plaintext objects one at a time: the per-object step of the encrypt job.
 *
 * <p><b>What it is.</b> HEAD the source; an object that already has an envelope is skipped. To
 * another prefix: the plaintext is streamed (GET with {@code If-Match}) through the encrypting
 * upload to the destination key, which records the source ETag ({@code osscse-source-etag}) so a
 * later run skips it. In place: the ciphertext goes to a staging key, then a server-side copy swaps
 * it over the source key in one step, then the staging key is deleted.
 *
 * <p><b>Security guarantees.</b> Never an object left in plaintext that should not be, nor
 * unreadable: the plaintext read is checked against the source's length and CRC-64 before its last
 * chunk is handed to the upload, so a bad read never completes an upload; in place, the source is
 * replaced only by a completed, verified encrypted copy (CopyObject is atomic), and only if the
 * source's ETag did not change meanwhile.
 *
 * <p><b>Restrictions / failure behaviour.</b> A writer that replaces the source between the ETag
 * check and the swap loses its write (OSS has no conditional copy onto the destination). Failures
 * are outcomes; a staging key left by a crash is overwritten by the next run.
 */
public final class EncryptWorker implements AutoCloseable {
  /** User metadata naming the source ETag an encrypted copy was made from. */
  public static final String SOURCE_ETAG = "osscse-source-etag";

  /** Default staging prefix of in-place encryption. */
  public static final String DEFAULT_STAGING = ".osscse-staging/";

  private final String bucket;
  private final String sourcePrefix;
  private final String targetPrefix;
  private final String staging;
  private final OSS oss;
  private final OssCseClient cse;
  private final MultipartUploader uploader;
  private final long partSize;

  /**
   * @param targetPrefix where encrypted copies go, or null to encrypt in place
   */
  public EncryptWorker(Configuration conf, String bucket, String sourcePrefix, String targetPrefix)
      throws IOException, GeneralSecurityException {
    this.bucket = bucket;
    this.sourcePrefix = sourcePrefix;
    this.targetPrefix = targetPrefix;
    this.staging = conf.getTrimmed(BulkSettings.STAGING_PREFIX, DEFAULT_STAGING);
    OssCseFsSettings settings = OssCseFsSettings.from(conf);
    this.partSize = settings.partSize;
    this.oss = settings.newOssClient();
    try {
      this.cse = settings.newCseClient(oss);
      if (cse.encryptionKey().isEmpty()) {
        throw new IllegalArgumentException(
            "encrypt needs a write key: set " + OssCseFsSettings.RSA_PUBLIC_KEY_FILE);
      }
      this.uploader =
          MultipartUploader.builder(cse.core())
              .partSize(settings.partSize)
              .parallelism(settings.parallelism)
              .build();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      oss.shutdown();
      throw e;
    }
  }

  /** The staging key of {@code key} for in-place encryption. */
  public String stagingKey(String key) {
    return staging + key;
  }

  /** Encrypts one object, or says why not. */
  public ObjectOutcome process(String key) {
    try {
      if (key.endsWith("/")) {
        return ObjectOutcome.skipped(key, "directory marker");
      }
      ObjectMetadata src;
      try {
        src = oss.getObjectMetadata(bucket, key);
      } catch (com.aliyun.oss.OSSException e) {
        if ("NoSuchKey".equals(e.getErrorCode())) {
          return ObjectOutcome.skipped(key, "gone");
        }
        throw e;
      }
      if (EnvelopeCodec.hasEnvelope(src.getUserMetadata())) {
        return ObjectOutcome.skipped(key, "already encrypted");
      }
      if (targetPrefix == null) {
        return inPlace(key, src);
      }
      String target = targetPrefix + key.substring(sourcePrefix.length());
      if (alreadyCopied(target, src.getETag())) {
        return ObjectOutcome.skipped(key, "already encrypted to " + target);
      }
      upload(key, src, target);
      return ObjectOutcome.done(key);
    } catch (Exception e) {
      return ObjectOutcome.failed(key, e);
    }
  }

  private boolean alreadyCopied(String target, String sourceEtag) {
    try {
      ObjectMetadata t = oss.getObjectMetadata(bucket, target);
      return EnvelopeCodec.hasEnvelope(t.getUserMetadata())
          && sourceEtag.equals(t.getUserMetadata().get(SOURCE_ETAG));
    } catch (com.aliyun.oss.OSSException e) {
      return false;
    }
  }

  private ObjectOutcome inPlace(String key, ObjectMetadata src) throws Exception {
    String stage = stagingKey(key);
    upload(key, src, stage);
    ObjectMetadata now = oss.getObjectMetadata(bucket, key);
    if (!now.getETag().equals(src.getETag())) {
      oss.deleteObject(bucket, stage);
      throw new IOException("the object changed while it was encrypted; left as it is");
    }
    ObjectMetadata staged = oss.getObjectMetadata(bucket, stage);
    if (!EnvelopeCodec.hasEnvelope(staged.getUserMetadata())
        || staged.getContentLength() != src.getContentLength()) {
      throw new IOException("staged copy is not the encrypted object expected; left as it is");
    }
    CopyObjectRequest swap = new CopyObjectRequest(bucket, stage, bucket, key);
    swap.setMatchingETagConstraints(List.of(staged.getETag()));
    oss.copyObject(swap);
    oss.deleteObject(bucket, stage);
    return ObjectOutcome.done(key);
  }

  /** Streams the verified plaintext of {@code key} into an encrypted object at {@code target}. */
  private void upload(String key, ObjectMetadata src, String target) throws Exception {
    GetObjectRequest get = new GetObjectRequest(bucket, key);
    get.setMatchingETagConstraints(List.of(src.getETag()));
    long length = src.getContentLength();
    ObjectMetadata md = new ObjectMetadata();
    Map<String, String> user = new HashMap<>(src.getUserMetadata());
    user.put(SOURCE_ETAG, src.getETag());
    md.setUserMetadata(user);
    if (src.getContentType() != null) {
      md.setContentType(src.getContentType());
    }
    try (InputStream body = oss.getObject(get).getObjectContent();
        InputStream checked = new VerifiedPlaintext(body, length, src.getServerCRC())) {
      if (length <= partSize) {
        md.setContentLength(length);
        cse.putObject(bucket, target, checked, md);
      } else {
        uploader.upload(bucket, target, checked, length, OssCseClient.metadata(md));
      }
    }
  }

  @Override
  public void close() {
    oss.shutdown();
  }

  /**
   * The source plaintext, checked against its stored length and CRC-64 before the chunk that
   * completes it is handed out: a wrong read fails the upload before it can complete.
   */
  static final class VerifiedPlaintext extends FilterInputStream {
    private final long expected;
    private final Long crc;
    private final CRC64 running = new CRC64();
    private long seen;

    VerifiedPlaintext(InputStream in, long expected, Long crc) {
      super(in);
      this.expected = expected;
      this.crc = crc;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        if (seen != expected) {
          throw new IOException("source ended after " + seen + " of " + expected + " bytes");
        }
        return n;
      }
      running.update(b, off, n);
      seen += n;
      if (seen > expected) {
        throw new IOException("source longer than its stored length " + expected);
      }
      if (seen == expected && crc != null && running.getValue() != crc) {
        throw new IOException("source CRC-64 differs from the stored one");
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      throw new IOException("skip is not supported on a verified source");
    }
  }
}
