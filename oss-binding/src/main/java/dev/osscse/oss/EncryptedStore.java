package dev.osscse.oss;

import dev.osscse.oss.internal.PlaintextRecord;
import dev.osscse.oss.internal.RangePlan;
import dev.osscse.oss.internal.ResendBuffer;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Client-side encryption over any object store: the SDK-neutral core of the binding.
 *
 * <p><b>What it is.</b> Encrypting puts, decrypting reads (whole or any {@link ByteRange}),
 * verified downloads, the seekable {@link EncryptedObjectChannel}, multipart uploads and key
 * rotation, all through one storage port, {@link ObjectStore}, with no SDK type (docs/binding.md,
 * docs/architecture.md). {@code OssCseClient} is this core over {@code aliyun-sdk-oss} 3.x.
 *
 * <p><b>Security guarantees.</b> Confidentiality of content with AES-256-CTR under a fresh key per
 * object, wrapped by a {@link MasterKey}, in the official SDKs' format (docs/format.md). <b>No
 * integrity</b>: reads return {@link UnauthenticatedObjectStream}. Fails closed: no path uploads
 * plaintext; a read of an object without envelope throws {@link UnencryptedObjectException} unless
 * {@link Builder#allowPlaintextObjects(boolean)} is set. Every cipher comes from the configured
 * provider instance.
 *
 * <p><b>Restrictions / failure behaviour.</b> Thread-safe. The store's own failures pass through as
 * the adapter's exceptions; envelope problems are {@link EnvelopeException}; unwrap failures {@link
 * java.security.InvalidKeyException} "unwrap failed"; transfer and verification failures {@link
 * TransferVerificationException}.
 *
 * <pre>{@code
 * EncryptedStore cse = EncryptedStore.builder(objectStore)
 *     .encryptWith(MasterKey.rsa(keyPair, Map.of("desc", "prod")))
 *     .build();
 * cse.put("bkt", "a.bin", Path.of("a.bin"), null);
 * try (UnauthenticatedObjectStream in = cse.get("bkt", "a.bin", ByteRange.parse("100-199"))) {
 *   byte[] hundred = in.readAllBytes();
 * }
 * }</pre>
 */
public final class EncryptedStore {
  /** Failed requests or broken bodies one read tolerates by default (each retries or resumes). */
  public static final int DEFAULT_READ_RETRIES = 10;

  /** CRC-64 mismatches a whole-object download tolerates (each starts over from byte 0). */
  static final int DOWNLOAD_RESTARTS = 2;

  /** What of a one-shot stream a store may keep to resend it (the OSS SDK's own buffer). */
  private static final int SDK_RESEND_BUFFER = 512 * 1024;

  private final StoreContext ctx;

  private EncryptedStore(Options<?> b) {
    this.ctx = new StoreContext(b);
  }

  /** Starts a builder over a storage adapter (which this store does not own or close). */
  public static Builder builder(ObjectStore store) {
    return new Builder(store);
  }

  /** The storage port underneath. */
  public ObjectStore store() {
    return ctx.store;
  }

  /** The envelope crypto (provider, key generation and wrapping) this store uses. */
  public EnvelopeCrypto envelopeCrypto() {
    return ctx.crypto;
  }

  /** The master key used for writing, if any. */
  public Optional<MasterKey> encryptionKey() {
    return Optional.ofNullable(ctx.encryptionKey);
  }

  /**
   * Zeroes and drops every content key of the RSA content-key cache ({@link
   * Builder#cacheRsaContentKeys}), if it is on; the next read of each object unwraps again.
   */
  public void clearKeyCache() {
    if (ctx.rsaKeyCache != null) {
      ctx.rsaKeyCache.clear();
    }
  }

  StoreContext context() {
    return ctx;
  }

