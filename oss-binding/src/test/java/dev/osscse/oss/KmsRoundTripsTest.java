package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.provider.KmsKeyReference;
import dev.osscse.provider.KmsPlaintextEncoding;
import dev.osscse.provider.OssCseProviders;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KMS round trips of the binding over the real {@code aliyun-java-sdk-kms} client and {@link
 * LocalKmsServer}: one write = one GenerateDataKey and one Encrypt issued concurrently; repeated
 * reads use the cache; the deprecated oss2 KMS format is read.
 */
class KmsRoundTripsTest {
  private static final String AK = "LTAIroundTrips";
  private static final String SK = "round-trips-secret";

  /** Only reached when the calls are not concurrent; then the test fails on the counters. */
  private static final Duration GATHER_TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private LocalKmsServer kms;
  private AliyunKmsKeyService service;
  private LocalOssFixture oss;
  private String keyId;

  @BeforeEach
  void start() throws Exception {
    kms = LocalKmsServer.builder().dir(dir.resolve("kms")).credentials(AK, SK).build().start();
    keyId = kms.createKey();
    service =
        AliyunKmsKeyService.builder()
            .localEndpoint(kms.httpEndpoint())
            .credentials(AK, SK)
            .maxRetries(1)
            .readTimeout(Duration.ofSeconds(60)) // longer than a gathering that times out
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .build();
    oss = new LocalOssFixture(dir.resolve("oss"));
  }

  @AfterEach
  void stop() {
    oss.close();
    service.close();
    kms.close();
  }

  private OssCseClient client() {
    return OssCseClient.builder(oss.client())
        .encryptWith(MasterKey.kms(KmsKeyReference.of(service, keyId), Map.of()))
        .build();
  }

