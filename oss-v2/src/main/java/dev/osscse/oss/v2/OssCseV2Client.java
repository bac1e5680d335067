package dev.osscse.oss.v2;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import com.aliyun.sdk.service.oss2.transport.ByteChannelBinaryData;
import com.aliyun.sdk.service.oss2.transport.InputStreamBinaryData;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.EncryptedObjectChannel;
import dev.osscse.oss.EncryptedStore;
import dev.osscse.oss.Envelope;
import dev.osscse.oss.EnvelopeException;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.MultipartUploadResult;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.ObjectRewrapper;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.spi.ObjectStore;
import dev.osscse.provider.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Client-side encryption for code that holds an Alibaba OSS Java SDK V2 client ({@code
 * com.aliyun.sdk.service.oss2.OSSClient}), in the format every official OSS SDK reads and writes
 * (docs/format.md).
 *
 * <p><b>What it is.</b> The V2 face of the binding's SDK-neutral core {@link EncryptedStore}, built
 * over {@link OssV2ObjectStore}: it takes the V2 SDK's own request types ({@link PutObjectRequest},
 * {@link GetObjectRequest}) and returns its {@link PutObjectResult}; everything else is the
 * binding's: encrypting put, whole and ranged get (including {@code a-} and suffix {@code -n}
 * ranges), verified download to a file, the seekable {@link EncryptedObjectChannel}, parallel
 * multipart upload with resume ({@link MultipartUploader}), key rotation ({@link ObjectRewrapper}),
 * RSA and KMS master keys ({@link MasterKey}) and several keys chosen by matdesc ({@link
 * MasterKeyRing}). Credentials, region, endpoint, signature version (V4 by default), timeouts and
 * the SDK's own retries are the V2 client's, configured where it is built.
 *
 * <p><b>Security guarantees.</b> Each object gets a fresh content key and IV (FMT-2), wrapped by
 * the master key; the stored bytes are AES-CTR ciphertext. An object without an envelope is refused
 * ({@link dev.osscse.oss.UnencryptedObjectException}) unless {@link
 * Builder#allowPlaintextObjects(boolean)} is set; a reply whose range, length, ETag or CRC-64 does
 * not match is refused. Reads are <b>unauthenticated</b> (AES-CTR without a MAC): whoever can write
 * the object can change the plaintext undetected, hence the {@link UnauthenticatedObjectStream}
 * type.
 *
 * <p><b>Restrictions / failure behaviour.</b> Thread-safe; the V2 client is not owned (never closed
 * here). Failures of the V2 client pass through as its {@code OperationException}; envelope and key
 * failures are the binding's typed exceptions ({@link dev.osscse.oss.EnvelopeException}, the
 * uniform {@code InvalidKeyException("unwrap failed")}); a range past the end is {@link
 * dev.osscse.oss.InvalidByteRangeException}. Of a {@link PutObjectRequest} the body, headers
 * (Content-Type, Cache-Control, ...) and user metadata are used; a caller's {@code Content-MD5} is
 * recorded as {@code unencrypted-content-md5} (FMT-8), since the stored bytes differ.
 *
 * <pre>{@code
 * OSSClient v2 = OSSClient.newBuilder()
 *     .credentialsProvider(new EnvironmentVariableCredentialsProvider())
 *     .region("cn-hangzhou")
 *     .build();
 * OssCseV2Client cse = OssCseV2Client.newBuilder()
 *     .client(v2)
 *     .encryptWith(MasterKey.rsa(keyPair, Map.of("desc", "prod")))
 *     .build();
 * cse.putObject(PutObjectRequest.newBuilder()
 *     .bucket("bkt").key("a.bin").body(BinaryData.fromBytes(data)).build());
 * try (InputStream in = cse.getObject("bkt", "a.bin", ByteRange.suffix(100))) { ... }
 * }</pre>
 */
public final class OssCseV2Client {
  private final OSSClient client;
  private final OssV2ObjectStore store;
  private final EncryptedStore core;

  private OssCseV2Client(Builder b) {
    this.client = b.client;
    this.store = new OssV2ObjectStore(b.client);
    EncryptedStore.Builder eb = EncryptedStore.builder(store);
    if (b.provider != null) {
      eb.provider(b.provider);
    }
    if (b.random != null) {
      eb.secureRandom(b.random);
    }
    if (b.encryptionKey != null) {
      eb.encryptWith(b.encryptionKey);
    }
    if (b.ring != null) {
      eb.decryptWith(b.ring);
    }
    if (b.retryPolicy != null) {
      eb.retryPolicy(b.retryPolicy);
    }
    eb.allowPlaintextObjects(b.allowPlaintext);
    this.core = eb.build();
  }

