package dev.osscse.aliyun.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.provider.DataKey;
import dev.osscse.provider.KeyServiceException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliyunKmsKeyServiceTest {
  private static final String AK = "LTAIbindingTest";
  private static final String SK = "binding-test-secret";

  @TempDir static Path dir;
  private static LocalKmsServer kms;
  private static String keyId;

  @BeforeAll
  static void start() throws Exception {
    kms = LocalKmsServer.builder().dir(dir).credentials(AK, SK).build().start();
    keyId = kms.createKey();
  }

  @AfterAll
  static void stop() {
    kms.close();
  }

  @BeforeEach
  void resetFaults() {
    kms.faults().reset();
  }

  private static AliyunKmsKeyService.Builder local() {
    return AliyunKmsKeyService.builder()
        .localEndpoint(kms.httpEndpoint())
        .credentials(AK, SK)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5));
  }

  @Test
  void encryptDecrypt_overHttp_roundTrips() throws Exception {
    try (AliyunKmsKeyService s = local().build()) {
      String pt = Base64.getEncoder().encodeToString(new byte[] {9, 8, 7});
      String blob = s.encrypt(keyId, pt, Map.of());
      assertThat(s.decrypt(blob, Map.of())).isEqualTo(pt);
      assertThat(s.usesHttps()).isFalse();
    }
  }

  @Test
  void encryptionContext_mustMatchOnDecrypt() throws Exception {
    try (AliyunKmsKeyService s = local().build()) {
      String blob = s.encrypt(keyId, "AAAA", Map.of("bucket", "b", "object", "o"));
      assertThat(s.decrypt(blob, Map.of("object", "o", "bucket", "b"))).isEqualTo("AAAA");
      assertThatThrownBy(() -> s.decrypt(blob, Map.of()))
          .isInstanceOfSatisfying(
              KeyServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(KeyServiceException.Kind.REJECTED);
                assertThat(e.errorCode()).isEqualTo("InvalidCiphertext");
              });
    }
  }

  @Test
  void generateDataKey_returnsKeyAndBlobThatDecryptsToItsBase64() throws Exception {
    try (AliyunKmsKeyService s = local().build()) {
      DataKey dk = s.generateDataKey(keyId, 32, Map.of());
      assertThat(dk.length()).isEqualTo(32);
      assertThat(dk.keyId()).isEqualTo(keyId);
      assertThat(s.decrypt(dk.ciphertextBlob(), Map.of()))
          .isEqualTo(Base64.getEncoder().encodeToString(dk.plaintext()));
      assertThat(dk.toString()).doesNotContain(Base64.getEncoder().encodeToString(dk.plaintext()));
    }
  }

  @Test
  void describeKeyState_isEnabled() throws Exception {
    try (AliyunKmsKeyService s = local().build()) {
      assertThat(s.describeKeyState(keyId)).isEqualTo("Enabled");
    }
  }

  @Test
  void createKey_returnsNewKeyId_thatEncryptsAndDecrypts() throws Exception {
    try (AliyunKmsKeyService s = local().build()) {
      long before = kms.requestCount("CreateKey");
      String created = s.createKey("oss-cse test key");
      String plain = s.createKey(null);
      assertThat(kms.requestCount("CreateKey") - before).isEqualTo(2);
      assertThat(created).isNotBlank().isNotEqualTo(keyId).isNotEqualTo(plain);
      assertThat(s.describeKeyState(created)).isEqualTo("Enabled");
      String pt = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
      String blob = s.encrypt(created, pt, Map.of("object", "o"));
      assertThat(s.decrypt(blob, Map.of("object", "o"))).isEqualTo(pt);
      DataKey dk = s.generateDataKey(plain, 32, Map.of());
      assertThat(dk.keyId()).isEqualTo(plain);
      assertThat(s.decrypt(dk.ciphertextBlob(), Map.of()))
          .isEqualTo(Base64.getEncoder().encodeToString(dk.plaintext()));
    }
  }

  @Test
  void createKey_throttled_isRetriedThroughTheSamePath() throws Exception {
    try (AliyunKmsKeyService s = local().maxRetries(3).build()) {
      kms.faults().throttleNext(1);
      String created = s.createKey("");
      assertThat(s.retryCount()).isEqualTo(1);
      assertThat(s.requestCount()).isEqualTo(2);
      assertThat(s.describeKeyState(created)).isEqualTo("Enabled");
    }
  }

  @Test
  void createKey_wrongSecret_isRejectedNamingTheAction() throws Exception {
    try (AliyunKmsKeyService s =
        AliyunKmsKeyService.builder()
            .localEndpoint(kms.httpEndpoint())
            .credentials(AK, "not-the-secret")
            .build()) {
      assertThatThrownBy(() -> s.createKey("x"))
          .isInstanceOfSatisfying(
              KeyServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(KeyServiceException.Kind.REJECTED);
                assertThat(e.getMessage()).contains("CreateKey").doesNotContain("not-the-secret");
              });
      assertThat(s.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void https_withGeneratedTrustStore_works() throws Exception {
    try (AliyunKmsKeyService s =
        AliyunKmsKeyService.builder()
            .localEndpoint(kms.httpsEndpoint())
            .trustStore(kms.trustStorePath(), kms.trustStorePassword().toCharArray())
            .credentials(AK, SK)
            .build()) {
      assertThat(s.usesHttps()).isTrue();
      String blob = s.encrypt(keyId, "aGk=", Map.of());
      assertThat(s.decrypt(blob, Map.of())).isEqualTo("aGk=");
    }
  }

  @Test
  void throttling_isRetried_thenSucceeds() throws Exception {
    try (AliyunKmsKeyService s = local().maxRetries(3).build()) {
      long before = kms.faults().throttled();
      kms.faults().throttleNext(2);
      assertThat(s.encrypt(keyId, "AAAA", Map.of())).isNotEmpty();
      assertThat(kms.faults().throttled() - before).isEqualTo(2);
      assertThat(s.retryCount()).isEqualTo(2);
      assertThat(s.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void throttling_beyondRetries_isTypedThrottledError() throws Exception {
    try (AliyunKmsKeyService s = local().maxRetries(2).build()) {
      kms.faults().throttleNext(100, 503);
      assertThatThrownBy(() -> s.decrypt("AAAA", Map.of()))
          .isInstanceOfSatisfying(
              KeyServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(KeyServiceException.Kind.THROTTLED);
                assertThat(e.errorCode()).isEqualTo("Throttling");
                assertThat(e.requestId()).isNotBlank();
                assertThat(e.isTransient()).isTrue();
              });
      assertThat(s.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void serverErrors_areRetried_thenUnavailable() throws Exception {
    try (AliyunKmsKeyService s = local().maxRetries(1).build()) {
      kms.faults().failNext(100, 500);
      assertThatThrownBy(() -> s.encrypt(keyId, "AAAA", Map.of()))
          .isInstanceOfSatisfying(
              KeyServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(KeyServiceException.Kind.UNAVAILABLE));
      assertThat(s.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void wrongSecret_isRejectedOnce_andMessageHasNoSecretOrPlaintext() throws Exception {
    String plaintext = Base64.getEncoder().encodeToString("very secret key bytes!".getBytes());
    try (AliyunKmsKeyService s =
        AliyunKmsKeyService.builder()
            .localEndpoint(kms.httpEndpoint())
            .credentials(AK, "not-the-secret")
            .build()) {
      assertThatThrownBy(() -> s.encrypt(keyId, plaintext, Map.of()))
          .isInstanceOfSatisfying(
              KeyServiceException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(KeyServiceException.Kind.REJECTED);
                assertThat(e.getCause()).isNull();
                assertThat(e.getMessage())
                    .doesNotContain(plaintext)
                    .doesNotContain("not-the-secret")
                    .contains("Encrypt");
              });
      assertThat(s.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void unreachableEndpoint_isIoAfterRetries() throws Exception {
    LocalKmsServer down =
        LocalKmsServer.builder().dir(dir.resolve("down")).httpsPort(-1).build().start();
    URI endpoint = down.httpEndpoint();
    down.close();
    try (AliyunKmsKeyService s =
        AliyunKmsKeyService.builder()
            .localEndpoint(endpoint)
            .credentials(AK, SK)
            .maxRetries(1)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      assertThatThrownBy(() -> s.encrypt(keyId, "AAAA", Map.of()))
          .isInstanceOfSatisfying(
              KeyServiceException.class,
              e -> assertThat(e.kind()).isEqualTo(KeyServiceException.Kind.IO));
      assertThat(s.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void builder_regionOnly_usesHttpsPublicEndpoint() {
    try (AliyunKmsKeyService s =
        AliyunKmsKeyService.builder().region("cn-shanghai").credentials("a", "b").build()) {
      assertThat(s.endpoint()).isEqualTo("kms.cn-shanghai.aliyuncs.com");
      assertThat(s.usesHttps()).isTrue();
    }
  }

  @Test
  void builder_httpToNonLoopback_isRefused() {
    assertThatThrownBy(
            () -> AliyunKmsKeyService.builder().localEndpoint(URI.create("http://kms.example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void builder_environment_prefersOssVariables_andFailsWithoutAny() throws Exception {
    try (AliyunKmsKeyService s =
        AliyunKmsKeyService.builder()
            .localEndpoint(kms.httpEndpoint())
            .environment(
                Map.of(
                    "OSS_ACCESS_KEY_ID",
                    AK,
                    "OSS_ACCESS_KEY_SECRET",
                    SK,
                    "ALIBABA_CLOUD_ACCESS_KEY_ID",
                    "ali-id",
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                    "ali-secret"))
            .build()) {
      assertThat(s.describeKeyState(keyId)).isEqualTo("Enabled");
    }
    assertThatThrownBy(
            () -> AliyunKmsKeyService.builder().region("cn-hangzhou").environment(Map.of()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OSS_ACCESS_KEY_ID");
  }

  @Test
  void environmentCredentials_areUsedForSigning() throws Exception {
    try (AliyunKmsKeyService s =
        AliyunKmsKeyService.builder()
            .localEndpoint(kms.httpEndpoint())
            .environment(
                Map.of(
                    "ALIBABA_CLOUD_ACCESS_KEY_ID", AK,
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET", SK))
            .build()) {
      assertThat(s.describeKeyState(keyId)).isEqualTo("Enabled");
    }
  }
}
