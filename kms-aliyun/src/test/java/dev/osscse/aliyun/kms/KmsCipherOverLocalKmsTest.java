package dev.osscse.aliyun.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.provider.KeyServiceException;
import dev.osscse.provider.KmsCacheConfig;
import dev.osscse.provider.KmsDataKey;
import dev.osscse.provider.KmsKeyGenParameterSpec;
import dev.osscse.provider.KmsKeyReference;
import dev.osscse.provider.KmsWrapping;
import dev.osscse.provider.OssCseProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KMS/ALICLOUD cipher through the OssCse provider, the real KMS SDK and the local KMS. */
class KmsCipherOverLocalKmsTest {
  private static final String AK = "LTAIcipherTest";
  private static final String SK = "cipher-test-secret";
  private static final Provider PROVIDER = new OssCseProvider();
  private static final String TRANSFORMATION = "KMS/ALICLOUD/NoPadding";

  @TempDir Path dir;
  private LocalKmsServer kms;
  private String keyId;
  private AliyunKmsKeyService service;
  private final byte[] cekBytes = new byte[32];
  private final byte[] iv = new byte[16];

  @BeforeEach
  void start() throws Exception {
    kms = LocalKmsServer.builder().dir(dir).credentials(AK, SK).build().start();
    keyId = kms.createKey();
    service = http(kms);
    for (int i = 0; i < 32; i++) {
      cekBytes[i] = (byte) (i * 7 + 1);
    }
    for (int i = 0; i < 16; i++) {
      iv[i] = (byte) (200 - i);
    }
  }

  @AfterEach
  void stop() {
    service.close();
    kms.close();
  }

  private static AliyunKmsKeyService http(LocalKmsServer server) {
    return AliyunKmsKeyService.builder()
        .localEndpoint(server.httpEndpoint())
        .credentials(AK, SK)
        .maxRetries(2)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .build();
  }

  private static Cipher cipher(int mode, Key key) throws Exception {
    Cipher c = Cipher.getInstance(TRANSFORMATION, PROVIDER);
    c.init(mode, key);
    return c;
  }

