package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.provider.KeyServiceException;
import dev.osscse.provider.KmsKeyReference;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KMS outages through the binding's read and write paths, over the real {@code aliyun-java-sdk-kms}
 * client and {@link LocalKmsServer}: a KMS that is stopped, a wrong port, an untrusted TLS
 * certificate, throttling, 5xx and a key the service does not know reach the caller as {@code
 * InvalidKeyException("unwrap failed")} whose cause is the {@link KeyServiceException}; a wrong key
 * stays the uniform {@code unwrap failed} with no cause.
 */
class KmsOutageTest {
  private static final String AK = "LTAIoutage";
  private static final String SK = "outage-secret";
  private static final String B = LocalOssFixture.BUCKET;

  @TempDir Path dir;
  private LocalKmsServer kms;
  private LocalOssFixture oss;
  private String keyId;
  private byte[] plain;

  @BeforeEach
  void start() throws Exception {
    kms = LocalKmsServer.builder().dir(dir.resolve("kms")).credentials(AK, SK).build().start();
    keyId = kms.createKey();
    oss = new LocalOssFixture(dir.resolve("oss"));
    plain = new byte[20_000];
    new Random(5).nextBytes(plain);
    try (AliyunKmsKeyService writer = service(b -> b.localEndpoint(kms.httpEndpoint()))) {
      client(writer, keyId).putObject(B, "k", plain, null);
    }
  }

  @AfterEach
  void stop() {
    oss.close();
    kms.close();
  }

  private static AliyunKmsKeyService service(UnaryOperator<AliyunKmsKeyService.Builder> endpoint) {
    return endpoint
        .apply(AliyunKmsKeyService.builder())
        .credentials(AK, SK)
        .maxRetries(1)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
        .connectTimeout(Duration.ofSeconds(3))
        .readTimeout(Duration.ofSeconds(10))
        .build();
  }

  private OssCseClient client(AliyunKmsKeyService s, String key) {
    return client(KmsKeyReference.of(s, key));
  }

  private OssCseClient client(KmsKeyReference ref) {
    return OssCseClient.builder(oss.client()).encryptWith(MasterKey.kms(ref, Map.of())).build();
  }

  /** Reads "k" (every reader here has a fresh reference, so an empty cache) and returns why not. */
  private static Throwable readFailure(OssCseClient reader) {
    Throwable t = catchThrowable(() -> reader.getObject(B, "k").close());
    assertThat(t).isInstanceOf(InvalidKeyException.class).hasMessage(EnvelopeCrypto.UNWRAP_FAILED);
    return t;
  }