  /** A builder; {@link Builder#client(OSSClient)} is required. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** The V2 client, without encryption. */
  public OSSClient plainClient() {
    return client;
  }

  /** The SDK-neutral core this client is a face of (the same keys and store). */
  public EncryptedStore core() {
    return core;
  }

  /** The storage adapter over the V2 client. */
  public OssV2ObjectStore objectStore() {
    return store;
  }

  // ------------------------------------------------------------------ put

  /**
   * Encrypts and uploads the request's body. A body the V2 SDK can replay (bytes, a string, a byte
   * buffer) is resent as the same ciphertext on the V2 client's retries; a stream is read once, in
   * bounded memory, its length taken from the body or the request's {@code Content-Length} (else it
   * is sent chunked).
   *
   * @return the V2 client's answer to the PutObject of the ciphertext (ETag, CRC-64, version)
   */
  public PutObjectResult putObject(PutObjectRequest request)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(request, "request");
    BinaryData body = Objects.requireNonNull(request.body(), "request.body");
    ObjectStore.Metadata md = metadata(request);
    ObjectStore.Written w;
    if (inMemory(body)) {
      w = core.put(request.bucket(), request.key(), body.toBytes(), md);
    } else {
      long length = body.getLength() != null ? body.getLength() : -1;
      try (InputStream in = body.toStream()) {
        w = core.put(request.bucket(), request.key(), in, length, md);
      }
    }
    return (PutObjectResult) w.result();
  }

  /**
   * Encrypts and uploads a file in one PutObject (re-read as the same ciphertext on a retry); the
   * request's body, if any, is ignored. For large files see {@link #uploadFile}.
   */
  public PutObjectResult putObjectFromFile(PutObjectRequest request, Path file)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(request, "request");
    ObjectStore.Written w = core.put(request.bucket(), request.key(), file, metadata(request));
    return (PutObjectResult) w.result();
  }

  /**
   * Encrypts and uploads a file as a parallel multipart upload with the default part size and
   * parallelism ({@link MultipartUploader}); {@link #multipartUploader()} configures them, and
   * resumes an interrupted upload.
   */
  public MultipartUploadResult uploadFile(PutObjectRequest request, Path file)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(request, "request");
    return core.multipartUploader()
        .build()
        .upload(request.bucket(), request.key(), file, metadata(request));
  }

  /**
   * True for a body already held in memory (bytes, a string, a byte buffer), false for a stream or
   * a channel, which is read once even when it could be rewound: it is never copied into memory.
   */
  static boolean inMemory(BinaryData body) {
    return body.isReplayable()
        && !(body instanceof InputStreamBinaryData)
        && !(body instanceof ByteChannelBinaryData);
  }

  /** The outgoing metadata of a V2 put request: its headers and its user metadata. */
  static ObjectStore.Metadata metadata(PutObjectRequest request) {
    Map<String, Object> headers = new LinkedHashMap<>();
    request
        .headers()
        .forEach(
            (name, value) -> {
              if (!name.toLowerCase(Locale.ROOT).startsWith("x-oss-meta-")) {
                headers.put(name, value);
              }
            });
    Map<String, String> user = new LinkedHashMap<>();
    Map<String, String> given = request.metadata();
    if (given != null) {
      user.putAll(given);
    }
    return new ObjectStore.Metadata(headers, user);
  }

  // ------------------------------------------------------------------ get

  /**
   * Reads and decrypts the object {@code request} names, with its range if it sets one ({@code
   * bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}); the request's version, conditions and response
   * header overrides are sent on every GET of the read.
   */
  public UnauthenticatedObjectStream getObject(GetObjectRequest request)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(request, "request");
    return getObject(request, request.range() == null ? null : range(request.range()));
  }

  /** Reads and decrypts {@code bucket/key}, the whole object ({@code range} null) or a range. */
  public UnauthenticatedObjectStream getObject(String bucket, String key, ByteRange range)
      throws IOException, GeneralSecurityException {
    return core.get(store.source(bucket, key), range);
  }

  /**
   * Reads and decrypts the object {@code request} names; {@code range} (null: the whole object)
   * replaces the request's own range.
   */
  public UnauthenticatedObjectStream getObject(GetObjectRequest request, ByteRange range)
      throws IOException, GeneralSecurityException {
    return core.get(store.source(request), range);
  }

  /** The request's {@code Range} header as a {@link ByteRange}. */
  static ByteRange range(String header) {
    String h = header.trim();
    if (h.regionMatches(true, 0, "bytes=", 0, 6)) {
      h = h.substring(6);
    }
    return ByteRange.parse(h);
  }

  /**
   * Downloads and decrypts {@code bucket/key} (or a range: null for the whole object) to a file,
   * atomically: the target is replaced only by complete, verified plaintext.
   */
  public EncryptedStore.Downloaded getObjectToFile(
      String bucket, String key, ByteRange range, Path target)
      throws IOException, GeneralSecurityException {
    return core.download(bucket, key, range, target);
  }

  /**
   * Downloads and decrypts the object {@code request} names to a file, with the request's range if
   * it sets one, atomically as {@link #getObjectToFile(String, String, ByteRange, Path)}; the
   * request's version, conditions and response header overrides are sent on every GET.
   */
  public EncryptedStore.Downloaded getObjectToFile(GetObjectRequest request, Path target)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(request, "request");
    ByteRange range = request.range() == null ? null : range(request.range());
    return core.download(store.source(request), range, target);
  }

  /** The envelope of {@code bucket/key} from a HEAD, or empty when it has none. */
  public Optional<Envelope> headEnvelope(String bucket, String key)
      throws IOException, EnvelopeException {
    return core.headEnvelope(bucket, key);
  }

  /** A seekable channel over the plaintext of {@code bucket/key} (unauthenticated). */
  public EncryptedObjectChannel openChannel(String bucket, String key)
      throws IOException, GeneralSecurityException {
    return core.openChannel(bucket, key);
  }

  // ------------------------------------------------------------------ delete

  /**
   * Deletes an object and its companion authentication record; see {@link
   * EncryptedStore#delete(String, String)}.
   */
  public void deleteObject(String bucket, String key) {
    core.delete(bucket, key);
  }

  // ------------------------------------------------------------------ the other pieces

  /** A builder of parallel, resumable multipart uploads through this client. */
  public MultipartUploader.Builder multipartUploader() {
    return core.multipartUploader();
  }

  /** A builder of key rotation (rewrap to a new master key, same ciphertext). */
  public ObjectRewrapper.Builder rewrapper() {
    return core.rewrapper();
  }

  // ------------------------------------------------------------------ builder

  /** Configures an {@link OssCseV2Client}, in the V2 SDK's builder style. */
  public static final class Builder {
    private OSSClient client;
    private MasterKey encryptionKey;
    private MasterKeyRing ring;
    private boolean allowPlaintext;
    private Provider provider;
    private SecureRandom random;
    private RetryPolicy retryPolicy;

    private Builder() {}

    /** The V2 client to send through (required; not owned). */
    public Builder client(OSSClient value) {
      this.client = Objects.requireNonNull(value, "client");
      return this;
    }

    /**
     * The master key new objects are encrypted with (also used to decrypt, unless a ring is set).
     */
    public Builder encryptWith(MasterKey key) {
      this.encryptionKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /** The master keys objects are decrypted with, chosen by each object's matdesc. */
    public Builder decryptWith(MasterKeyRing keys) {
      this.ring = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** Return objects without an envelope as they are stored (default: refuse them). */
    public Builder allowPlaintextObjects(boolean allow) {
      this.allowPlaintext = allow;
      return this;
    }

    /** The JCA provider instance (default: the OssCse provider). */
    public Builder provider(Provider value) {
      this.provider = Objects.requireNonNull(value, "provider");
      return this;
    }

    /** The RNG for content keys, IVs and RSA padding (default: a new {@link SecureRandom}). */
    public Builder secureRandom(SecureRandom value) {
      this.random = Objects.requireNonNull(value, "secureRandom");
      return this;
    }

    /** Retries of reads (default: the core's, over the V2 adapter's transient failures). */
    public Builder retryPolicy(RetryPolicy value) {
      this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException if no V2 client was given
     */
    public OssCseV2Client build() {
      if (client == null) {
        throw new IllegalStateException("client (a V2 OSSClient) is required");
      }
      return new OssCseV2Client(this);
    }
  }
}
