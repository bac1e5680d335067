package dev.osscse.oss;

import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.internal.RangePlan;
import dev.osscse.oss.spi.ObjectStore;
import dev.osscse.provider.RetryPolicy;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Key rotation: re-wraps an object's content key under a new master key without re-encrypting the
 * content.
 *
 * <p><b>What it is.</b> OSS refuses to change client-side encryption metadata through CopyObject
 * (docs/format.md FMT-24), so the stored ciphertext is read as it is (every GET with {@code
 * If-Match} on the ETag seen first) and written back with a new envelope ({@link
 * EnvelopeCrypto#rewrap}): in one PutObject up to the multipart threshold, else in parts as {@link
 * MultipartUploader} sends them. Headers and user metadata other than the envelope are kept (the
 * list: docs/binding.md, "Key rotation"); a deprecated oss2 envelope comes out in the current
 * format.
 *
 * <p><b>Security guarantees.</b> The content, its keystream and its CRC-64 stay bit-identical; only
 * the envelope changes, so the result is read by the official SDKs with the new key only. Before
 * the rewrite is committed, the ciphertext read is checked against the original object's {@code
 * x-oss-hash-crc64ecma} (the last byte of a PutObject is withheld, or the multipart upload is
 * aborted, on a mismatch), so a corrupted read never replaces the original. Old keys stay able to
 * decrypt any copy of the old envelope made elsewhere: rotation does not revoke them.
 *
 * <p><b>Restrictions / failure behaviour.</b> Not atomic against concurrent writers: a write that
 * lands between the read and the rewrite is overwritten (the If-Match only protects the read side).
 * ACLs, tags, versions and Last-Modified are not preserved. Unwrap failures are {@link
 * java.security.InvalidKeyException} "unwrap failed"; failed multipart re-uploads {@link
 * MultipartUploadException} (aborted, original untouched).
 *
 * <pre>{@code
 * ObjectRewrapper rotate = ObjectRewrapper.builder(cseClientWithOldAndNewKeys.core())
 *     .newMasterKey(MasterKey.rsa(newPair, Map.of("gen", "2")))
 *     .build();
 * RewrapResult r = rotate.rewrap("bkt", "a.bin");
 * }</pre>
 */
public final class ObjectRewrapper {
  /** Default size above which the ciphertext is re-uploaded in parts: 64 MiB. */
  public static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;

  private static final List<String> KEPT_HEADERS =
      List.of(
          "Content-Type",
          "Content-Disposition",
          "Content-Encoding",
          "Content-Language",
          "Cache-Control",
          "Expires",
          "x-oss-storage-class");

  private final StoreContext ctx;
  private final MasterKey newKey;
  private final long multipartThreshold;
  private final MultipartUploader engine; // for ciphertext parts, aborting on failure

  private ObjectRewrapper(Builder b) {
    this.ctx = b.ctx;
    this.newKey = b.newKey;
    this.multipartThreshold = b.multipartThreshold;
    this.engine = b.engine.buildForCiphertext();
  }

  /** Starts a builder; the store's decryption ring must hold the old master key. */
  public static Builder builder(EncryptedStore store) {
    return new Builder(store);
  }

  /**
   * Re-wraps one object's content key under the new master key.
   *
   * @throws UnencryptedObjectException if the object has no envelope
   * @throws TransferVerificationException if the ciphertext read does not match the original's
   *     CRC-64 or length (the original is kept)
   */
  public RewrapResult rewrap(String bucket, String key)
      throws IOException, GeneralSecurityException {
    ObjectStore.Head head = ctx.store.head(bucket, key);
    Envelope previous = StoreContext.checkedEnvelope(bucket, key, head, false);
    long size = head.contentLength();
    Long crc = head.serverCrc64();
    ReadPipeline.Pinned ciphertext = new ReadPipeline.Pinned(head.etag(), size, crc, null, null);
    Envelope.Builder nb;
    ContentKey ck = ctx.openKey(bucket, key, previous);
    try {
      nb = ctx.crypto.rewrap(ck, newKey);
    } finally {
      ck.destroy();
    }
    previous.unencryptedMd5().ifPresent(nb::unencryptedMd5);
    ObjectStore.Metadata outgoing = keptMetadata(head);
    if (Authentication.isMarked(head.userMetadata())) {
      // Same CEK, IV, bucket, key and ciphertext: the companion record stays valid (FMT-31).
      Authentication.mark(outgoing.user());
    }
    if (size <= multipartThreshold) {
      Envelope current = nb.unencryptedLength(size).build();
      Authentication.writeEnvelope(current, outgoing.user());
      OptionalLong crc64 = crc == null ? OptionalLong.empty() : OptionalLong.of(crc);
      // One read, its CRC-64 checked before the last chunk is handed over, into one PutObject. The
      // original is overwritten: a failed check keeps what was stored, never deletes it.
      try (ReadPipeline.Read in = readCiphertext(bucket, key, ciphertext, RangePlan.whole())) {
        WritePipeline.Body body =
            new WritePipeline.Body(in, size, () -> size - in.remaining(), null);
        String etag = ctx.writes.put(bucket, key, outgoing, body, false, crc, false).etag();
        return new RewrapResult(bucket, key, etag, size, false, crc64, previous, current);
      }
    }
    Envelope current = nb.partSize(engine.partSize()).dataSize(size).build();
    EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiateCiphertext(ctx.writes, bucket, key, current, outgoing);
    MultipartUploadResult r =
        engine.run(
            up,
            n -> rangedPart(up, ciphertext, n),
            u -> {
              OptionalLong combined = u.objectCrc64();
              if (crc != null && combined.isPresent() && combined.getAsLong() != crc) {
                throw new TransferVerificationException(
                    "the ciphertext read does not match the original object's CRC-64");
              }
            });
    return new RewrapResult(bucket, key, r.etag(), size, true, r.crc64(), previous, current);
  }