  /** The failure's cause is the key service failure of this kind, as the caller sees it. */
  private static KeyServiceException outage(Throwable t, KeyServiceException.Kind kind) {
    assertThat(t.getCause()).isInstanceOf(KeyServiceException.class);
    KeyServiceException kse = (KeyServiceException) t.getCause();
    assertThat(kse.kind()).isEqualTo(kind);
    assertThat(kse.isCiphertextRefused()).isFalse();
    assertThat(kse.getMessage()).contains("KMS Decrypt failed");
    return kse;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void kmsStoppedDuringRead_isAnOutageWithTheKeyServiceFailureAsCause() throws Exception {
    URI endpoint = kms.httpEndpoint();
    try (AliyunKmsKeyService s = service(b -> b.localEndpoint(endpoint))) {
      OssCseClient reader = client(s, keyId);
      kms.close();
      KeyServiceException kse = outage(readFailure(reader), KeyServiceException.Kind.IO);
      assertThat(kse.errorCode()).isEqualTo("SDK.ServerUnreachable");
      assertThat(kse.getMessage()).contains("could not be reached");
    }
  }

  @Test
  void kmsOnAWrongPort_isAnOutageWithTheKeyServiceFailureAsCause() throws Exception {
    URI wrong = URI.create("http://127.0.0.1:" + closedPort());
    try (AliyunKmsKeyService s = service(b -> b.localEndpoint(wrong))) {
      outage(readFailure(client(s, keyId)), KeyServiceException.Kind.IO);
    }
  }

  @Test
  void kmsWithAnUntrustedCertificate_isAnOutageWithTheKeyServiceFailureAsCause() throws Exception {
    // HTTPS to the local endpoint without its trust store: the self-signed certificate is refused.
    try (AliyunKmsKeyService s = service(b -> b.localEndpoint(kms.httpsEndpoint()))) {
      outage(readFailure(client(s, keyId)), KeyServiceException.Kind.IO);
    }
    assertThat(kms.requestCount("Decrypt")).isZero();
  }

  @Test
  void kmsThrottlingAndServerErrors_areOutagesWithTheKeyServiceFailureAsCause() throws Exception {
    try (AliyunKmsKeyService s = service(b -> b.localEndpoint(kms.httpEndpoint()))) {
      kms.faults().throttleNext(4);
      outage(readFailure(client(s, keyId)), KeyServiceException.Kind.THROTTLED);
      kms.faults().failNext(4, 503);
      outage(readFailure(client(s, keyId)), KeyServiceException.Kind.UNAVAILABLE);
      kms.faults().reset();
      try (UnauthenticatedObjectStream in = client(s, keyId).getObject(B, "k")) {
        assertThat(in.readAllBytes()).isEqualTo(plain);
      }
    }
  }

  @Test
  void kmsThatDoesNotKnowTheKey_saysTheKeyIsNotFound() throws Exception {
    // Another KMS (its own key store) under the same credentials: the blob's key is unknown there.
    try (LocalKmsServer other =
            LocalKmsServer.builder().dir(dir.resolve("kms2")).credentials(AK, SK).build().start();
        AliyunKmsKeyService s = service(b -> b.localEndpoint(other.httpEndpoint()))) {
      KeyServiceException kse =
          outage(readFailure(client(s, keyId)), KeyServiceException.Kind.REJECTED);
      assertThat(kse.errorCode()).isEqualTo("Forbidden.KeyNotFound");
      assertThat(kse.getMessage()).contains("the KMS key was not found");
    }
  }

  @Test
  void disabledKmsKey_isAKmsFailureNamingTheDisabledKey_notAWrongKey() throws Exception {
    try (AliyunKmsKeyService s = service(b -> b.localEndpoint(kms.httpEndpoint()))) {
      kms.setKeyEnabled(keyId, false);
      KeyServiceException kse =
          outage(readFailure(client(s, keyId)), KeyServiceException.Kind.REJECTED);
      assertThat(kse.errorCode()).isEqualTo("Forbidden.KeyNotEnabled");
      assertThat(kse.getMessage()).contains("the KMS key is disabled");
      Throwable put =
          catchThrowable(() -> client(s, keyId).putObject(B, "off", new byte[10], null));
      assertThat(put).isInstanceOf(InvalidKeyException.class).hasMessageNotContaining("unwrap");
      assertThat(put.getCause()).isInstanceOf(KeyServiceException.class);
      assertThat(((KeyServiceException) put.getCause()).errorCode())
          .isEqualTo("Forbidden.KeyNotEnabled");
      assertThat(oss.client().doesObjectExist(B, "off")).isFalse();
      kms.setKeyEnabled(keyId, true);
      try (UnauthenticatedObjectStream in = client(s, keyId).getObject(B, "k")) {
        assertThat(in.readAllBytes()).isEqualTo(plain);
      }
    }
  }

  @Test
  void putWithAKeyThatDoesNotExist_saysTheKeyIsNotFound() throws Exception {
    try (AliyunKmsKeyService s = service(b -> b.localEndpoint(kms.httpEndpoint()))) {
      OssCseClient cse = client(s, "00000000-0000-0000-0000-000000000000");
      Throwable t = catchThrowable(() -> cse.putObject(B, "missing", new byte[10], null));
      assertThat(t).isInstanceOf(InvalidKeyException.class);
      assertThat(t).hasMessageNotContaining("unwrap");
      assertThat(t.getCause()).isInstanceOf(KeyServiceException.class);
      KeyServiceException kse = (KeyServiceException) t.getCause();
      assertThat(kse.errorCode()).isEqualTo("Forbidden.KeyNotFound");
      assertThat(kse.getMessage()).contains("the KMS key was not found");
      assertThat(oss.client().doesObjectExist(B, "missing")).isFalse();
    }
  }

  @Test
  void wrongKeyOrContext_staysTheUniformUnwrapFailureWithoutCause() throws Exception {
    try (AliyunKmsKeyService s = service(b -> b.localEndpoint(kms.httpEndpoint()))) {
      // Another key of the same KMS: the blob names the first key, refused before any call.
      String otherKey = kms.createKey();
      assertThat(readFailure(client(s, otherKey))).hasNoCause();
      // The right key with another encryption context: KMS answers InvalidCiphertext.
      long before = kms.requestCount("Decrypt");
      KmsKeyReference withContext =
          KmsKeyReference.builder(s, keyId).encryptionContext(Map.of("a", "b")).build();
      assertThat(readFailure(client(withContext))).hasNoCause();
      assertThat(kms.requestCount("Decrypt")).isGreaterThan(before);
    }
  }

  @Test
  void kmsOutage_alsoReachesTheSeekableChannelAndDownloadReaders() throws Exception {
    URI wrong = URI.create("http://127.0.0.1:" + closedPort());
    try (AliyunKmsKeyService s = service(b -> b.localEndpoint(wrong))) {
      Throwable channel =
          catchThrowable(() -> EncryptedObjectChannel.open(client(s, keyId).core(), B, "k"));
      assertThat(channel).isInstanceOf(InvalidKeyException.class);
      assertThat(channel.getCause()).isInstanceOf(KeyServiceException.class);
      Path target = dir.resolve("download.bin");
      Throwable download = catchThrowable(() -> client(s, keyId).downloadObject(B, "k", target));
      assertThat(download).isInstanceOf(InvalidKeyException.class);
      assertThat(download.getCause()).isInstanceOf(KeyServiceException.class);
      assertThat(target).doesNotExist();
    }
  }
}