  private static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] ctr(byte[] key, byte[] iv, byte[] data) throws Exception {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    return c.doFinal(data);
  }

  @Test
  void put_kms_isOneGenerateDataKeyAndOneEncrypt_issuedConcurrently() throws Exception {
    OssCseClient cse = client();
    byte[] plain = data(70_001, 1);
    kms.resetMaxConcurrentRequests();
    kms.faults().gatherNext(2, GATHER_TIMEOUT);

    cse.putObject(LocalOssFixture.BUCKET, "k", plain, null);

    assertThat(kms.requestCount("GenerateDataKey")).isEqualTo(1);
    assertThat(kms.requestCount("Encrypt")).isEqualTo(1);
    assertThat(kms.requestCount()).isEqualTo(2);
    // Both requests were held by the server until the other arrived: they overlapped.
    assertThat(kms.faults().gatherTimeouts()).isZero();
    assertThat(kms.faults().gathered()).isEqualTo(1);
    assertThat(kms.maxConcurrentRequests()).isEqualTo(2);
  }

  @Test
  void put_kms_headersAreWhatOfficialReadersDecrypt() throws Exception {
    OssCseClient cse = client();
    byte[] plain = data(40_000, 2);
    cse.putObject(LocalOssFixture.BUCKET, "k", plain, null);
    Map<String, String> user =
        oss.client().getObjectMetadata(LocalOssFixture.BUCKET, "k").getUserMetadata();
    assertThat(user.get(MetadataKeys.WRAP_ALG)).isEqualTo("KMS/ALICLOUD");
    // The Java v1 / Go reader: Decrypt(header), base64-decode the plaintext (docs/format.md FMT-4).
    byte[] cek = Base64.getDecoder().decode(service.decrypt(user.get(MetadataKeys.KEY), Map.of()));
    byte[] iv = Base64.getDecoder().decode(service.decrypt(user.get(MetadataKeys.START), Map.of()));
    assertThat(cek).hasSize(32);
    assertThat(iv).hasSize(16);
    assertThat(Arrays.copyOfRange(iv, 8, 12)).containsOnly(0);
    byte[] stored =
        oss.client().getObject(LocalOssFixture.BUCKET, "k").getObjectContent().readAllBytes();
    assertThat(ctr(cek, iv, stored)).isEqualTo(plain);
  }

  @Test
  void getObject_fiveReadsWithCache_makeExactlyTwoDecryptCallsIssuedConcurrently()
      throws Exception {
    byte[] plain = data(33_333, 3);
    client().putObject(LocalOssFixture.BUCKET, "k", plain, null);
    OssCseClient reader = client(); // a fresh KmsKeyReference: empty cache
    long before = kms.requestCount("Decrypt");
    kms.resetMaxConcurrentRequests();
    kms.faults().gatherNext(2, GATHER_TIMEOUT);
    for (int i = 0; i < 5; i++) {
      try (UnauthenticatedObjectStream in = reader.getObject(LocalOssFixture.BUCKET, "k")) {
        assertThat(in.readAllBytes()).isEqualTo(plain);
      }
    }
    assertThat(kms.requestCount("Decrypt") - before).isEqualTo(2);
    assertThat(kms.faults().gatherTimeouts()).isZero();
    assertThat(kms.maxConcurrentRequests()).isEqualTo(2);
  }

  @Test
  void rewrap_kms_isTwoEncryptsIssuedConcurrently() throws Exception {
    OssCseClient cse = client();
    EnvelopeCrypto crypto = cse.envelopeCrypto();
    MasterKey mk = cse.encryptionKey().orElseThrow();
    EnvelopeCrypto.Sealed s = crypto.seal(mk);
    long encrypts = kms.requestCount("Encrypt");
    kms.resetMaxConcurrentRequests();
    kms.faults().gatherNext(2, GATHER_TIMEOUT);
    Envelope again = crypto.rewrap(s.contentKey(), mk).build();
    assertThat(kms.requestCount("Encrypt") - encrypts).isEqualTo(2);
    assertThat(kms.faults().gatherTimeouts()).isZero();
    ContentKey back = crypto.open(again, mk);
    byte[] probe = new byte[48];
    assertThat(back.newCipher(Cipher.ENCRYPT_MODE, 0).doFinal(probe))
        .isEqualTo(s.contentKey().newCipher(Cipher.ENCRYPT_MODE, 0).doFinal(probe));
  }

  @Test
  void put_kmsDataKeyGenerationFails_isInvalidKeyAndNothingIsStored() throws Exception {
    OssCseClient cse = client();
    kms.faults().failNext(5, 500);
    assertThatThrownBy(() -> cse.putObject(LocalOssFixture.BUCKET, "f", new byte[10], null))
        .isInstanceOf(InvalidKeyException.class);
    assertThat(oss.client().doesObjectExist(LocalOssFixture.BUCKET, "f")).isFalse();
  }

  /** Writes an object as oss2's deprecated KMS format did (docs/format.md FMT-15, FMT-16). */
  private void putDeprecatedOss2Kms(String key, byte[] cek, String counter, byte[] plain)
      throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, keyId);
    // The key: Encrypt(base64(cek)); the start: Encrypt of the decimal counter text itself.
    String keyBlob = service.encrypt(keyId, Base64.getEncoder().encodeToString(cek), Map.of());
    Cipher text = Cipher.getInstance("KMS/ALICLOUD/NoPadding", OssCseProviders.provider());
    text.init(Cipher.ENCRYPT_MODE, ref, KmsPlaintextEncoding.TEXT);
    String startBlob =
        new String(
            text.doFinal(counter.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
    byte[] iv = new byte[16];
    byte[] n = new BigInteger(counter).toByteArray();
    int len = Math.min(n.length, 16);
    System.arraycopy(n, n.length - len, iv, 16 - len, len);
    ObjectMetadata md = new ObjectMetadata();
    md.addUserMetadata(MetadataKeys.LEGACY_KEY, keyBlob);
    md.addUserMetadata(MetadataKeys.LEGACY_START, startBlob);
    md.addUserMetadata(MetadataKeys.LEGACY_CEK_ALG, "AES/GCM/NoPadding");
    md.addUserMetadata(MetadataKeys.LEGACY_WRAP_ALG, "kms");
    md.addUserMetadata(
        MetadataKeys.LEGACY_UNENCRYPTED_CONTENT_LENGTH, Integer.toString(plain.length));
    oss.client()
        .putObject(LocalOssFixture.BUCKET, key, new ByteArrayInputStream(ctr(cek, iv, plain)), md);
  }

  @Test
  void getObject_deprecatedOss2Kms_decimalStart_isRead() throws Exception {
    byte[] cek = data(32, 4);
    byte[] plain = new byte[100_000];
    Arrays.fill(plain, (byte) 'a');
    putDeprecatedOss2Kms("old", cek, "8", plain);
    OssCseClient cse = client();
    try (UnauthenticatedObjectStream in = cse.getObject(LocalOssFixture.BUCKET, "old")) {
      assertThat(in.envelope().orElseThrow().format()).isEqualTo(Envelope.Format.OSS2_DEPRECATED);
      assertThat(in.readAllBytes()).isEqualTo(plain);
    }
    try (UnauthenticatedObjectStream in =
        cse.getObject(LocalOssFixture.BUCKET, "old", ByteRange.of(4097, 70_000))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, 4097, 70_001));
    }
  }

  @Test
  void getObject_deprecatedOss2Kms_counterNearTwoTo64_carriesLikeOss2() throws Exception {
    byte[] cek = data(32, 5);
    byte[] plain = data(5_000, 6);
    // The counter is one 128-bit integer; a ranged read adds the block offset with carry.
    String counter = new BigInteger("18446744073709551614").toString(); // 2^64 - 2
    putDeprecatedOss2Kms("carry", cek, counter, plain);
    OssCseClient cse = client();
    try (UnauthenticatedObjectStream in =
        cse.getObject(LocalOssFixture.BUCKET, "carry", ByteRange.of(48, 4999))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, 48, 5000));
    }
  }

  @Test
  void getObject_deprecatedOss2Kms_startNotDecimal_isTheOneUnwrapFailure() throws Exception {
    KmsKeyReference ref = KmsKeyReference.of(service, keyId);
    Cipher text = Cipher.getInstance("KMS/ALICLOUD/NoPadding", OssCseProviders.provider());
    text.init(Cipher.ENCRYPT_MODE, ref, KmsPlaintextEncoding.TEXT);
    String startBlob =
        new String(
            text.doFinal("8x".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
    String keyBlob =
        service.encrypt(keyId, Base64.getEncoder().encodeToString(data(32, 7)), Map.of());
    ObjectMetadata md = new ObjectMetadata();
    md.addUserMetadata(MetadataKeys.LEGACY_KEY, keyBlob);
    md.addUserMetadata(MetadataKeys.LEGACY_START, startBlob);
    md.addUserMetadata(MetadataKeys.LEGACY_CEK_ALG, "AES/GCM/NoPadding");
    md.addUserMetadata(MetadataKeys.LEGACY_WRAP_ALG, "kms");
    oss.client()
        .putObject(LocalOssFixture.BUCKET, "bad", new ByteArrayInputStream(new byte[32]), md);
    assertThatThrownBy(() -> client().getObject(LocalOssFixture.BUCKET, "bad"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(EnvelopeCrypto.UNWRAP_FAILED);
  }
}
