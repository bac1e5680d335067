package dev.osscse.provider;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/**
 * An opaque handle to a KMS master key, usable as the key of the {@code KMS/ALICLOUD} cipher and
 * key generator.
 *
 * <p><b>What it is.</b> A master key id (CMK id, alias or ARN) bound to the {@link KeyService} that
 * can use it, plus an optional encryption context. It holds no key material: {@link #getEncoded()}
 * and {@link #getFormat()} return null and the algorithm is {@code "KMS"}. It does own the
 * read-side cache of unwrapped data keys ({@link KmsCacheConfig}, on by default) and, when asked
 * for, the write-side data key reuse state; share one reference between readers to share its cache.
 *
 * <p><b>Thread safety.</b> Immutable configuration; cache, reuse state and counters are
 * thread-safe. One reference may be used by any number of ciphers on any threads.
 *
 * <p><b>Compatibility.</b> The official SDKs send no encryption context; objects written with a
 * context can only be read with the same context.
 *
 * <pre>{@code
 * KmsKeyReference ref = KmsKeyReference.of(keyService, "key-id");
 * Cipher c = Cipher.getInstance("KMS/ALICLOUD/NoPadding", "OssCse");
 * c.init(Cipher.WRAP_MODE, ref);
 * String header = new String(c.wrap(cek), StandardCharsets.US_ASCII);  // the CiphertextBlob
 * }</pre>
 */
public final class KmsKeyReference implements SecretKey {
  private static final long serialVersionUID = 1L;

  /** What {@link #keyId()} returns for a reference made by {@link #anyKey}. */
  public static final String ANY_KEY = "(any key named by the ciphertext)";

  /** The algorithm name this key reports. */
  public static final String ALGORITHM = "KMS";

  private final transient KmsKeyState state;
  private volatile boolean destroyed;

  private KmsKeyReference(Builder b) {
    this.state =
        new KmsKeyState(
            b.keyService, b.keyId, b.encryptionContext, b.cache, b.reuseMaxUses, b.reuseMaxAge);
  }

  /** Returns a reference with no encryption context, the default cache and no data key reuse. */
  public static KmsKeyReference of(KeyService keyService, String keyId) {
    return builder(keyService, keyId).build();
  }

  /** The state behind this reference, for the KMS cipher and key generator of this package. */
  KmsKeyState state() {
    return state;
  }

  /** Starts building a reference. */
  public static Builder builder(KeyService keyService, String keyId) {
    return new Builder(keyService, keyId);
  }

  /**
   * Returns a read-only reference that unwraps under whatever master key a blob names, as far as
   * the credentials allow: no key id check on read. Wrapping and key generation with it fail. Use
   * it only where any key the credentials can use is acceptable; a reference naming the key ({@link
   * #of}) refuses blobs of other keys.
   */
  public static KmsKeyReference anyKey(KeyService keyService) {
    return new Builder(keyService).build();
  }

  /**
   * Returns the master key id, alias or ARN as configured, or {@value #ANY_KEY} for a reference
   * made by {@link #anyKey}.
   */
  public String keyId() {
    return state.keyId() == null ? ANY_KEY : state.keyId();
  }

  /** Returns true if this reference reads only blobs of its own key (not {@link #anyKey}). */
  public boolean isPinned() {
    return state.keyId() != null;
  }

  /** Returns the key service this reference is bound to. */
  public KeyService keyService() {
    return state.keyService();
  }

  /** Returns the encryption context (sorted by name, unmodifiable, possibly empty). */
  public Map<String, String> encryptionContext() {
    return state.context();
  }

  /** Returns the cache configuration. */
  public KmsCacheConfig cacheConfig() {
    return state.cacheConfig();
  }

  /** Returns the counters: cache hits and misses, KMS calls, entries now cached. */
  public KmsCacheStats cacheStats() {
    return state.stats();
  }

  /** Drops and zeroes every cached unwrapped key and any reused data key. */
  public void clearCache() {
    state.clear();
  }

  @Override
  public String getAlgorithm() {
    return ALGORITHM;
  }

  /** Returns null: a KMS key has no external encoding. */
  @Override
  public String getFormat() {
    return null;
  }

  /** Returns null: the key material never leaves the KMS. */
  @Override
  public byte[] getEncoded() {
    return null;
  }

  /** Clears the cache and marks this reference unusable. */
  @Override
  public void destroy() {
    destroyed = true;
    state.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "KmsKeyReference[keyId=" + keyId() + "]";
  }

  private void writeObject(ObjectOutputStream out) throws NotSerializableException {
    throw new NotSerializableException("KmsKeyReference");
  }

  /** Builds a {@link KmsKeyReference}. */
  public static final class Builder {
    private final KeyService keyService;
    private final String keyId;
    private Map<String, String> encryptionContext = Map.of();
    private KmsCacheConfig cache = KmsCacheConfig.defaults();
    private int reuseMaxUses = 1;
    private Duration reuseMaxAge = Duration.ZERO;

    private Builder(KeyService keyService) {
      this.keyService = Objects.requireNonNull(keyService, "keyService");
      this.keyId = null;
    }

    private Builder(KeyService keyService, String keyId) {
      this.keyService = Objects.requireNonNull(keyService, "keyService");
      Objects.requireNonNull(keyId, "keyId");
      if (keyId.isBlank() || keyId.length() > 2048) {
        throw new IllegalArgumentException("keyId must be 1..2048 non-blank characters");
      }
      this.keyId = keyId;
    }

    /** Sets the encryption context sent with every call. Default: none, as the official SDKs do. */
    public Builder encryptionContext(Map<String, String> context) {
      Objects.requireNonNull(context, "context");
      TreeMap<String, String> copy = new TreeMap<>();
      context.forEach(
          (k, v) ->
              copy.put(
                  Objects.requireNonNull(k, "context name"),
                  Objects.requireNonNull(v, "context value")));
      this.encryptionContext = copy;
      return this;
    }

    /** Sets the read-side cache bounds. Default: {@link KmsCacheConfig#defaults()}. */
    public Builder cache(KmsCacheConfig cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * Lets the key generator hand out the same data key to several objects, so a writer makes one
     * {@code GenerateDataKey} call per {@code maxUses} objects or per {@code maxAge}, whichever
     * comes first. Off by default. Each object still gets its own random IV; with AES-CTR a shared
     * key is safe only because the 16-byte IVs are random, so keep {@code maxUses} well below 2^32.
     *
     * @param maxUses 1 (no reuse) to 1,000,000
     * @param maxAge more than zero, at most 24 hours
     */
    public Builder reuseDataKeys(int maxUses, Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxUses < 1 || maxUses > 1_000_000) {
        throw new IllegalArgumentException("maxUses must be 1..1000000, got " + maxUses);
      }
      if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("maxAge must be > 0 and <= 24h, got " + maxAge);
      }
      this.reuseMaxUses = maxUses;
      this.reuseMaxAge = maxAge;
      return this;
    }

    /** Builds the reference. */
    public KmsKeyReference build() {
      return new KmsKeyReference(this);
    }
  }
}
