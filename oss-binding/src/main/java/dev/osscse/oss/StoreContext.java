package dev.osscse.oss;

import dev.osscse.oss.spi.ObjectStore;
import dev.osscse.provider.RetryPolicy;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * What the pieces of one {@link EncryptedStore} share: the storage port, the envelope crypto, the
 * master keys, the two pipelines and the retry policy (docs/architecture.md).
 */
final class StoreContext {
  final ObjectStore store;
  final EnvelopeCrypto crypto;
  final MasterKey encryptionKey; // null: read only
  final MasterKeyRing decryptionKeys;
  final boolean allowPlaintextObjects;
  final RetryPolicy policy;
  final ReadPipeline reads;
  final WritePipeline writes;
  final ContentKeyCache rsaKeyCache; // null unless the RSA content-key cache is on
  final boolean authenticate; // writes add chunk tags and a companion record (FMT-26..FMT-31)

  StoreContext(EncryptedStore.Options<?> b) {
    this.store = b.store;
    this.crypto = new EnvelopeCrypto(b.provider, b.random);
    this.encryptionKey = b.encryptionKey;
    this.decryptionKeys = b.decryptionKeys;
    this.allowPlaintextObjects = b.allowPlaintextObjects;
    this.policy =
        b.policy != null
            ? b.policy
            : RetryPolicy.of(EncryptedStore.DEFAULT_READ_RETRIES, 5, 100, store::isTransient);
    this.rsaKeyCache =
        b.rsaCacheEntries == 0
            ? null
            : new ContentKeyCache(
                b.rsaCacheEntries,
                b.rsaCacheMaxAge.toNanos(),
                System::nanoTime,
                ContentKeyCache.DAEMON);
    this.authenticate = b.authenticate;
    this.reads =
        new ReadPipeline(
            this::openKey, allowPlaintextObjects, policy, b.requireAuthentication ? store : null);
    this.writes = new WritePipeline(store);
  }

  /**
   * The envelope of a HEAD's object, checked against the object's size (FMT-8, FMT-10); null for an
   * object without one, which is refused unless {@code allowPlaintext}.
   */
  static Envelope checkedEnvelope(
      String bucket, String key, ObjectStore.Head head, boolean allowPlaintext)
      throws IOException, GeneralSecurityException {
    Envelope env = ReadPipeline.envelopeOf(bucket, key, head.userMetadata()).orElse(null);
    if (env == null && !allowPlaintext) {
      throw new UnencryptedObjectException(bucket, key);
    }
    long size = head.contentLength();
    if (size < 0 || size > Envelope.MAX_OBJECT_SIZE) {
      throw new IOException("HEAD returned no usable Content-Length");
    }
    if (env != null) {
      ReadPipeline.checkLengths(bucket, key, env, size);
    }
    return env;
  }

  /** The encryption master key, or a failure naming the read-only configuration. */
  MasterKey requireEncryptionKey() {
    if (encryptionKey == null) {
      throw new IllegalStateException("no encryption master key is set (read only)");
    }
    return encryptionKey;
  }

  /**
   * Unwraps (or, for an RSA envelope with the cache on, takes the cached key); a ring miss names
   * the object, every unwrap failure stays "unwrap failed".
   */
  ContentKey openKey(String bucket, String key, Envelope envelope) throws GeneralSecurityException {
    ContentKeyCache cache =
        envelope.wrapAlgorithm().kind() == WrapAlgorithm.Kind.RSA ? rsaKeyCache : null;
    String id = cache == null ? null : ContentKeyCache.idOf(envelope);
    ContentKey cached = cache == null ? null : cache.get(id, crypto.provider());
    if (cached != null) {
      return cached;
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
}
