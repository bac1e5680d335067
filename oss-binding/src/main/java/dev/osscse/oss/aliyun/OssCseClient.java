package dev.osscse.oss.aliyun;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.EncryptedStore;
import dev.osscse.oss.Envelope;
import dev.osscse.oss.EnvelopeCrypto;
import dev.osscse.oss.EnvelopeException;
import dev.osscse.oss.InvalidByteRangeException;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.UnencryptedObjectException;
import dev.osscse.oss.spi.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;

/**
 * Client-side encryption over a real {@code com.aliyun.oss.OSS} client, in the official SDKs'
 * format.
 *
 * <p><b>What it is.</b> The {@code aliyun-sdk-oss} 3.x face of an {@link EncryptedStore} ({@link
 * #core()}) over {@link AliyunObjectStore}: encrypting uploads ({@code putObject} from a stream, a
 * file or bytes) and decrypting reads ({@code getObject}, whole or any {@link ByteRange}; {@code
 * downloadObject} to a file) over a plain OSS client. Objects it writes are read by {@code
 * OSSEncryptionClient} and the Go, Python and C++ SDKs, and it reads theirs (docs/format.md).
 * {@link #asOss()} exposes it as an {@code OSS} so code written for {@code OSSEncryptionClient}
 * switches with one line.
 *
 * <p><b>Security guarantees.</b> Those of {@link EncryptedStore}: confidentiality only ({@link
 * UnauthenticatedObjectStream}); fails closed ({@link UnencryptedObjectException} unless {@link
 * Builder#allowPlaintextObjects(boolean)}); every cipher from the configured provider instance.
 *
 * <p><b>Restrictions / failure behaviour.</b> Thread-safe. SDK failures ({@code OSSException},
 * {@code ClientException}) pass through; envelope problems are {@link EnvelopeException}; unwrap
 * failures {@link java.security.InvalidKeyException} "unwrap failed"; I/O and verification failures
 * {@link IOException}. A range starting at or past the end gives OSS's {@code InvalidRange}.
 *
 * <pre>{@code
 * OssCseClient cse = OssCseClient.builder(ossClient)
 *     .encryptWith(MasterKey.rsa(keyPair, Map.of("desc", "prod")))
 *     .build();
 * cse.putObject("bkt", "a.bin", Path.of("a.bin"), null);
 * try (UnauthenticatedObjectStream in = cse.getObject("bkt", "a.bin", ByteRange.parse("100-199"))) {
 *   byte[] hundred = in.readAllBytes();
 * }
 * }</pre>
 */
public final class OssCseClient {
  private final OSS oss;
  private final EncryptedStore core;

  private OssCseClient(OSS oss, EncryptedStore core) {
    this.oss = oss;
    this.core = core;
  }

  /** Starts a builder over a plain OSS client (which this client does not own or shut down). */
  public static Builder builder(OSS oss) {
    return new Builder(oss);
  }

  /** The SDK-neutral core this client is a face of: the same keys, store and pipelines. */
  public EncryptedStore core() {
    return core;
  }

  /** The plain OSS client underneath. */
  public OSS plainClient() {
    return oss;
  }

  /** The envelope crypto (provider, key generation and wrapping) this client uses. */
  public EnvelopeCrypto envelopeCrypto() {
    return core.envelopeCrypto();
  }

  /** The master key used for writing, if any. */
  public Optional<MasterKey> encryptionKey() {
    return core.encryptionKey();
  }

  /**
   * This client as a {@code com.aliyun.oss.OSS}: put and get are encrypted, operations that cannot
   * be encrypted are refused with {@link EncryptionRefusedException}, the rest pass through.
   */
  public OSS asOss() {
    return EncryptingOss.wrap(this);
  }

  /** The SDK-neutral form of SDK metadata (null stays null); the two maps are copies. */
  public static ObjectStore.Metadata metadata(ObjectMetadata metadata) {
    return metadata == null ? null : AliyunObjectStore.metadata(metadata);
  }

  /**
   * Encrypts and uploads a stream, reading it once in bounded memory.
   *
   * @param metadata optional (may be null); a {@code Content-Length} in it is taken as the
   *     plaintext length and enforced; a {@code Content-MD5} is moved to {@code
   *     unencrypted-content-md5} (FMT-8); envelope keys in its user metadata are refused
   */
  public PutObjectResult putObject(
      String bucket, String key, InputStream plaintext, ObjectMetadata metadata)
      throws IOException, GeneralSecurityException {
    return result(core.put(bucket, key, plaintext, -1, metadata(metadata)));
  }

  /** Encrypts and uploads a file. */
  public PutObjectResult putObject(String bucket, String key, Path file, ObjectMetadata metadata)
      throws IOException, GeneralSecurityException {
    return result(core.put(bucket, key, file, metadata(metadata)));
  }

  /** Encrypts and uploads a byte array. */
  public PutObjectResult putObject(
      String bucket, String key, byte[] plaintext, ObjectMetadata metadata)
      throws IOException, GeneralSecurityException {
    return result(core.put(bucket, key, plaintext, metadata(metadata)));
  }