  /** The stored ciphertext as it is, under {@code If-Match}; not resumed (it fails the rewrap). */
  private ReadPipeline.Read readCiphertext(
      String bucket, String key, ReadPipeline.Pinned ciphertext, RangePlan plan)
      throws IOException, GeneralSecurityException {
    return ctx.reads.open(
        ctx.store.source(bucket, key), plan, ciphertext, RetryPolicy.none().budget());
  }

  private MultipartUploader.PartJob rangedPart(
      EncryptedMultipartUpload up, ReadPipeline.Pinned ciphertext, int n) {
    long offset = (n - 1) * up.partSize();
    if (n > 1 && offset >= ciphertext.objectSize()) {
      return null;
    }
    long length = Math.min(up.partSize(), ciphertext.objectSize() - offset);
    MultipartUploader.Attempt attempt =
        () -> {
          try (ReadPipeline.Read in =
              readCiphertext(
                  up.bucket(),
                  up.key(),
                  ciphertext,
                  RangePlan.range(offset, offset + length - 1))) {
            if (in.firstByte() != offset || in.length() != length) {
              throw new IOException("the ranged GET of part " + n + " returned another range");
            }
            return up.uploadCiphertextPart(n, in, length);
          }
        };
    return new MultipartUploader.PartJob(n, offset, length, false, attempt, () -> {});
  }

  /** The headers and user metadata kept across the rewrite; the envelope is dropped. */
  static ObjectStore.Metadata keptMetadata(ObjectStore.Head head) {
    ObjectStore.Metadata out =
        new ObjectStore.Metadata(new LinkedHashMap<>(), new LinkedHashMap<>());
    for (Map.Entry<String, Object> h : head.headers().entrySet()) {
      if (h.getValue() != null && KEPT_HEADERS.stream().anyMatch(h.getKey()::equalsIgnoreCase)) {
        out.headers().put(h.getKey(), h.getValue());
      }
    }
    for (Map.Entry<String, String> u : head.userMetadata().entrySet()) {
      if (u.getKey() != null && !MetadataKeys.isReserved(u.getKey())) {
        out.user().put(u.getKey().toLowerCase(Locale.ROOT), u.getValue());
      }
    }
    return out;
  }

  /** Configures an {@link ObjectRewrapper}. */
  public static final class Builder {
    private final StoreContext ctx;
    private final MultipartUploader.Builder engine;
    private MasterKey newKey;
    private long multipartThreshold = DEFAULT_MULTIPART_THRESHOLD;

    private Builder(EncryptedStore store) {
      this.ctx = store.context();
      this.engine = new MultipartUploader.Builder(store).abortOnFailure(true);
    }

    /** The master key to wrap under (default: the store's encryption key). */
    public Builder newMasterKey(MasterKey key) {
      if (!key.canEncrypt()) {
        throw new IllegalArgumentException("the new master key cannot encrypt (no public key)");
      }
      this.newKey = key;
      return this;
    }

    /** Objects larger than this are re-uploaded in parts (default 64 MiB; at least 1). */
    public Builder multipartThreshold(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("multipartThreshold must be >= 1, got " + bytes);
      }
      this.multipartThreshold = bytes;
      return this;
    }

    /**
     * Part size of a multipart re-upload (default 8 MiB): a positive multiple of 16.
     *
     * @throws InvalidPartSizeException otherwise
     */
    public Builder partSize(long partSize) {
      engine.partSize(partSize);
      return this;
    }

    /** Parts in flight during a multipart re-upload, 1..64 (default 3). */
    public Builder parallelism(int parallelism) {
      engine.parallelism(parallelism);
      return this;
    }

    /** Attempts per part, 1..10 (default 3). */
    public Builder partAttempts(int attempts) {
      engine.partAttempts(attempts);
      return this;
    }

    /** Builds the rewrapper. */
    public ObjectRewrapper build() {
      if (newKey == null) {
        if (ctx.encryptionKey == null) {
          throw new IllegalStateException(
              "set newMasterKey(...): the client has no encryption key");
        }
        newKey = ctx.encryptionKey;
      }
      return new ObjectRewrapper(this);
    }
  }
}
