package dev.osscse.oss.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.TestKeys;
import dev.osscse.provider.KmsKeyReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code KMS/ALICLOUD} objects exchanged between the V2 face ({@link OssCseV2Client}, real V2
 * client) and the V1 binding ({@link OssCseClient}, real {@code aliyun-sdk-oss} 3.18.5 client),
 * wrapped by the local KMS through the real KMS SDK ({@link AliyunKmsKeyService}): single puts and
 * multipart uploads, whole, ranged and suffix reads, both directions, and an RSA object rewrapped
 * to KMS through V2. The official 3.18.5 client has no KMS materials (docs/interop.md lists the
 * 3.18.3 ones). Stored bytes are checked to be ciphertext under the key and IV that the KMS itself
 * unwraps before a read counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OssV2KmsInteropTest {
  static final String B = LocalV2Bed.BUCKET;
  static final int PART = 100 * 1024;
  static final Map<String, String> DESC = Map.of("kms-desc", "v2-interop");

  @TempDir static Path dir;
  LocalV2Bed bed;
  LocalKmsServer kms;
  AliyunKmsKeyService keys;
  MasterKey kmsKey;
  OSS plainV1;
  OssCseV2Client v2;
  OssCseClient v1;

  @BeforeAll
  void start() throws Exception {
    bed = new LocalV2Bed(dir.resolve("oss"));
    kms =
        LocalKmsServer.builder()
            .dir(dir.resolve("kms"))
            .credentials(LocalV2Bed.AK, LocalV2Bed.SK)
            .build()
            .start();
    keys =
        AliyunKmsKeyService.builder()
            .localEndpoint(kms.httpEndpoint())
            .credentials(LocalV2Bed.AK, LocalV2Bed.SK)
            .build();
    kmsKey = MasterKey.kms(KmsKeyReference.of(keys, kms.createKey()), DESC);
    v2 = OssCseV2Client.newBuilder().client(bed.client()).encryptWith(kmsKey).build();
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    plainV1 = new OSSClientBuilder().build(bed.endpoint(), LocalV2Bed.AK, LocalV2Bed.SK, conf);
    v1 = OssCseClient.builder(plainV1).encryptWith(kmsKey).build();
  }

  @AfterAll
  void stop() throws Exception {
    plainV1.shutdown();
    keys.close();
    kms.close();
    bed.close();
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] read(UnauthenticatedObjectStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  void assertCiphertext(String key, byte[] plain) throws Exception {
    StoredCiphertext.assertStoredAsCiphertext(
        bed.client(), B, key, StoredCiphertext.kms(keys), plain);
  }

  void assertReads(String key, byte[] plain, Reader reader) throws Exception {
    int n = plain.length;
    assertThat(reader.read(key, null)).as("%s whole", key).isEqualTo(plain);
    assertThat(reader.read(key, ByteRange.of(n / 3, 2L * n / 3)))
        .as("%s middle", key)
        .isEqualTo(Arrays.copyOfRange(plain, n / 3, 2 * n / 3 + 1));
    assertThat(reader.read(key, ByteRange.suffix(21)))
        .as("%s suffix", key)
        .isEqualTo(Arrays.copyOfRange(plain, n - 21, n));
    assertThat(reader.read(key, ByteRange.from(n - 5)))
        .as("%s open", key)
        .isEqualTo(Arrays.copyOfRange(plain, n - 5, n));
  }

  interface Reader {
    byte[] read(String key, ByteRange range) throws Exception;
  }

  byte[] v1Read(String key, ByteRange range) throws Exception {
    return read(v1.getObject(B, key, range));
  }

  byte[] v2Read(String key, ByteRange range) throws Exception {
    return read(v2.getObject(B, key, range));
  }

  @Test
  void v1BindingReads_whatV2WritesWithKms_putAndMultipart() throws Exception {
    byte[] plain = data(65_537, 1);
    v2.putObject(
        PutObjectRequest.newBuilder()
            .bucket(B)
            .key("v2-kms")
            .body(BinaryData.fromBytes(plain))
            .build());
    byte[] big = data(3 * PART + 44, 2);
    Path src = dir.resolve("v2-kms-mp.bin");
    Files.write(src, big);
    v2.multipartUploader().partSize(PART).parallelism(2).build().upload(B, "v2-kms-mp", src, null);

    assertThat(v2.headEnvelope(B, "v2-kms").orElseThrow().wrapAlgorithm().headerValue())
        .isEqualTo("KMS/ALICLOUD");
    assertCiphertext("v2-kms", plain);
    assertCiphertext("v2-kms-mp", big);
    assertReads("v2-kms", plain, this::v1Read);
    assertReads("v2-kms-mp", big, this::v1Read);
  }

  @Test
  void v2Reads_whatV1BindingWritesWithKms_putAndMultipart() throws Exception {
    byte[] plain = data(100_003, 3);
    v1.putObject(B, "v1-kms", plain, null);
    byte[] big = data(4 * PART + 9, 4);
    Path src = dir.resolve("v1-kms-mp.bin");
    Files.write(src, big);
    v1.core()
        .multipartUploader()
        .partSize(PART)
        .parallelism(2)
        .build()
        .upload(B, "v1-kms-mp", src, null);
    for (String key : List.of("v1-kms", "v1-kms-mp")) {
      assertCiphertext(key, key.endsWith("mp") ? big : plain);
    }
    assertReads("v1-kms", plain, this::v2Read);
    assertReads("v1-kms-mp", big, this::v2Read);
  }

  @Test
  void rsaObjectRewrappedToKmsThroughV2_isReadByV1BindingWithKmsOnly() throws Exception {
    MasterKey rsa = MasterKey.rsa(TestKeys.rsa(), Map.of("desc", "v2-rsa"));
    OssCseV2Client rsaV2 =
        OssCseV2Client.newBuilder()
            .client(bed.client())
            .encryptWith(rsa)
            .decryptWith(MasterKeyRing.of(rsa, kmsKey))
            .build();
    byte[] plain = data(40_000, 5);
    rsaV2.putObject(
        PutObjectRequest.newBuilder()
            .bucket(B)
            .key("rewrap-to-kms")
            .body(BinaryData.fromBytes(plain))
            .build());
    rsaV2.rewrapper().newMasterKey(kmsKey).build().rewrap(B, "rewrap-to-kms");
    assertCiphertext("rewrap-to-kms", plain);
    assertReads("rewrap-to-kms", plain, this::v1Read);
  }
}
