package dev.osscse.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import dev.osscse.oss.aliyun.AliyunObjectStore;
import dev.osscse.oss.aliyun.CallerMetadata;
import dev.osscse.oss.internal.EncryptingInputStream;
import dev.osscse.oss.internal.RangePlan;
import dev.osscse.oss.internal.auth.AuthKeys;
import dev.osscse.oss.internal.auth.TagTable;
import dev.osscse.oss.spi.ObjectStore;
import dev.osscse.provider.OssCseProviders;
import dev.osscse.provider.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;

/**
 * Client-side encryption over a real {@code com.aliyun.oss.OSS} client, in the official SDKs'
 * format.
 *
 * <p><b>What it is.</b> Encrypting uploads ({@code putObject} from a stream, a file or bytes) and
 * decrypting reads ({@code getObject}, whole or any {@link ByteRange}; {@code downloadObject} to a
 * file) over a plain OSS client. Objects it writes are read by {@code OSSEncryptionClient} and the
 * Go, Python and C++ SDKs, and it reads theirs (docs/format.md). {@link #asOss()} exposes it as an
 * {@code OSS} so code written for {@code OSSEncryptionClient} switches with one line.
 *
 * <p><b>Security guarantees.</b> Confidentiality of content with AES-256-CTR under a fresh key per
 * object, wrapped by a {@link MasterKey}. <b>No integrity</b>: the format has no MAC, so reads
 * return {@link UnauthenticatedObjectStream}. Fails closed: no path uploads plaintext; a read of an
 * object without envelope throws {@link UnencryptedObjectException} unless {@link
 * Builder#allowPlaintextObjects(boolean)} is set. Every cipher comes from the configured provider
 * instance, never from global registration.
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
  /** Failed requests or broken bodies one read tolerates (each retries or resumes). */
  static final int DOWNLOAD_RETRIES = 10;

  /** CRC-64 mismatches a whole-object download tolerates (each starts over from byte 0). */
  static final int DOWNLOAD_RESTARTS = 2;

  /** Pause bound of a read's first retry; it doubles with each retry up to 100 ms. */
  static final long DOWNLOAD_BACKOFF_MILLIS = 5;

  private final OSS oss;
  private final AliyunObjectStore store;
  private final ReadPipeline reads;
  private final WritePipeline writes;
  private final EnvelopeCrypto crypto;
  private final MasterKey encryptionKey; // may be null: read-only client
  private final MasterKeyRing decryptionKeys;
  private final boolean allowPlaintextObjects;
  private final ContentKeyCache rsaKeyCache; // null unless cacheRsaContentKeys was set
  private final boolean authenticate;
  private final boolean requireAuthentication;

  private OssCseClient(Builder b) {
    this.oss = b.oss;
    this.crypto = new EnvelopeCrypto(b.provider, b.random);
    this.encryptionKey = b.encryptionKey;
    this.decryptionKeys = b.decryptionKeys;
    this.allowPlaintextObjects = b.allowPlaintextObjects;
    this.rsaKeyCache =
        b.rsaCacheEntries == 0
            ? null
            : new ContentKeyCache(
                b.rsaCacheEntries,
                b.rsaCacheMaxAge.toNanos(),
                System::nanoTime,
                ContentKeyCache.DAEMON);
    this.authenticate = b.authenticate;
    this.requireAuthentication = b.requireAuthentication;
    this.store = new AliyunObjectStore(b.oss);
    this.writes = new WritePipeline(store);
    this.reads =
        new ReadPipeline(
            this::openKey,
            allowPlaintextObjects,
            RetryPolicy.of(DOWNLOAD_RETRIES, DOWNLOAD_BACKOFF_MILLIS, 100, store::isTransient),
            requireAuthentication ? this::readRecord : null);
  }

  /** A companion object's bytes (FMT-26), or null when there is none. */
  private byte[] readRecord(String bucket, String companionKey, long maxBytes) throws IOException {
    ObjectStore.Reply r;
    try {
      r = store.source(bucket, companionKey).get(-1, -1, null);
    } catch (OSSException e) {
      if ("NoSuchKey".equals(e.getErrorCode())) {
        return null;
      }
      throw e;
    }
    boolean complete = false;
    try {
      if (r.contentLength() > maxBytes) {
        throw new ObjectAuthenticationException(
            bucket, companionKey, "authentication record over " + maxBytes + " bytes", null);
      }
      byte[] bytes = r.body().readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > maxBytes) {
        throw new ObjectAuthenticationException(
            bucket, companionKey, "authentication record over " + maxBytes + " bytes", null);
      }
      complete = true;
      return bytes;
    } finally {
      r.close(complete);
    }
  }

  /** Starts a builder over a plain OSS client (which this client does not own or shut down). */
  public static Builder builder(OSS oss) {
    return new Builder(oss);
  }

  /** The plain OSS client underneath. */
  public OSS plainClient() {
    return oss;
  }

  /** The envelope crypto (provider, key generation and wrapping) this client uses. */
  public EnvelopeCrypto envelopeCrypto() {
    return crypto;
  }

  /** The master key used for writing, if any. */
  public Optional<MasterKey> encryptionKey() {
    return Optional.ofNullable(encryptionKey);
  }

  /** The master keys used for reading. */
  public MasterKeyRing decryptionKeys() {
    return decryptionKeys;
  }

  /** True if objects without envelope are returned as they are instead of refused. */
  public boolean allowsPlaintextObjects() {
    return allowPlaintextObjects;
  }

  /** True if this client's writes are authenticated (docs/format.md FMT-26..FMT-31). */
  public boolean authenticates() {
    return authenticate;
  }

  /** True if this client's reads refuse objects that do not authenticate (FMT-30). */
  public boolean requiresAuthentication() {
    return requireAuthentication;
  }

  /**
   * This client as a {@code com.aliyun.oss.OSS}: put and get are encrypted, operations that cannot
   * be encrypted are refused with {@link EncryptionRefusedException}, the rest pass through.
   */
  public OSS asOss() {
    return EncryptingOss.wrap(this);
  }

  // ------------------------------------------------------------------ put

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
    InputStream once = Objects.requireNonNull(plaintext, "plaintext");
    return put(bucket, key, once, null, CallerMetadata.of(metadata).contentLength(), metadata);
  }

  /** Encrypts and uploads a file. */
  public PutObjectResult putObject(String bucket, String key, Path file, ObjectMetadata metadata)
      throws IOException, GeneralSecurityException {
    long length = Files.size(file);
    return put(bucket, key, null, () -> Files.newInputStream(file), length, metadata);
  }

  /** Encrypts and uploads a byte array. */
  public PutObjectResult putObject(
      String bucket, String key, byte[] plaintext, ObjectMetadata metadata)
      throws IOException, GeneralSecurityException {
    return put(
        bucket, key, null, () -> new ByteArrayInputStream(plaintext), plaintext.length, metadata);
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

  /** Exactly one of {@code source} (read once) and {@code reopenable} (retryable) is non-null. */
  private PutObjectResult put(
      String bucket,
      String key,
      InputStream source,
      EncryptingInputStream.Source reopenable,
      long length,
      ObjectMetadata callerMetadata)
      throws IOException, GeneralSecurityException {
    if (encryptionKey == null) {
      throw new IllegalStateException("this client has no encryption master key (read only)");
    }
    CallerMetadata caller = CallerMetadata.of(callerMetadata);
    ObjectStore.Metadata outgoing = AliyunObjectStore.metadata(caller.outgoing());
    EnvelopeCrypto.Sealed sealed = crypto.seal(encryptionKey);
    try {
      Envelope.Builder eb = sealed.envelope();
      if (length >= 0) {
        eb.unencryptedLength(length);
      }
      if (caller.contentMd5() != null) {
        eb.unencryptedMd5(caller.contentMd5());
      }
      EnvelopeCodec.writeTo(eb.build(), outgoing.user());
      ContentKey contentKey = sealed.contentKey();
      // Retryable (a file or an array): the SDK may reset() and resend the same ciphertext.
      WritePipeline.Body body =
          reopenable != null
              ? writes.encrypt(contentKey, reopenable, length)
              : writes.encrypt(contentKey, 0, source, length, null);
      if (!authenticate) {
        try {
          return (PutObjectResult)
              writes.put(bucket, key, outgoing, body, reopenable == null, null, true).result();
        } finally {
          if (reopenable != null) {
            body.in().close(); // the file or array stream this method opened
          }
        }
      }
      Authentication.mark(outgoing.user());
      try (AuthKeys authKeys = Authentication.keys(contentKey)) {
        TagTable tags = new TagTable();
        WritePipeline.Body tagged = Authentication.tag(body, authKeys, 0, tags);
        PutObjectResult result;
        try {
          result =
              (PutObjectResult)
                  writes
                      .put(bucket, key, outgoing, tagged, reopenable == null, null, true)
                      .result();
        } finally {
          if (reopenable != null) {
            body.in().close();
          }
        }
        Authentication.finish(tagged);
        Authentication.writeRecord(
            store, bucket, key, authKeys, tags, tagged.count().getAsLong(), true);
        return result;
      }
    } finally {
      sealed.contentKey().destroy();
    }
  }

  // ------------------------------------------------------------------ get

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
    if (request.isUseUrlSignature()) {
      throw new EncryptionRefusedException("getObject with a presigned URL", "not supported");
    }
    ReadPipeline.Read in;
    try {
      in = reads.open(store.source(request), plan(range));
    } catch (OSSException e) {
      if (!"InvalidRange".equals(e.getErrorCode())) {
        throw e;
      }
      throw invalidRange(request, "", e.getErrorCode(), e.getRequestId(), e.getHostId(), e);
    } catch (RangePlan.NotSatisfiableException e) {
      throw invalidRange(
          request, " (object size " + e.objectSize() + ")", "InvalidRange", null, null, null);
    }
    ObjectMetadata md = AliyunObjectStore.metadata(in.firstReply());
    md.setContentLength(in.length());
    if (range != null) {
      md.setHeader(
          "Content-Range",
          in.length() == 0
              ? "bytes */" + in.objectSize()
              : "bytes "
                  + in.firstByte()
                  + "-"
                  + (in.firstByte() + in.length() - 1)
                  + "/"
                  + in.objectSize());
    }
    return new UnauthenticatedObjectStream(
        in, md, in.envelope(), in.firstByte(), in.length(), in.objectSize());
  }

  private static RangePlan plan(ByteRange range) {
    if (range == null) {
      return RangePlan.whole();
    }
    return range.isSuffix()
        ? RangePlan.suffix(range.suffixLength())
        : RangePlan.range(range.first(), range.last());
  }

  private static OSSException invalidRange(
      GetObjectRequest request,
      String detail,
      String code,
      String requestId,
      String hostId,
      Throwable cause) {
    return new OSSException(
        "range: the requested range of "
            + ReadPipeline.uri(request.getBucketName(), request.getKey())
            + " cannot be satisfied"
            + detail,
        code,
        requestId,
        hostId,
        null,
        null,
        "GET",
        cause);
  }

  /**
   * Returns an object's envelope from a HEAD request, or empty if it has none.
   *
   * @throws EnvelopeException if the envelope is present but malformed
   */
  public Optional<Envelope> headEnvelope(String bucket, String key)
      throws IOException, EnvelopeException {
    return ReadPipeline.envelopeOf(bucket, key, store.head(bucket, key).userMetadata());
  }

  // ------------------------------------------------------------------ download

  /**
   * Downloads and decrypts a whole object to a file; see {@link #downloadObject(GetObjectRequest,
   * ByteRange, Path)}.
   */
  public ObjectMetadata downloadObject(String bucket, String key, Path target)
      throws IOException, GeneralSecurityException {
    return downloadObject(new GetObjectRequest(bucket, key), null, target);
  }

  /**
   * Downloads and decrypts an object or a range to a file. The plaintext goes to a temporary file
   * in the target's directory, which is renamed over the target only when complete and verified
   * (exact length; CRC-64 of the ciphertext for whole objects, where a mismatch starts over from
   * byte 0 at most {@value #DOWNLOAD_RESTARTS} times). On failure the target is untouched and the
   * temporary file removed.
   */
  public ObjectMetadata downloadObject(GetObjectRequest request, ByteRange range, Path target)
      throws IOException, GeneralSecurityException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName().toString() + ".", ".part");
    boolean moved = false;
    try {
      ObjectMetadata md;
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = Channels.newOutputStream(ch);
        if (range == null && !request.isUseUrlSignature()) {
          ReadPipeline.Outcome o =
              reads.download(
                  store.source(request),
                  out,
                  () -> {
                    ch.truncate(0);
                    ch.position(0);
                  },
                  DOWNLOAD_RESTARTS,
                  new ArrayList<>());
          md = AliyunObjectStore.metadata(o.firstReply());
        } else {
          try (UnauthenticatedObjectStream in = getObject(request, range)) {
            in.transferTo(out);
            md = in.metadata();
          }
        }
        ch.force(true);
      }
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      return md;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** The read pipeline of this client (its store, key ring and retry policy). */
  ReadPipeline reads() {
    return reads;
  }

  /** The storage port of this client. */
  /** The write pipeline of this client. */
  WritePipeline writes() {
    return writes;
  }

  AliyunObjectStore store() {
    return store;
  }

  /**
   * Zeroes and drops every content key held by the RSA content-key cache ({@link
   * Builder#cacheRsaContentKeys(int, Duration)}); the next read of each object unwraps again. Does
   * nothing when the cache is off.
   */
  public void clearKeyCache() {
    if (rsaKeyCache != null) {
      rsaKeyCache.clear();
    }
  }

  /** The RSA content-key cache, or null when off. */
  ContentKeyCache rsaKeyCache() {
    return rsaKeyCache;
  }

  /**
   * Unwraps (or, for an RSA envelope with the cache on, takes the cached key); a ring miss names
   * the object, every unwrap failure stays "unwrap failed".
   */
  ContentKey openKey(String bucket, String key, Envelope envelope) throws GeneralSecurityException {
    ContentKeyCache cache =
        envelope.wrapAlgorithm().kind() == WrapAlgorithm.Kind.RSA ? rsaKeyCache : null;
    String id = cache == null ? null : ContentKeyCache.idOf(envelope);
    if (cache != null) {
      ContentKey cached = cache.get(id, crypto.provider());
      if (cached != null) {
        return cached;
      }
    }
    try {
      ContentKey opened = crypto.open(envelope, decryptionKeys);
      if (cache != null) {
        cache.put(id, opened);
      }
      return opened;
    } catch (NoMatchingMasterKeyException e) {
      throw new NoMatchingMasterKeyException(
          envelope.wrapAlgorithm(), envelope.matDesc().keySet(), bucket, key);
    }
  }

  // ------------------------------------------------------------------ builder

  /** Configures an {@link OssCseClient}. */
  public static final class Builder {
    private final OSS oss;
    private Provider provider = OssCseProviders.provider();
    private SecureRandom random;
    private MasterKey encryptionKey;
    private MasterKeyRing decryptionKeys;
    private boolean allowPlaintextObjects;
    private int rsaCacheEntries;
    private Duration rsaCacheMaxAge;
    private boolean authenticate;
    private boolean requireAuthentication;

    private Builder(OSS oss) {
      this.oss = Objects.requireNonNull(oss, "oss");
    }

    /** The JCA provider instance for every cipher (default: the shared {@code OssCse} instance). */
    public Builder provider(Provider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The RNG for content keys, IVs and RSA padding (default: a new {@link SecureRandom}). */
    public Builder secureRandom(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The master key for writing. If no decryption ring is set, it is also the (only, default) key
     * for reading.
     */
    public Builder encryptWith(MasterKey key) {
      if (!key.canEncrypt()) {
        throw new IllegalArgumentException("the encryption master key has no public key");
      }
      this.encryptionKey = key;
      return this;
    }

    /** The master keys for reading. */
    public Builder decryptWith(MasterKeyRing ring) {
      this.decryptionKeys = Objects.requireNonNull(ring, "ring");
      return this;
    }

    /**
     * Return objects without envelope as they are instead of throwing {@link
     * UnencryptedObjectException} (default false). Ranges are still trimmed exactly.
     */
    public Builder allowPlaintextObjects(boolean allow) {
      this.allowPlaintextObjects = allow;
      return this;
    }

    /**
     * Keeps up to {@code maxEntries} unwrapped content keys of RSA-wrapped objects in memory, each
     * for at most {@code maxAge} from its unwrap, keyed by the envelope's wrapped key and IV (and
     * its wrap algorithm and format): reading the same object again, whole or a range, costs no RSA
     * private-key operation. Off by default. KMS-wrapped objects have their own cache ({@code
     * KmsCacheConfig}).
     *
     * <p><b>Security note.</b> A cached key outlives the stream or channel that used it (whose own
     * copy is still destroyed on close) until it is evicted (least recently used first), expires
     * (swept when it expires, by a shared daemon thread), or {@link OssCseClient#clearKeyCache()}
     * runs; every way zeroes it. The private key that unwraps these keys sits in the same process,
     * so the cache exposes no key the process could not unwrap again; what it adds is content keys
     * lying in memory for up to {@code maxAge} without a read in progress. Failed unwraps are never
     * cached.
     *
     * @param maxEntries 1 to 10,000
     * @param maxAge more than zero, at most 24 hours
     * @throws IllegalArgumentException if a bound is out of range
     */
    public Builder cacheRsaContentKeys(int maxEntries, Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxEntries < 1 || maxEntries > ContentKeyCache.MAX_ENTRIES_LIMIT) {
        throw new IllegalArgumentException(
            "maxEntries must be 1.." + ContentKeyCache.MAX_ENTRIES_LIMIT + ", got " + maxEntries);
      }
      if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("maxAge must be > 0 and <= 24h, got " + maxAge);
      }
      this.rsaCacheEntries = maxEntries;
      this.rsaCacheMaxAge = maxAge;
      return this;
    }

    /**
     * Authenticate what this client writes (default false): every put, multipart upload and rewrap
     * also writes the object's chunk tags and root in a companion object {@code
     * .oss-cse-auth/<key>} and marks the object (docs/format.md FMT-26..FMT-31). The object itself
     * stays in the official format, which every official SDK reads as before. Multipart part sizes
     * must then be multiples of 1 MiB.
     */
    public Builder authenticate(boolean authenticate) {
      this.authenticate = authenticate;
      return this;
    }

    /**
     * Require authentication on every read (default false): an object without marker or valid
     * record is refused, and no byte of a 1 MiB chunk is returned before the chunk verified; ranged
     * reads fetch whole chunks (FMT-30). Failures are {@link ObjectAuthenticationException}. Cannot
     * be combined with {@link #allowPlaintextObjects}.
     */
    public Builder requireAuthentication(boolean require) {
      this.requireAuthentication = require;
      return this;
    }

    /** Builds the client; at least an encryption key or a decryption ring is needed. */
    public OssCseClient build() {
      if (encryptionKey == null && decryptionKeys == null) {
        throw new IllegalStateException("set encryptWith(...) or decryptWith(...)");
      }
      if (requireAuthentication && allowPlaintextObjects) {
        throw new IllegalStateException(
            "requireAuthentication and allowPlaintextObjects contradict each other");
      }
      if (decryptionKeys == null) {
        decryptionKeys = MasterKeyRing.builder().defaultKey(encryptionKey).build();
      }
      if (random == null) {
        random = new SecureRandom();
      }
      return new OssCseClient(this);
    }
  }
}
