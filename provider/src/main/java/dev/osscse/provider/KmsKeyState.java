package dev.osscse.provider;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.BadPaddingException;
import javax.crypto.IllegalBlockSizeException;

/**
 * Everything behind a {@code KmsKeyReference}: the key service calls in the format's conventions,
 * the read-side cache, the optional write-side data key reuse, and the counters. Thread-safe.
 *
 * <p>Conventions (docs/format.md FMT-4, FMT-15): raw bytes go to {@code Encrypt} as base64 text;
 * the wrapped form is the {@code CiphertextBlob} string, exchanged with the JCA as its US-ASCII
 * bytes; {@code Decrypt} returns the base64 text, which is decoded to the raw bytes.
 */
final class KmsKeyState {
  /** Largest raw input the cipher accepts (the KMS limit is 6 KiB of base64 text). */
  public static final int MAX_PLAINTEXT_BYTES = 4096;

  /** Largest wrapped blob accepted on unwrap. */
  public static final int MAX_WRAPPED_BYTES = 16_384;

  private final KeyService keyService;
  private final String keyId;
  private final Map<String, String> context;
  private final KmsCacheConfig cacheConfig;
  private final DataKeyCache cache;
  private final DataKeyReuse reuse;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong kmsCalls = new AtomicLong();
  private volatile boolean destroyed;
  private volatile String resolvedKeyId;

  /**
   * @param keyId the key id, alias or ARN; null for a reference that reads under whatever key the
   *     blob names (it cannot wrap)
   */
  public KmsKeyState(
      KeyService keyService,
      String keyId,
      Map<String, String> context,
      KmsCacheConfig cacheConfig,
      int reuseMaxUses,
      Duration reuseMaxAge) {
    this.keyService = keyService;
    this.keyId = keyId;
    this.context = Collections.unmodifiableMap(new TreeMap<>(context));
    this.cacheConfig = cacheConfig;
    this.cache =
        cacheConfig.enabled()
            ? new DataKeyCache(
                cacheConfig.maxEntries(),
                cacheConfig.maxAge().toNanos(),
                System::nanoTime,
                DataKeyCache.DAEMON)
            : null;
    this.reuse =
        reuseMaxUses > 1
            ? new DataKeyReuse(reuseMaxUses, reuseMaxAge.toNanos(), System::nanoTime)
            : null;
  }

  public KeyService keyService() {
    return keyService;
  }

  /** The configured key id, alias or ARN, or null for an any-key reference. */
  public String keyId() {
    return keyId;
  }

  public Map<String, String> context() {
    return context;
  }

  public KmsCacheConfig cacheConfig() {
    return cacheConfig;
  }

  public KmsCacheStats stats() {
    return new KmsCacheStats(
        hits.get(), misses.get(), kmsCalls.get(), cache == null ? 0 : cache.size());
  }

  public void clear() {
    if (cache != null) {
      cache.clear();
    }
    if (reuse != null) {
      reuse.clear();
    }
  }

  public void destroy() {
    destroyed = true;
    clear();
  }

  boolean isDestroyed() {
    return destroyed;
  }

  /** Wraps a key: its blob if it is a matching {@link KmsDataKey}, else one Encrypt call. */
  public String wrapKey(byte[] raw, KmsDataKey alreadyWrapped) throws InvalidKeyException {
    if (alreadyWrapped != null && matches(alreadyWrapped)) {
      return alreadyWrapped.getWrappedKey();
    }
    try {
      return encryptRaw(raw);
    } catch (KeyServiceException | RuntimeException e) {
      throw KmsErrors.wrapFailed(e);
    }
  }

  /** Encrypts raw bytes (the IV) with one Encrypt call. */
  public String encryptBytes(byte[] raw, KmsPlaintextEncoding encoding)
      throws IllegalBlockSizeException {
    try {
      return encoding == KmsPlaintextEncoding.TEXT ? encryptText(raw) : encryptRaw(raw);
    } catch (KeyServiceException | RuntimeException e) {
      throw KmsErrors.encryptFailed(e);
    }
  }

  /** Unwraps a stored blob (as a key). */
  public byte[] unwrapKey(String stored) throws InvalidKeyException {
    try {
      return decryptRaw(stored, KmsPlaintextEncoding.BASE64);
    } catch (KeyServiceException | RuntimeException e) {
      throw KmsErrors.unwrapFailed(e);
    }
  }

  /** Decrypts a stored blob (the IV). */
  public byte[] decryptBytes(String stored, KmsPlaintextEncoding encoding)
      throws BadPaddingException {
    try {
      return decryptRaw(stored, encoding);
    } catch (KeyServiceException | RuntimeException e) {
      throw KmsErrors.decryptFailed(e);
    }
  }

  /** Returns a data key from GenerateDataKey, or the reused one if reuse is on and in bounds. */
  public KmsDataKey generateDataKey(int numberOfBytes) {
    try {
      if (reuse != null) {
        return reuse.next(numberOfBytes, () -> freshDataKey(numberOfBytes));
      }
      return freshDataKey(numberOfBytes);
    } catch (KeyServiceException | RuntimeException e) {
      throw KmsErrors.generateFailed(e);
    }
  }