  @Test
  void wrapUnwrap_overHttp_headerIsBlobThatOfficialReadersDecrypt() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, keyId);
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(new SecretKeySpec(cekBytes, "AES"));
    byte[] wrappedIv = cipher(Cipher.ENCRYPT_MODE, ref).doFinal(iv);
    String header = new String(wrapped, StandardCharsets.US_ASCII);
    // What the Java/Go SDKs do on read: Decrypt(header), base64-decode the plaintext.
    assertThat(Base64.getDecoder().decode(service.decrypt(header, Map.of()))).isEqualTo(cekBytes);
    assertThat(
            cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded())
        .isEqualTo(cekBytes);
    assertThat(cipher(Cipher.DECRYPT_MODE, ref).doFinal(wrappedIv)).isEqualTo(iv);
    assertThat(cipher(Cipher.WRAP_MODE, ref).getProvider().getName()).isEqualTo("OssCse");
  }

  @Test
  void wrapUnwrap_overHttpsWithGeneratedTrustStore_works() throws Exception {
    try (AliyunKmsKeyService https =
        AliyunKmsKeyService.builder()
            .localEndpoint(kms.httpsEndpoint())
            .trustStore(kms.trustStorePath(), kms.trustStorePassword().toCharArray())
            .credentials(AK, SK)
            .build()) {
      KmsKeyReference ref = KmsKeyReference.of(https, keyId);
      byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(new SecretKeySpec(cekBytes, "AES"));
      assertThat(cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", 3).getEncoded())
          .isEqualTo(cekBytes);
    }
  }

  @Test
  void repeatedReads_cacheOn_makeNoKmsCallAfterTheFirst() throws Exception {
    KmsKeyReference writer = KmsKeyReference.of(service, keyId);
    byte[] wrapped = cipher(Cipher.WRAP_MODE, writer).wrap(new SecretKeySpec(cekBytes, "AES"));
    byte[] wrappedIv = cipher(Cipher.ENCRYPT_MODE, writer).doFinal(iv);
    KmsKeyReference reader = KmsKeyReference.of(service, keyId);
    long decryptsBefore = kms.requestCount("Decrypt");
    for (int i = 0; i < 10; i++) {
      assertThat(cipher(Cipher.UNWRAP_MODE, reader).unwrap(wrapped, "AES", 3).getEncoded())
          .isEqualTo(cekBytes);
      assertThat(cipher(Cipher.DECRYPT_MODE, reader).doFinal(wrappedIv)).isEqualTo(iv);
    }
    assertThat(kms.requestCount("Decrypt") - decryptsBefore).isEqualTo(2);
    assertThat(reader.cacheStats().misses()).isEqualTo(2);
    assertThat(reader.cacheStats().hits()).isEqualTo(18);
    assertThat(reader.cacheStats().kmsCalls()).isEqualTo(2);
  }

  @Test
  void repeatedReads_cacheOff_callKmsEveryTime() throws Exception {
    KmsKeyReference ref =
        KmsKeyReference.builder(service, keyId).cache(KmsCacheConfig.disabled()).build();
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(new SecretKeySpec(cekBytes, "AES"));
    long before = kms.requestCount("Decrypt");
    for (int i = 0; i < 3; i++) {
      cipher(Cipher.UNWRAP_MODE, ref).unwrap(wrapped, "AES", 3);
    }
    assertThat(kms.requestCount("Decrypt") - before).isEqualTo(3);
  }

  @Test
  void keyGenerator_thenWrap_makesOneKmsCallForTheKey() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, keyId);
    KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", PROVIDER);
    g.init(new KmsKeyGenParameterSpec(ref));
    KmsDataKey dk = (KmsDataKey) g.generateKey();
    long before = kms.requestCount();
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(dk);
    assertThat(kms.requestCount()).isEqualTo(before);
    assertThat(new String(wrapped, StandardCharsets.US_ASCII)).isEqualTo(dk.getWrappedKey());
    assertThat(kms.requestCount("GenerateDataKey")).isEqualTo(1);
    KmsKeyReference reader = KmsKeyReference.of(service, keyId);
    assertThat(cipher(Cipher.UNWRAP_MODE, reader).unwrap(wrapped, "AES", 3).getEncoded())
        .isEqualTo(dk.getEncoded());
  }

  @Test
  void eightThreads_shareOneProviderAndReference() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, keyId);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    ExecutorService wrapPool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int i = 0; i < 5; i++) {
                    KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", PROVIDER);
                    g.init(new KmsKeyGenParameterSpec(ref));
                    SecretKey cek = g.generateKey();
                    KmsWrapping.Wrapped w = KmsWrapping.wrapBoth(ref, cek, iv, wrapPool);
                    KmsKeyReference reader =
                        KmsKeyReference.builder(service, keyId)
                            .cache(KmsCacheConfig.disabled())
                            .build();
                    byte[] k =
                        cipher(Cipher.UNWRAP_MODE, reader)
                            .unwrap(w.wrappedKey().getBytes(StandardCharsets.US_ASCII), "AES", 3)
                            .getEncoded();
                    byte[] v =
                        cipher(Cipher.DECRYPT_MODE, reader)
                            .doFinal(w.wrappedIv().getBytes(StandardCharsets.US_ASCII));
                    if (Arrays.equals(k, cek.getEncoded()) && Arrays.equals(v, iv)) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(5);
      }
    } finally {
      pool.shutdown();
      wrapPool.shutdown();
    }
    assertThat(kms.requestCount("GenerateDataKey")).isEqualTo(40);
    assertThat(kms.requestCount("Encrypt")).isEqualTo(40); // IVs only: data keys wrap for free
  }

  @Test
  void restartOfLocalKms_readsOldBlobs() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, keyId);
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(new SecretKeySpec(cekBytes, "AES"));
    service.close();
    kms.close();
    kms = LocalKmsServer.builder().dir(dir).credentials(AK, SK).build().start();
    service = http(kms);
    KmsKeyReference reader = KmsKeyReference.of(service, keyId);
    assertThat(cipher(Cipher.UNWRAP_MODE, reader).unwrap(wrapped, "AES", 3).getEncoded())
        .isEqualTo(cekBytes);
  }

  @Test
  void throttledUnwrap_isInvalidKeyException_withTypedCause_andNoSecret() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, keyId);
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(new SecretKeySpec(cekBytes, "AES"));
    KmsKeyReference reader = KmsKeyReference.of(service, keyId);
    kms.faults().throttleNext(100);
    Cipher c = cipher(Cipher.UNWRAP_MODE, reader);
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> c.unwrap(wrapped, "AES", 3));
    kms.faults().reset();
    assertThat(t).isInstanceOf(InvalidKeyException.class).hasMessage("unwrap failed");
    assertThat(t.getCause()).isInstanceOf(KeyServiceException.class);
    assertThat(((KeyServiceException) t.getCause()).kind())
        .isEqualTo(KeyServiceException.Kind.THROTTLED);
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString())
        .doesNotContain(Base64.getEncoder().encodeToString(cekBytes))
        .doesNotContain(SK);
    // Retried: 1 try + 2 retries, all throttled.
    assertThat(kms.faults().throttled()).isEqualTo(3);
  }

  @Test
  void wrapWithUnknownKey_isInvalidKeyExceptionWrapFailed() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, "00000000-0000-0000-0000-000000000000");
    Cipher c = cipher(Cipher.WRAP_MODE, ref);
    assertThatThrownBy(() -> c.wrap(new SecretKeySpec(cekBytes, "AES")))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("wrap failed")
        .cause()
        .isInstanceOfSatisfying(
            KeyServiceException.class,
            e -> assertThat(e.errorCode()).isEqualTo("Forbidden.KeyNotFound"));
  }

  @Test
  void tamperedBlob_failsLikeEveryUnwrapFailure() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, keyId);
    byte[] wrapped = cipher(Cipher.WRAP_MODE, ref).wrap(new SecretKeySpec(cekBytes, "AES"));
    String blob = new String(wrapped, StandardCharsets.US_ASCII);
    String inner = new String(Base64.getDecoder().decode(blob), StandardCharsets.US_ASCII);
    int at = 36 + 20; // inside the sealed part, past the key id
    char c0 = inner.charAt(at);
    String tampered = inner.substring(0, at) + (c0 == 'A' ? 'Q' : 'A') + inner.substring(at + 1);
    byte[] bad =
        Base64.getEncoder()
            .encodeToString(tampered.getBytes(StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);
    Cipher c = cipher(Cipher.UNWRAP_MODE, ref);
    assertThatThrownBy(() -> c.unwrap(bad, "AES", 3))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("unwrap failed");
  }
}