  /**
   * Encrypts and uploads what a {@link PutObjectRequest} names (its file or its stream) with its
   * metadata. Callbacks and process parameters of the request are not forwarded.
   */
  public PutObjectResult putObject(PutObjectRequest request)
      throws IOException, GeneralSecurityException {
    if (request.getFile() != null) {
      return putObject(
          request.getBucketName(),
          request.getKey(),
          request.getFile().toPath(),
          request.getMetadata());
    }
    if (request.getInputStream() == null) {
      throw new IllegalArgumentException("PutObjectRequest has neither a file nor a stream");
    }
    return putObject(
        request.getBucketName(), request.getKey(), request.getInputStream(), request.getMetadata());
  }

  private static PutObjectResult result(ObjectStore.Written written) {
    return (PutObjectResult) written.result();
  }

  /**
   * Deletes an object and its companion authentication record; see {@link
   * EncryptedStore#delete(String, String)}.
   */
  public void deleteObject(String bucket, String key) {
    core.delete(bucket, key);
  }

  /** Reads and decrypts a whole object. */
  public UnauthenticatedObjectStream getObject(String bucket, String key)
      throws IOException, GeneralSecurityException {
    return getObject(new GetObjectRequest(bucket, key), null);
  }

  /** Reads and decrypts a byte range ({@code null} = whole object). */
  public UnauthenticatedObjectStream getObject(String bucket, String key, ByteRange range)
      throws IOException, GeneralSecurityException {
    return getObject(new GetObjectRequest(bucket, key), range);
  }

  /**
   * Reads and decrypts with a caller-built request (conditions, version id, response header
   * overrides). The request's own range is ignored: pass {@code range} instead. The request is not
   * modified. Presigned-URL requests are refused.
   */
  public UnauthenticatedObjectStream getObject(GetObjectRequest request, ByteRange range)
      throws IOException, GeneralSecurityException {
    return ranged(request, source -> core.get(source, range));
  }

  private interface Read<T> {
    T run(ObjectStore.Source source) throws IOException, GeneralSecurityException;
  }

  private <T> T ranged(GetObjectRequest request, Read<T> read)
      throws IOException, GeneralSecurityException {
    if (request.isUseUrlSignature()) {
      throw new EncryptionRefusedException("getObject with a presigned URL", "not supported");
    }
    try {
      return read.run(((AliyunObjectStore) core.store()).source(request));
    } catch (OSSException e) {
      if (!"InvalidRange".equals(e.getErrorCode())) {
        throw e;
      }
      throw invalidRange(
          "the requested range of oss://%s/%s cannot be satisfied"
              .formatted(request.getBucketName(), request.getKey()),
          e.getRequestId(),
          e.getHostId(),
          e);
    } catch (InvalidByteRangeException e) {
      throw invalidRange(e.getMessage(), null, null, null);
    }
  }

  private static OSSException invalidRange(
      String message, String requestId, String hostId, Throwable cause) {
    return new OSSException(
        "range: " + message, "InvalidRange", requestId, hostId, null, null, "GET", cause);
  }

  /** An object's envelope from a HEAD request; see {@link EncryptedStore#headEnvelope}. */
  public Optional<Envelope> headEnvelope(String bucket, String key)
      throws IOException, EnvelopeException {
    return core.headEnvelope(bucket, key);
  }

  /**
   * Downloads and decrypts a whole object to a file; see {@link #downloadObject(GetObjectRequest,
   * ByteRange, Path)}.
   */
  public ObjectMetadata downloadObject(String bucket, String key, Path target)
      throws IOException, GeneralSecurityException {
    return downloadObject(new GetObjectRequest(bucket, key), null, target);
  }

  /**
   * Downloads and decrypts an object or a range to a file, renamed over the target only when
   * complete and verified; see {@link EncryptedStore#download(ObjectStore.Source, ByteRange,
   * Path)}.
   */
  public ObjectMetadata downloadObject(GetObjectRequest request, ByteRange range, Path target)
      throws IOException, GeneralSecurityException {
    EncryptedStore.Downloaded done =
        ranged(request, source -> core.download(source, range, target));
    return AliyunObjectStore.sdk(done.headers(), done.userMetadata());
  }

  /**
   * The response metadata of a read as SDK metadata; {@code Content-Length} is the plaintext length
   * returned (and {@code Content-Range}, for a range, the plaintext range).
   */
  public static ObjectMetadata objectMetadata(UnauthenticatedObjectStream in) {
    return AliyunObjectStore.sdk(in.headers(), in.userMetadata());
  }

  /**
   * Zeroes and drops every content key held by the RSA content-key cache ({@link
   * Builder#cacheRsaContentKeys(int, Duration)}); see {@link EncryptedStore#clearKeyCache()}.
   */
  public void clearKeyCache() {
    core.clearKeyCache();
  }

  /** Configures an {@link OssCseClient}; the settings are those of {@link EncryptedStore}. */
  public static final class Builder extends EncryptedStore.Options<Builder> {
    private final OSS oss;

    private Builder(OSS oss) {
      super(new AliyunObjectStore(oss));
      this.oss = oss;
    }

    /** Builds the client; at least an encryption key or a decryption ring is needed. */
    public OssCseClient build() {
      return new OssCseClient(oss, buildStore());
    }
  }
}