  private KmsDataKey freshDataKey(int numberOfBytes) throws KeyServiceException {
    checkUsable();
    checkPinned();
    kmsCalls.incrementAndGet();
    DataKey dk = keyService.generateDataKey(keyId, numberOfBytes, context);
    byte[] plain = dk.plaintext();
    try {
      if (plain.length != numberOfBytes) {
        throw new KeyServiceException(
            KeyServiceException.Kind.BAD_RESPONSE,
            null,
            null,
            "GenerateDataKey returned " + plain.length + " bytes, asked " + numberOfBytes,
            null);
      }
      return new KmsDataKey(plain, dk.ciphertextBlob(), keyId, context);
    } finally {
      Arrays.fill(plain, (byte) 0);
      dk.destroy();
    }
  }

  private boolean matches(KmsDataKey k) {
    return keyId != null && k.keyId().equals(keyId) && k.encryptionContext().equals(context);
  }

  private String encryptRaw(byte[] raw) throws KeyServiceException {
    return encryptString(raw, Base64.getEncoder().encodeToString(raw));
  }

  private String encryptText(byte[] raw) throws KeyServiceException {
    return encryptString(raw, new String(raw, StandardCharsets.UTF_8));
  }

  private String encryptString(byte[] raw, String plaintext) throws KeyServiceException {
    checkUsable();
    checkPinned();
    if (raw.length == 0 || raw.length > MAX_PLAINTEXT_BYTES) {
      throw new IllegalArgumentException("plaintext length");
    }
    kmsCalls.incrementAndGet();
    String blob = keyService.encrypt(keyId, plaintext, context);
    if (blob == null || blob.isEmpty() || !isAscii(blob)) {
      throw new KeyServiceException(
          KeyServiceException.Kind.BAD_RESPONSE, null, null, "Encrypt returned no blob", null);
    }
    return blob;
  }

  private byte[] decryptRaw(String stored, KmsPlaintextEncoding encoding)
      throws KeyServiceException {
    checkUsable();
    if (stored.isEmpty() || stored.length() > MAX_WRAPPED_BYTES) {
      throw new IllegalArgumentException("blob length");
    }
    String blob = BlobForms.blobForDecrypt(stored);
    // The blob must name this reference's key before any KMS call: a ciphertext made under
    // another key the credentials can use cannot be substituted, and a blob without the key id
    // layout is refused rather than sent.
    String expected = null;
    if (keyId != null) {
      String named = BlobForms.keyIdOf(blob);
      if (named == null) {
        throw refused("the ciphertext blob names no KMS key");
      }
      expected = resolvedKeyId();
      if (!named.equalsIgnoreCase(expected)) {
        throw refused("the ciphertext blob names another KMS key than the configured one");
      }
    }
    // The same blob read as text and as base64 gives different bytes: separate entries.
    String cacheKey = (encoding == KmsPlaintextEncoding.TEXT ? "T:" : "B:") + blob;
    if (cache != null) {
      byte[] hit = cache.get(cacheKey);
      if (hit != null) {
        hits.incrementAndGet();
        return hit;
      }
      misses.incrementAndGet();
    }
    kmsCalls.incrementAndGet();
    KeyService.Decryption reply = keyService.decryptWithKeyId(blob, context);
    if (reply == null || reply.plaintext() == null) {
      throw new KeyServiceException(
          KeyServiceException.Kind.BAD_RESPONSE, null, null, "Decrypt returned no plaintext", null);
    }
    // The key that decrypted the blob, as KMS reports it, must be this reference's key.
    if (expected != null
        && (reply.keyId() == null || !expected.equalsIgnoreCase(reply.keyId().strip()))) {
      throw refused("the KMS key that decrypted the blob is not the configured one");
    }
    String plaintext = reply.plaintext();
    byte[] raw =
        encoding == KmsPlaintextEncoding.TEXT
            ? plaintext.getBytes(StandardCharsets.UTF_8)
            : Base64.getDecoder().decode(plaintext.getBytes(StandardCharsets.US_ASCII));
    if (raw.length == 0) {
      throw new IllegalArgumentException("empty plaintext");
    }
    if (cache != null) {
      cache.put(cacheKey, raw);
    }
    return raw;
  }

  /**
   * The key id this reference's key id, alias or ARN names, asked of the key service once and kept
   * (a failed resolution is not kept: the next read asks again).
   */
  private String resolvedKeyId() throws KeyServiceException {
    String id = resolvedKeyId;
    if (id == null) {
      id = keyService.resolveKeyId(keyId);
      if (id == null || !BlobForms.isKeyUuid(id.strip())) {
        throw new KeyServiceException(
            KeyServiceException.Kind.BAD_RESPONSE,
            null,
            null,
            "the key service resolved the KMS key to no key id",
            null);
      }
      id = id.strip();
      resolvedKeyId = id;
    }
    return id;
  }

  /** A refusal of the ciphertext itself: reported as the one uniform unwrap failure. */
  private static KeyServiceException refused(String why) {
    return KeyServiceException.ciphertextRefused(why);
  }

  private void checkPinned() throws KeyServiceException {
    if (keyId == null) {
      throw new KeyServiceException(
          KeyServiceException.Kind.REJECTED,
          null,
          null,
          "a KmsKeyReference for any key reads only; it cannot wrap or generate keys",
          null);
    }
  }

  private void checkUsable() {
    if (destroyed) {
      throw new IllegalStateException("KmsKeyReference destroyed");
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
