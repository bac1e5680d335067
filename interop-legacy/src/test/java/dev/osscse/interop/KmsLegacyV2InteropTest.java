package dev.osscse.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.v2.OssCseV2Client;
import dev.osscse.provider.KmsKeyReference;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KMS/ALICLOUD objects exchanged between the OSS Java SDK V2 face ({@code OssCseV2Client} over the
 * real V2 client, V4 signatures) and the official {@code aliyun-sdk-oss} 3.18.3 {@code
 * KmsEncryptionMaterials}, over the local OSS and local KMS endpoints. Set up by {@link
 * LegacyKmsBed} (HTTPS KMS endpoint and trust store, both JVM-global; the module runs each test
 * class in its own JVM).
 */
class KmsLegacyV2InteropTest {
  private static final String BUCKET = "interop-v2-kms";
  private static final Map<String, String> DESC = Map.of("kms-desc", "interop-v2");

  @TempDir static Path dir;
  private static LegacyKmsBed bed;
  private static OSSEncryptionClient legacy;
  private static OSSClient v2Plain;
  private static OssCseV2Client v2;

  @BeforeAll
  static void start() throws Exception {
    bed = new LegacyKmsBed(dir, BUCKET, DESC);
    legacy = bed.legacy;
    v2Plain =
        OSSClient.newBuilder()
            .credentialsProvider(new StaticCredentialsProvider(LegacyKmsBed.AK, LegacyKmsBed.SK))
            .region(LegacyKmsBed.REGION)
            .endpoint(bed.oss.endpoint())
            .usePathStyle(true)
            .build();
    v2 =
        OssCseV2Client.newBuilder()
            .client(v2Plain)
            .encryptWith(MasterKey.kms(KmsKeyReference.of(bed.keyService, bed.keyId), DESC))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (v2Plain != null) {
      v2Plain.close();
    }
    if (bed != null) {
      bed.close();
    }
  }

  private static byte[] data(int n, long seed) {
    return LegacyKmsBed.data(n, seed);
  }

  private static byte[] v2Read(String key, ByteRange range) throws Exception {
    try (UnauthenticatedObjectStream in = v2.getObject(BUCKET, key, range)) {
      return in.readAllBytes();
    }
  }

  private static byte[] legacyRead(String key, long a, long b) throws Exception {
    GetObjectRequest r = new GetObjectRequest(BUCKET, key);
    if (a >= 0) {
      r.setRange(a, b);
    }
    try (OSSObject o = legacy.getObject(r);
        InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  @Test
  void legacyKmsWrite_v2Read_wholeRangedAndSuffix() throws Exception {
    byte[] content = data(100_003, 11);
    legacy.putObject(BUCKET, "legacy-written", new ByteArrayInputStream(content));
    assertThat(v2Read("legacy-written", null)).isEqualTo(content);
    assertThat(v2Read("legacy-written", ByteRange.of(4097, 70_000)))
        .isEqualTo(Arrays.copyOfRange(content, 4097, 70_001));
    assertThat(v2Read("legacy-written", ByteRange.suffix(33)))
        .isEqualTo(Arrays.copyOfRange(content, content.length - 33, content.length));
  }

  @Test
  void v2KmsWrite_legacyRead_wholeAndRanged() throws Exception {
    byte[] content = data(65_537, 12);
    v2.putObject(
        PutObjectRequest.newBuilder()
            .bucket(BUCKET)
            .key("v2-written")
            .body(BinaryData.fromBytes(content))
            .build());
    // First, the stored bytes are ciphertext under the stated envelope (read raw by the plain V2
    // client; key and IV from the local KMS): an official reader returns an object without
    // envelope unchanged, so its read alone would not tell.
    byte[] raw;
    Map<String, String> meta;
    try (GetObjectResult r =
            v2Plain.getObject(
                com.aliyun.sdk.service.oss2.models.GetObjectRequest.newBuilder()
                    .bucket(BUCKET)
                    .key("v2-written")
                    .build());
        InputStream in = r.body()) {
      raw = in.readAllBytes();
      meta = r.metadata();
    }
    assertThat(meta.get("client-side-encryption-wrap-alg")).isEqualTo("KMS/ALICLOUD");
    assertThat(raw).hasSameSizeAs(content).isNotEqualTo(content);
    assertThat(bed.decryptStored(raw, meta)).isEqualTo(content);

    assertThat(legacyRead("v2-written", -1, -1)).isEqualTo(content);
    assertThat(legacyRead("v2-written", 1000, 50_000))
        .isEqualTo(Arrays.copyOfRange(content, 1000, 50_001));
  }
}
