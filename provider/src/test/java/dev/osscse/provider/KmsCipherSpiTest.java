package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KmsCipherSpiTest {
  private static final KmsTestProvider PROVIDER = new KmsTestProvider();
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

  @Test
  void wrapThenUnwrap_returnsKey_andOutputIsBlobAscii() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(cek);
    String header = new String(wrapped, StandardCharsets.US_ASCII);
    // The stored header is the CiphertextBlob string; KMS got base64 of the raw key.
    assertThat(kms.decrypt(header, Map.of()))
        .isEqualTo(Base64.getEncoder().encodeToString(cekBytes));
    Key back = cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    assertThat(back.getEncoded()).isEqualTo(cekBytes);
    assertThat(back.getAlgorithm()).isEqualTo("AES");
  }

  @Test
  void encryptThenDecrypt_iv_roundTrips() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    byte[] iv = bytes(16, 3);
    byte[] blob = cipher(Cipher.ENCRYPT_MODE, ref).doFinal(iv);
    assertThat(cipher(Cipher.DECRYPT_MODE, ref).doFinal(blob)).isEqualTo(iv);
  }

  @Test
  void textEncoding_decimalCounter_roundTripsWithoutBase64Layer() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    Cipher enc = Cipher.getInstance("KMS/ALICLOUD/NoPadding", PROVIDER);
    enc.init(Cipher.ENCRYPT_MODE, ref, KmsPlaintextEncoding.TEXT);
    byte[] blob = enc.doFinal("8".getBytes(StandardCharsets.US_ASCII));
    // KMS saw the decimal text itself, as the deprecated oss2 format stores the start.
    assertThat(kms.decrypt(new String(blob, StandardCharsets.US_ASCII), Map.of())).isEqualTo("8");
    Cipher dec = Cipher.getInstance("KMS/ALICLOUD/NoPadding", PROVIDER);
    dec.init(Cipher.DECRYPT_MODE, ref, KmsPlaintextEncoding.TEXT);
    assertThat(dec.doFinal(blob)).containsExactly('8');
    // Read as base64 the same blob is not valid: the one decrypt failure.
    Cipher b64 = cipher(Cipher.DECRYPT_MODE, ref);
    assertThatThrownBy(() -> b64.doFinal(blob))
        .isInstanceOf(BadPaddingException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED);
  }

  @Test
  void textEncoding_inWrapMode_isRefused() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    Cipher c = Cipher.getInstance("KMS/ALICLOUD/NoPadding", PROVIDER);
    assertThatThrownBy(() -> c.init(Cipher.WRAP_MODE, ref, KmsPlaintextEncoding.TEXT))
        .isInstanceOf(java.security.InvalidAlgorithmParameterException.class)
        .hasMessageContaining("TEXT");
    assertThatThrownBy(
            () -> c.init(Cipher.DECRYPT_MODE, ref, new javax.crypto.spec.IvParameterSpec(iv16())))
        .isInstanceOf(java.security.InvalidAlgorithmParameterException.class)
        .hasMessageContaining("KmsPlaintextEncoding");
  }

  private static byte[] iv16() {
    return new byte[16];
  }

  @Test
  void unwrap_oss2DoubleBase64Header_isAccepted() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    String blob = new String(cipher(Cipher.WRAP_MODE, ref).wrap(cek), StandardCharsets.US_ASCII);
    String oss2Header =
        Base64.getEncoder().encodeToString(blob.getBytes(StandardCharsets.US_ASCII));
    Key back =
        cipher(Cipher.UNWRAP_MODE, ref)
            .unwrap(oss2Header.getBytes(StandardCharsets.US_ASCII), "AES", Cipher.SECRET_KEY);
    assertThat(back.getEncoded()).isEqualTo(cekBytes);
  }

  @Test
  void repeatedUnwrap_defaultCache_callsKmsOnce() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(cek);
    for (int i = 0; i < 5; i++) {
      Key k = cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", Cipher.SECRET_KEY);
      assertThat(k.getEncoded()).isEqualTo(cekBytes);
    }
    assertThat(kms.decrypts.get()).isEqualTo(1);
    assertThat(ref.cacheStats().hits()).isEqualTo(4);
    assertThat(ref.cacheStats().misses()).isEqualTo(1);
    assertThat(ref.cacheStats().kmsCalls()).isEqualTo(2); // one Encrypt, one Decrypt
    assertThat(ref.cacheStats().entries()).isEqualTo(1);
    ref.clearCache();
    cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    assertThat(kms.decrypts.get()).isEqualTo(2);
  }

  @Test
  void repeatedUnwrap_cacheDisabled_callsKmsEachTime() throws Exception {
    KmsKeyReference ref =
        KmsKeyReference.builder(kms, "alias/test").cache(KmsCacheConfig.disabled()).build();
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(cek);
    for (int i = 0; i < 3; i++) {
      cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    }
    assertThat(kms.decrypts.get()).isEqualTo(3);
    assertThat(ref.cacheStats().hits()).isZero();
  }

  @Test
  void cache_overMaxEntries_evictsLeastRecentlyUsed() throws Exception {
    DataKeyCache cache = new DataKeyCache(2, Long.MAX_VALUE, () -> 0L, DataKeyCache.ON_ACCESS_ONLY);
    cache.put("a", new byte[] {1});
    cache.put("b", new byte[] {2});
    assertThat(cache.get("a")).containsExactly(1); // a is now most recent
    cache.put("c", new byte[] {3});
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).containsExactly(1);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void cache_entryOlderThanMaxAge_isDropped() {
    long[] now = {0};
    DataKeyCache cache = new DataKeyCache(10, 100, () -> now[0], DataKeyCache.ON_ACCESS_ONLY);
    cache.put("a", new byte[] {1});
    now[0] = 99;
    assertThat(cache.get("a")).containsExactly(1);
    now[0] = 100;
    assertThat(cache.get("a")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void unwrap_keyServiceFailure_isInvalidKeyExceptionWithFixedMessageAndNoSecret()
      throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(cek);
    kms.failure.set(
        new KeyServiceException(
            KeyServiceException.Kind.THROTTLED, "Throttling", "r-9", "Decrypt failed", null));
    Cipher c = cipher(Cipher.UNWRAP_MODE, ref);
    assertThatThrownBy(() -> c.unwrap(wrapped, "AES", Cipher.SECRET_KEY))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED)
        .cause()
        .isInstanceOf(KeyServiceException.class)
        .satisfies(
            e ->
                assertThat(((KeyServiceException) e).kind())
                    .isEqualTo(KeyServiceException.Kind.THROTTLED));
  }

  @Test
  void unwrap_garbage_failsLikeAnyOtherUnwrapFailure() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    Cipher c = cipher(Cipher.UNWRAP_MODE, ref);
    assertThatThrownBy(() -> c.unwrap("not a blob".getBytes(StandardCharsets.US_ASCII), "AES", 3))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED);
    Cipher d = cipher(Cipher.DECRYPT_MODE, ref);
    assertThatThrownBy(() -> d.doFinal("bm9wZQ==".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(BadPaddingException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED);
  }

  @Test
  void unwrap_otherEncryptionContext_fails() throws Exception {
    KmsKeyReference writer =
        KmsKeyReference.builder(kms, "alias/test").encryptionContext(Map.of("a", "1")).build();
    KmsKeyReference reader =
        KmsKeyReference.builder(kms, "alias/test").encryptionContext(Map.of("a", "2")).build();
    byte[] wrapped = cipher(Cipher.WRAP_MODE, writer).wrap(cek);
    Cipher c = cipher(Cipher.UNWRAP_MODE, reader);
    assertThatThrownBy(() -> c.unwrap(wrapped, "AES", Cipher.SECRET_KEY))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED);
    assertThat(cipher(Cipher.UNWRAP_MODE, writer).unwrap(wrapped, "AES", 3).getEncoded())
        .isEqualTo(cekBytes);
  }

  @Test
  void wrap_failure_isInvalidKeyException() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    kms.failure.set(
        new KeyServiceException(KeyServiceException.Kind.IO, null, null, "Encrypt failed", null));
    Cipher c = cipher(Cipher.WRAP_MODE, ref);
    assertThatThrownBy(() -> c.wrap(cek))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.WRAP_FAILED);
  }

  @Test
  void init_withNonKmsKey_throwsInvalidKeyNamingType() {
    assertThatThrownBy(() -> cipher(Cipher.WRAP_MODE, cek))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("KmsKeyReference");
  }

  @Test
  void keyReference_isOpaque() {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    assertThat(ref.getEncoded()).isNull();
    assertThat(ref.getFormat()).isNull();
    assertThat(ref.getAlgorithm()).isEqualTo("KMS");
    assertThat(ref.toString()).isEqualTo("KmsKeyReference[keyId=alias/test]");
  }

  @Test
  void unwrap_blobNamingAnotherKeyUuid_isRefusedWithoutKmsCall() throws Exception {
    KmsKeyReference writer = KmsKeyReference.of(kms, InMemoryKeyService.KEY_ID);
    byte[] wrapped = cipher(Cipher.WRAP_MODE, writer).wrap(cek);
    KmsKeyReference otherKey = KmsKeyReference.of(kms, "99999999-aaaa-bbbb-cccc-dddddddddddd");
    Cipher c = cipher(Cipher.UNWRAP_MODE, otherKey);
    assertThatThrownBy(() -> c.unwrap(wrapped, "AES", Cipher.SECRET_KEY))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.UNWRAP_FAILED);
    assertThat(kms.decrypts.get()).isZero();
    // The same key UUID, or an alias that resolves to it, is accepted.
    assertThat(cipher(Cipher.UNWRAP_MODE, writer).unwrap(wrapped, "AES", 3).getEncoded())
        .isEqualTo(cekBytes);
    KmsKeyReference alias = KmsKeyReference.of(kms, "alias/any");
    assertThat(cipher(Cipher.UNWRAP_MODE, alias).unwrap(wrapped, "AES", 3).getEncoded())
        .isEqualTo(cekBytes);
  }

  @Test
  void destroyedReference_clearsCache_andRefusesInit() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(cek);
    cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    assertThat(ref.cacheStats().entries()).isEqualTo(1);
    ref.destroy();
    assertThat(ref.isDestroyed()).isTrue();
    assertThat(ref.cacheStats().entries()).isZero();
    assertThatThrownBy(() -> cipher(Cipher.UNWRAP_MODE, ref))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("destroyed");
  }

  @Test
  void keyGenerator_oneCall_andWrapOfDataKeyIsFree() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", PROVIDER);
    g.init(new KmsKeyGenParameterSpec(ref));
    KmsDataKey dk = (KmsDataKey) g.generateKey();
    assertThat(dk.getEncoded()).hasSize(32);
    assertThat(dk.toString()).doesNotContain(Base64.getEncoder().encodeToString(dk.getEncoded()));
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(dk);
    assertThat(new String(wrapped, StandardCharsets.US_ASCII)).isEqualTo(dk.getWrappedKey());
    assertThat(kms.generates.get()).isEqualTo(1);
    assertThat(kms.encrypts.get()).isZero();
    KmsKeyReference reader = KmsKeyReference.of(kms, "any");
    assertThat(cipher(Cipher.UNWRAP_MODE, reader).unwrap(wrapped, "AES", 3).getEncoded())
        .isEqualTo(dk.getEncoded());
    dk.destroy();
    assertThat(dk.isDestroyed()).isTrue();
    assertThatThrownBy(dk::getEncoded).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keyGenerator_failure_isProviderException() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    kms.failure.set(
        new KeyServiceException(
            KeyServiceException.Kind.REJECTED, "Forbidden.KeyNotFound", null, "failed", null));
    KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", PROVIDER);
    g.init(new KmsKeyGenParameterSpec(ref));
    assertThatThrownBy(g::generateKey)
        .isInstanceOf(ProviderException.class)
        .hasMessage(KmsErrors.GENERATE_FAILED)
        .hasCauseInstanceOf(KeyServiceException.class);
  }

  @Test
  void keyGenerator_reuse_boundedByUses() throws Exception {
    KmsKeyReference ref =
        KmsKeyReference.builder(kms, "alias/test").reuseDataKeys(3, Duration.ofHours(1)).build();
    KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", PROVIDER);
    g.init(new KmsKeyGenParameterSpec(ref));
    List<String> blobs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      blobs.add(((KmsDataKey) g.generateKey()).getWrappedKey());
    }
    assertThat(kms.generates.get()).isEqualTo(3); // uses 1-3, 4-6, 7
    assertThat(blobs.subList(0, 3)).containsOnly(blobs.get(0));
    assertThat(blobs.get(3)).isNotEqualTo(blobs.get(0));
  }

  @Test
  void keyGenerator_noReuseByDefault() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", PROVIDER);
    g.init(new KmsKeyGenParameterSpec(ref));
    g.generateKey();
    g.generateKey();
    assertThat(kms.generates.get()).isEqualTo(2);
  }

  @Test
  void wrapBoth_plainKey_makesTwoEncryptCalls_andResultsUnwrap() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    byte[] iv = bytes(16, 1);
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      KmsWrapping.Wrapped w = KmsWrapping.wrapBoth(ref, cek, iv, ex);
      assertThat(kms.encrypts.get()).isEqualTo(2);
      assertThat(
              cipher(Cipher.UNWRAP_MODE, ref)
                  .unwrap(w.wrappedKey().getBytes(StandardCharsets.US_ASCII), "AES", 3)
                  .getEncoded())
          .isEqualTo(cekBytes);
      assertThat(
              cipher(Cipher.DECRYPT_MODE, ref)
                  .doFinal(w.wrappedIv().getBytes(StandardCharsets.US_ASCII)))
          .isEqualTo(iv);
    } finally {
      ex.shutdown();
    }
  }

  @Test
  void wrapBoth_dataKey_makesOnlyTheIvCall() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", PROVIDER);
    g.init(new KmsKeyGenParameterSpec(ref));
    KmsDataKey dk = (KmsDataKey) g.generateKey();
    KmsWrapping.Wrapped w = KmsWrapping.wrapBoth(ref, dk, bytes(16, 2), Runnable::run);
    assertThat(w.wrappedKey()).isEqualTo(dk.getWrappedKey());
    assertThat(kms.encrypts.get()).isEqualTo(1);
  }

  @Test
  void wrapBoth_keyServiceFailure_isInvalidKeyExceptionWrapFailed() {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    kms.failure.set(
        new KeyServiceException(
            KeyServiceException.Kind.UNAVAILABLE, "InternalFailure", null, "failed", null));
    assertThatThrownBy(() -> KmsWrapping.wrapBoth(ref, cek, bytes(16, 2), Runnable::run))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.WRAP_FAILED)
        .hasCauseInstanceOf(KeyServiceException.class);
    assertThatThrownBy(
            () ->
                KmsWrapping.wrapBoth(
                    ref,
                    cek,
                    bytes(16, 2),
                    r -> {
                      throw new java.util.concurrent.RejectedExecutionException();
                    }))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(KmsErrors.WRAP_FAILED);
  }

  @Test
  void eightThreads_shareOneReference_allRoundTrip() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    ExecutorService ex = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        fs.add(
            ex.submit(
                () -> {
                  for (int i = 0; i < 20; i++) {
                    byte[] k = bytes(32, seed * 100 + i);
                    byte[] w = cipher(Cipher.WRAP_MODE, ref).wrap(new SecretKeySpec(k, "AES"));
                    byte[] back = cipher(Cipher.UNWRAP_MODE, ref).unwrap(w, "AES", 3).getEncoded();
                    if (!java.util.Arrays.equals(k, back)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : fs) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      ex.shutdown();
    }
    assertThat(kms.encrypts.get()).isEqualTo(160);
  }
}