  /**
   * Encrypts and uploads a stream, reading it once in bounded memory.
   *
   * @param length the exact plaintext length, or -1 if unknown (sent chunked; a {@code
   *     Content-Length} in {@code metadata} is then taken as the length)
   * @param metadata optional (may be null): headers and user metadata; a {@code Content-MD5} is
   *     moved to {@code unencrypted-content-md5} (FMT-8); envelope keys in its user metadata are
   *     refused
   */
  public ObjectStore.Written put(
      String bucket, String key, InputStream plaintext, long length, ObjectStore.Metadata metadata)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(plaintext, "plaintext");
    return put(bucket, key, () -> plaintext, true, length, metadata);
  }

  /**
   * Encrypts and uploads a file; see {@link #put(String, String, InputStream, long,
   * ObjectStore.Metadata)}.
   */
  public ObjectStore.Written put(
      String bucket, String key, Path file, ObjectStore.Metadata metadata)
      throws IOException, GeneralSecurityException {
    return put(bucket, key, () -> Files.newInputStream(file), false, Files.size(file), metadata);
  }

  /**
   * Encrypts and uploads a byte array; see {@link #put(String, String, InputStream, long,
   * ObjectStore.Metadata)}.
   */
  public ObjectStore.Written put(
      String bucket, String key, byte[] plaintext, ObjectStore.Metadata metadata)
      throws IOException, GeneralSecurityException {
    return put(
        bucket, key, () -> new ByteArrayInputStream(plaintext), false, plaintext.length, metadata);
  }

  /** Opens the plaintext of a put or a part from its first byte, once per attempt. */
  interface Plaintext {
    InputStream open() throws IOException;
  }

  /**
   * A stream read {@code once} is sent once (the SDK may resend the first 512 KiB it keeps), its
   * length taken from a {@code Content-Length} in {@code metadata} if {@code given} is -1; a file
   * or an array is retried as docs/architecture.md ("The write pipeline") says. A failed check
   * (CRC-64, length) deleted the object and is not retried.
   */
  private ObjectStore.Written put(
      String bucket,
      String key,
      Plaintext plaintext,
      boolean once,
      long given,
      ObjectStore.Metadata metadata)
      throws IOException, GeneralSecurityException {
    CallerMetadata caller = CallerMetadata.of(metadata);
    if (once && given >= 0 && caller.contentLength() >= 0 && given != caller.contentLength()) {
      throw new IllegalArgumentException(
          "length " + given + " differs from the metadata's Content-Length");
    }
    long length = given >= 0 ? given : caller.contentLength();
    MasterKey master = ctx.requireEncryptionKey();
    ObjectStore.Metadata outgoing = caller.outgoing();
    EnvelopeCrypto.Sealed sealed = ctx.crypto.seal(master);
    ContentKey contentKey = sealed.contentKey();
    try {
      Envelope.Builder eb = sealed.envelope();
      if (length >= 0) {
        eb.unencryptedLength(length);
      }
      Optional.ofNullable(caller.contentMd5()).ifPresent(eb::unencryptedMd5);
      EnvelopeCodec.writeTo(eb.build(), outgoing.user());
      if (ctx.authenticate) {
        Authentication.mark(outgoing.user());
      }
      RetryPolicy.Budget budget = (once ? RetryPolicy.none() : ctx.policy).budget();
      PlaintextRecord record = once ? null : new PlaintextRecord(length);
      while (true) {
        InputStream in = plaintext.open();
        try (AuthKeys authKeys = ctx.authenticate ? Authentication.keys(contentKey) : null) {
          WritePipeline.Body body = ctx.writes.encrypt(contentKey, 0, in, length, record);
          TagTable tags = new TagTable();
          WritePipeline.Body tagged =
              authKeys != null ? Authentication.tag(body, authKeys, 0, tags) : body;
          WritePipeline.Body sent =
              once ? tagged.with(new ResendBuffer(tagged.in(), SDK_RESEND_BUFFER)) : tagged;
          // A known length goes as Content-Length (the encrypting stream fails before its last byte
          // if the source is longer); chunked coding costs a small write per 4 KiB chunk.
          ObjectStore.Written result =
              ctx.writes.put(bucket, key, outgoing, sent, once && length <= 0, null, true);
          if (authKeys != null) {
            Authentication.finish(tagged);
            Authentication.writeRecord(
                ctx.store, bucket, key, authKeys, tags, tagged.count().getAsLong());
          }
          return result;
        } catch (IOException | RuntimeException e) {
          if (e instanceof TransferVerificationException
              || SourceChangedException.findIn(e).isPresent()
              || !budget.retry(e)) {
            throw e;
          }
        } finally {
          if (!once) {
            in.close(); // the file or array stream this method opened
          }
        }
      }
    } finally {
      contentKey.destroy();
    }
  }

  /**
   * Deletes an object and then its companion authentication record {@code .oss-cse-auth/<key>}
   * (docs/format.md FMT-26), whether or not this store authenticates: deleting a record that does
   * not exist is a no-op. If the record's delete fails, the object is already gone and the record
   * left verifies nothing else; deleting again finishes the job.
   */
  public void delete(String bucket, String key) {
    Authentication.deleteWithRecord(ctx.store, bucket, key);
  }

  /** Reads and decrypts a whole object. */
  public UnauthenticatedObjectStream get(String bucket, String key)
      throws IOException, GeneralSecurityException {
    return get(ctx.store.source(bucket, key), null);
  }

  /** Reads and decrypts a byte range ({@code null} = whole object). */
  public UnauthenticatedObjectStream get(String bucket, String key, ByteRange range)
      throws IOException, GeneralSecurityException {
    return get(ctx.store.source(bucket, key), range);
  }

  /**
   * Reads and decrypts a byte range of the object a source names (the adapter's request template:
   * version, conditions...); {@code null} = whole object.
   *
   * @throws InvalidByteRangeException if the range starts at or past the end of the object
   */
  public UnauthenticatedObjectStream get(ObjectStore.Source source, ByteRange range)
      throws IOException, GeneralSecurityException {
    return new UnauthenticatedObjectStream(open(source, range), range != null);
  }

  /** One read through the pipeline. */
  private ReadPipeline.Read open(ObjectStore.Source source, ByteRange range)
      throws IOException, GeneralSecurityException {
    RangePlan plan =
        range == null
            ? RangePlan.whole()
            : range.isSuffix()
                ? RangePlan.suffix(range.suffixLength())
                : RangePlan.range(range.first(), range.last());
    try {
      return ctx.reads.open(source, plan);
    } catch (RangePlan.NotSatisfiableException e) {
      throw new InvalidByteRangeException(
          "the requested range of %s cannot be satisfied (object size %s)"
              .formatted(ReadPipeline.uri(source.bucket(), source.key()), e.objectSize()));
    }
  }

  /**
   * Returns an object's envelope from a HEAD request, or empty if it has none.
   *
   * @throws EnvelopeException if the envelope is present but malformed
   */
  public Optional<Envelope> headEnvelope(String bucket, String key)
      throws IOException, EnvelopeException {
    return ReadPipeline.envelopeOf(bucket, key, ctx.store.head(bucket, key).userMetadata());
  }

  /**
   * Downloads and decrypts an object or a range to a file. The plaintext goes to a temporary file
   * in the target's directory, which is renamed over the target only when complete and verified
   * (exact length; CRC-64 of the ciphertext for whole objects, where a mismatch starts over from
   * byte 0 at most {@value #DOWNLOAD_RESTARTS} times). On failure the target is untouched and the
   * temporary file removed.
   *
   * @param range the range, or null for the whole object
   * @return the response headers ({@code Content-Length} the plaintext length, for a range {@code
   *     Content-Range} the plaintext range) and user metadata of the read
   */
  public Downloaded download(String bucket, String key, ByteRange range, Path target)
      throws IOException, GeneralSecurityException {
    return download(ctx.store.source(bucket, key), range, target);
  }

  /**
   * What a download returns.
   *
   * @param headers the response headers, names case-insensitive
   * @param userMetadata the object's user metadata, keys without {@code x-oss-meta-}
   */
  public record Downloaded(Map<String, Object> headers, Map<String, String> userMetadata) {}

  /**
   * {@link #download(String, String, ByteRange, Path)} of the object {@code source} names (the
   * adapter's request template).
   */
  public Downloaded download(ObjectStore.Source source, ByteRange range, Path target)
      throws IOException, GeneralSecurityException {
    Path absolute = target.toAbsolutePath();
    Path temp =
        Files.createTempFile(
            absolute.getParent(), "." + absolute.getFileName().toString() + ".", ".part");
    try {
      Downloaded done;
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = Channels.newOutputStream(ch);
        if (range == null) {
          ObjectStore.Reply first =
              ctx.reads
                  .download(
                      source,
                      out,
                      () -> ch.truncate(0).position(0),
                      DOWNLOAD_RESTARTS,
                      new ArrayList<>())
                  .firstReply();
          done = new Downloaded(first.headers(), first.userMetadata());
        } else {
          try (ReadPipeline.Read in = open(source, range)) {
            in.transferTo(out);
            done =
                new Downloaded(
                    UnauthenticatedObjectStream.headers(in, true), in.firstReply().userMetadata());
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
      return done;
    } catch (Throwable t) {
      Files.deleteIfExists(temp);
      throw t;
    }
  }

  /**
   * Carries an object's authentication record to a server-side copy of it (docs/format.md FMT-29):
   * verifies the source's record against the object (marker, root, length; no body is read, and the
   * source's envelope must open with this store's keys) and puts it, re-rooted to the target's
   * bucket and key, as {@code .oss-cse-auth/<targetKey>}. Call it before copying, and copy on the
   * condition of the returned ETag, so the copy is the verified object and is never readable
   * without its record.
   *
   * @return the ETag of the verified source object
   * @throws ObjectAuthenticationException if the source has no envelope, marker or record, or its
   *     record does not verify; nothing is written then
   */
  public String copyAuthenticationRecord(
      String sourceBucket, String sourceKey, String targetBucket, String targetKey)
      throws IOException, GeneralSecurityException {
    return Authentication.copyRecord(ctx, sourceBucket, sourceKey, targetBucket, targetKey);
  }

  /** A seekable channel over an object, with the default read-ahead. */
  public EncryptedObjectChannel openChannel(String bucket, String key)
      throws IOException, GeneralSecurityException {
    return EncryptedObjectChannel.open(this, bucket, key);
  }

  /** A builder of parallel, resumable multipart uploads through this store. */
  public MultipartUploader.Builder multipartUploader() {
    return MultipartUploader.builder(this);
  }

  /** A builder of key rotation (rewrap) through this store. */
  public ObjectRewrapper.Builder rewrapper() {
    return ObjectRewrapper.builder(this);
  }

  /**
   * The settings of an encrypting store, one set for {@link Builder} and for the builders of the
   * SDK faces over it ({@code OssCseClient.Builder}).
   *
   * @param <B> the builder type every setter returns
   */
  public abstract static class Options<B extends Options<B>> {
    // StoreContext reads them.
    final ObjectStore store;
    Provider provider = OssCseProviders.provider();
    SecureRandom random;
    MasterKey encryptionKey;
    MasterKeyRing decryptionKeys;
    boolean allowPlaintextObjects;
    RetryPolicy policy;
    int rsaCacheEntries;
    Duration rsaCacheMaxAge;
    boolean authenticate;
    boolean requireAuthentication;

    /** Settings over a storage adapter (which the store does not own or close). */
    protected Options(ObjectStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    @SuppressWarnings("unchecked") // B is the class that extends Options<B>
    private B self() {
      return (B) this;
    }

    /** The JCA provider instance for every cipher (default: the shared {@code OssCse} instance). */
    public B provider(Provider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return self();
    }

    /** The RNG for content keys, IVs and RSA padding (default: a new {@link SecureRandom}). */
    public B secureRandom(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return self();
    }

    /**
     * The master key for writing. If no decryption ring is set, it is also the (only, default) key
     * for reading.
     */
    public B encryptWith(MasterKey key) {
      if (!key.canEncrypt()) {
        throw new IllegalArgumentException("the encryption master key has no public key");
      }
      this.encryptionKey = key;
      return self();
    }

    /** The master keys for reading. */
    public B decryptWith(MasterKeyRing ring) {
      this.decryptionKeys = Objects.requireNonNull(ring, "ring");
      return self();
    }

    /**
     * Return objects without envelope as they are instead of throwing {@link
     * UnencryptedObjectException} (default false). Ranges are still trimmed exactly.
     */
    public B allowPlaintextObjects(boolean allow) {
      this.allowPlaintextObjects = allow;
      return self();
    }

    /**
     * The retry policy of reads (default: {@value #DEFAULT_READ_RETRIES} retries per read,
     * full-jitter pauses from 5 ms up to 100 ms, failures the store calls transient).
     */
    public B retryPolicy(RetryPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return self();
    }

    /**
     * Keeps up to {@code maxEntries} unwrapped content keys of RSA-wrapped objects in memory, each
     * for at most {@code maxAge} from its unwrap: reading the same object again, whole or a range,
     * costs no RSA private-key operation. Off by default. KMS-wrapped objects have their own cache
     * ({@code KmsCacheConfig}).
     *
     * <p><b>Security note.</b> A cached key outlives the stream or channel that used it (whose own
     * copy is still destroyed on close) until it is evicted (least recently used first), expires
     * (swept when it expires, by a shared daemon thread), or {@link EncryptedStore#clearKeyCache()}
     * runs; every way zeroes it. The private key that unwraps these keys sits in the same process,
     * so the cache exposes no key the process could not unwrap again; what it adds is content keys
     * lying in memory for up to {@code maxAge} without a read in progress. Failed unwraps are never
     * cached.
     *
     * @param maxEntries 1 to 10,000
     * @param maxAge more than zero, at most 24 hours
     * @throws IllegalArgumentException if a bound is out of range
     */
    public B cacheRsaContentKeys(int maxEntries, Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      ContentKeyCache.checkMaxEntries(maxEntries);
      if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("maxAge must be > 0 and <= 24h, got " + maxAge);
      }
      this.rsaCacheEntries = maxEntries;
      this.rsaCacheMaxAge = maxAge;
      return self();
    }

    /**
     * Authenticate what this store writes (default false): every put, multipart upload and rewrap
     * also writes the object's chunk tags and root in a companion object {@code
     * .oss-cse-auth/<key>} and marks the object (docs/format.md FMT-26..FMT-31). The object itself
     * stays in the official format, which every official SDK reads as before. Multipart part sizes
     * must then be multiples of 1 MiB.
     */
    public B authenticate(boolean authenticate) {
      this.authenticate = authenticate;
      return self();
    }

    /**
     * Require authentication on every read (default false): an object without marker or valid
     * record is refused, and no byte of a 1 MiB chunk is returned before the chunk verified; ranged
     * reads fetch whole chunks (FMT-30). Failures are {@link ObjectAuthenticationException}. Cannot
     * be combined with {@link #allowPlaintextObjects}.
     */
    public B requireAuthentication(boolean require) {
      this.requireAuthentication = require;
      return self();
    }

    /** Builds the store; at least an encryption key or a decryption ring is needed. */
    protected final EncryptedStore buildStore() {
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
      return new EncryptedStore(this);
    }
  }

  /** Configures an {@link EncryptedStore}. */
  public static final class Builder extends Options<Builder> {
    private Builder(ObjectStore store) {
      super(store);
    }

    /** Builds the store; at least an encryption key or a decryption ring is needed. */
    public EncryptedStore build() {
      return buildStore();
    }
  }
}
