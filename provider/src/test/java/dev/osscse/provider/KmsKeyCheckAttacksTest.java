package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.Key;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the KMS read path and key hygiene of the KMS cipher: a blob decrypted by another key,
 * a reply naming no key, an unparseable blob, an alias; expired cache entries, the cipher's input
 * buffer and a cancelled paired wrap holding key bytes.
 */
class KmsKeyCheckAttacksTest {
  private static final KmsTestProvider PROVIDER = new KmsTestProvider();
  private static final String OTHER_KEY = "99999999-aaaa-bbbb-cccc-dddddddddddd";
  private final InMemoryKeyService kms = new InMemoryKeyService();
  private final byte[] cekBytes = bytes(32, 7);
  private final SecretKey cek = new SecretKeySpec(cekBytes, "AES");

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed + i * 31);
    }
    return b;
  }

  private static Cipher cipher(int mode, Key key) throws Exception {
    Cipher c = Cipher.getInstance("KMS/ALICLOUD/NoPadding", PROVIDER);
    c.init(mode, key);
    return c;
  }

  private static void assertAllZero(byte[] b) {
    assertThat(b).containsOnly((byte) 0);
  }

  /** A blob shaped like a real one that names {@code keyId}. */
  private static byte[] blobNaming(String keyId) {
    String inner = keyId + Base64.getEncoder().encodeToString(bytes(24, 3));
    return Base64.getEncoder()
        .encodeToString(inner.getBytes(StandardCharsets.US_ASCII))
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void blobDecryptedByAnotherKey_isRefusedAsUnwrapFailed() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, InMemoryKeyService.KEY_ID);
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(cek);
    kms.reportedKeyId.set(OTHER_KEY); // KMS says another key decrypted it
    assertThatThrownBy(() -> cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", 3))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED)
        .cause()
        .isInstanceOfSatisfying(
            KeyServiceException.class, e -> assertThat(e.isCiphertextRefused()).isTrue());
    assertThat(kms.decrypts.get()).isEqualTo(1);
    assertThat(ref.cacheStats().entries()).isZero();
    kms.reportedKeyId.set(null);
    assertThat(cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", 3).getEncoded())
        .isEqualTo(cekBytes);
  }

  @Test
  void decryptReplyNamingNoKey_isRefused() throws Exception {
    byte[] wrapped = cipher(Cipher.WRAP_MODE, KmsKeyReference.of(kms, "alias/test")).wrap(cek);
    // A service that only implements decrypt() cannot say which key decrypted the blob.
    KeyService silent =
        new KeyService() {
          @Override
          public String encrypt(String keyId, String plaintext, Map<String, String> context)
              throws KeyServiceException {
            return kms.encrypt(keyId, plaintext, context);
          }

          @Override
          public String decrypt(String blob, Map<String, String> context)
              throws KeyServiceException {
            return kms.decrypt(blob, context);
          }

          @Override
          public DataKey generateDataKey(String keyId, int n, Map<String, String> context)
              throws KeyServiceException {
            return kms.generateDataKey(keyId, n, context);
          }
        };
    KmsKeyReference ref = KmsKeyReference.of(silent, InMemoryKeyService.KEY_ID);
    assertThatThrownBy(() -> cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", 3))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED);
    assertThat(kms.decrypts.get()).isEqualTo(1);
  }

  @Test
  void unparseableBlob_withPinnedKey_isRefusedWithoutKmsCall() throws Exception {
    byte[] garbage = "QUJDREVGR0g=".getBytes(StandardCharsets.US_ASCII); // "ABCDEFGH"
    KmsKeyReference pinned = KmsKeyReference.of(kms, InMemoryKeyService.KEY_ID);
    assertThatThrownBy(() -> cipher(Cipher.UNWRAP_MODE, pinned).unwrap(garbage, "AES", 3))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED);
    assertThatThrownBy(() -> cipher(Cipher.DECRYPT_MODE, pinned).doFinal(garbage))
        .hasMessage(KmsErrors.UNWRAP_FAILED);
    assertThat(kms.decrypts.get()).isZero();
    // A reference for any key has nothing to compare with: KMS decides (and refuses).
    KmsKeyReference any = KmsKeyReference.anyKey(kms);
    assertThatThrownBy(() -> cipher(Cipher.UNWRAP_MODE, any).unwrap(garbage, "AES", 3))
        .hasMessage(KmsErrors.UNWRAP_FAILED);
    assertThat(kms.decrypts.get()).isEqualTo(1);
  }

  @Test
  void aliasIsResolvedOnce_andABlobOfAnotherKeyIsRefusedWithoutKmsCall() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(cek);
    for (int i = 0; i < 3; i++) {
      assertThat(cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", 3).getEncoded())
          .isEqualTo(cekBytes);
    }
    assertThat(kms.resolves.get()).isEqualTo(1);
    assertThatThrownBy(
            () -> cipher(Cipher.UNWRAP_MODE, ref).unwrap(blobNaming(OTHER_KEY), "AES", 3))
        .hasMessage(KmsErrors.UNWRAP_FAILED);
    assertThat(kms.decrypts.get()).isEqualTo(1); // the first read; later ones hit the cache
    assertThat(kms.resolves.get()).isEqualTo(1);
  }

  @Test
  void failedAliasResolution_isAServiceFailure_andNotKept() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(cek);
    kms.failure.set(
        new KeyServiceException(
            KeyServiceException.Kind.IO, "SDK.ServerUnreachable", null, "KMS down", null));
    assertThatThrownBy(() -> cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", 3))
        .hasMessage(KmsErrors.UNWRAP_FAILED)
        .cause()
        .isInstanceOfSatisfying(
            KeyServiceException.class,
            e -> {
              assertThat(e.isCiphertextRefused()).isFalse();
              assertThat(e.kind()).isEqualTo(KeyServiceException.Kind.IO);
            });
    kms.failure.set(null);
    assertThat(cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", 3).getEncoded())
        .isEqualTo(cekBytes);
    assertThat(kms.resolves.get()).isEqualTo(2);
  }

  @Test
  void anyKeyReference_cannotWrapOrGenerate() throws Exception {
    KmsKeyReference any = KmsKeyReference.anyKey(kms);
    assertThat(any.isPinned()).isFalse();
    assertThat(any.keyId()).isEqualTo(KmsKeyReference.ANY_KEY);
    assertThatThrownBy(() -> cipher(Cipher.WRAP_MODE, any).wrap(cek))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.WRAP_FAILED);
    assertThat(kms.encrypts.get()).isZero();
  }

  @Test
  void ciphertextRefusal_isToldApartFromServiceFailures() {
    assertThat(KeyServiceException.ciphertextRefused("x").isCiphertextRefused()).isTrue();
    assertThat(reject("InvalidCiphertext").isCiphertextRefused()).isTrue();
    assertThat(reject("Forbidden.KeyNotFound").isCiphertextRefused()).isFalse();
    assertThat(reject("Forbidden.NoPermission").isCiphertextRefused()).isFalse();
    assertThat(reject(null).isCiphertextRefused()).isFalse();
    assertThat(
            new KeyServiceException(
                    KeyServiceException.Kind.IO, "InvalidCiphertext", null, "", null)
                .isCiphertextRefused())
        .isFalse();
  }

  private static KeyServiceException reject(String code) {
    return new KeyServiceException(KeyServiceException.Kind.REJECTED, code, null, "x", null);
  }

  @Test
  void expiredCacheEntry_isZeroedByTheScheduledSweep_withoutBeingAskedFor() {
    long[] now = {0};
    List<Runnable> scheduled = new ArrayList<>();
    List<Long> delays = new ArrayList<>();
    DataKeyCache cache =
        new DataKeyCache(
            10,
            100_000_000,
            () -> now[0],
            (task, delay) -> {
              scheduled.add(task);
              delays.add(delay);
            });
    cache.put("a", bytes(32, 1));
    byte[] stored = cache.storedArrayForTest("a");
    assertThat(stored).isEqualTo(bytes(32, 1));
    assertThat(scheduled).hasSize(1);
    assertThat(delays.get(0)).isEqualTo(100_000_000L); // when "a" expires
    now[0] = 50_000_000;
    cache.put("b", bytes(32, 2)); // a sweep is pending: no second one
    assertThat(scheduled).hasSize(1);
    now[0] = 100_000_000;
    scheduled.get(0).run();
    assertThat(cache.storedArrayForTest("a")).isNull();
    assertAllZero(stored);
    assertThat(cache.storedArrayForTest("b")).isEqualTo(bytes(32, 2));
    // the next sweep is due when "b" expires
    assertThat(scheduled).hasSize(2);
    assertThat(delays.get(1)).isEqualTo(50_000_000L);
  }

  @Test
  void expiredCacheEntry_isZeroedByAnyAccess() {
    long[] now = {0};
    DataKeyCache cache = new DataKeyCache(10, 100, () -> now[0], DataKeyCache.ON_ACCESS_ONLY);
    cache.put("a", bytes(32, 1));
    byte[] stored = cache.storedArrayForTest("a");
    now[0] = 60;
    cache.put("b", bytes(32, 2));
    now[0] = 100;
    assertThat(cache.get("b")).isEqualTo(bytes(32, 2)); // asks for b, not a
    assertAllZero(stored);
    assertThat(cache.storedArrayForTest("a")).isNull();
  }

  @Test
  void expiredCacheEntry_isZeroedByTheDaemonSweeper() throws Exception {
    DataKeyCache cache =
        new DataKeyCache(10, 20_000_000, System::nanoTime, DataKeyCache.DAEMON); // 20 ms
    cache.put("a", bytes(32, 1));
    byte[] stored = cache.storedArrayForTest("a");
    // Nothing touches the cache from here on; only the daemon thread can drop the entry.
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (cache.storedArrayForTest("a") != null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(cache.storedArrayForTest("a")).isNull();
    assertAllZero(stored);
  }

  @Test
  void cipherInputBuffer_isZeroedAfterDoFinal_alsoWhenKmsFails() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, InMemoryKeyService.KEY_ID);
    KmsCipherSpi spi = new KmsCipherSpi();
    spi.engineInit(Cipher.ENCRYPT_MODE, ref, null);
    spi.engineUpdate(bytes(16, 5), 0, 16);
    byte[] buffer = spi.bufferForTest();
    assertThat(buffer).contains(bytes(16, 5)[3]);
    spi.engineDoFinal(null, 0, 0);
    assertAllZero(buffer);

    spi.engineInit(Cipher.ENCRYPT_MODE, ref, null);
    spi.engineUpdate(bytes(16, 6), 0, 16);
    byte[] second = spi.bufferForTest();
    kms.failure.set(new KeyServiceException(KeyServiceException.Kind.IO, null, null, "down", null));
    assertThatThrownBy(() -> spi.engineDoFinal(null, 0, 0)).hasMessage(KmsErrors.WRAP_FAILED);
    assertAllZero(second);
  }

  @Test
  void cancelledPairedWrap_zeroesItsCopyOfTheKey() {
    KmsKeyReference ref = KmsKeyReference.of(kms, InMemoryKeyService.KEY_ID);
    byte[] tracked = cekBytes.clone();
    // getEncoded returns the same array each time, so the test sees the copy wrapBoth keeps.
    SecretKey key =
        new SecretKey() {
          private static final long serialVersionUID = 1L;

          @Override
          public String getAlgorithm() {
            return "AES";
          }

          @Override
          public String getFormat() {
            return "RAW";
          }

          @Override
          public byte[] getEncoded() {
            return tracked;
          }
        };
    List<Runnable> held = new ArrayList<>();
    kms.failure.set(new KeyServiceException(KeyServiceException.Kind.IO, null, null, "down", null));
    // The key's wrap is queued but never started; the IV's wrap (on this thread) fails.
    assertThatThrownBy(() -> KmsWrapping.wrapBoth(ref, key, bytes(16, 2), held::add))
        .isInstanceOf(InvalidKeyException.class);
    assertThat(held).hasSize(1);
    assertAllZero(tracked);
    held.get(0).run(); // the cancelled task does nothing
    assertThat(kms.encrypts.get()).isEqualTo(1);
  }
}
