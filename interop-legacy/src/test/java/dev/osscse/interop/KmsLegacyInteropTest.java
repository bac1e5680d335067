package dev.osscse.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
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
 * KMS/ALICLOUD objects exchanged with the official {@code aliyun-sdk-oss} 3.18.3 {@code
 * KmsEncryptionMaterials}, over the local OSS and local KMS endpoints ({@link LegacyKmsBed}: HTTPS
 * KMS endpoint and trust store, both JVM-global, so this class runs in a JVM of its own).
 */
class KmsLegacyInteropTest {
  private static final String BUCKET = "interop-kms";
  private static final Map<String, String> DESC = Map.of("kms-desc", "interop");

  @TempDir static Path dir;
  private static LegacyKmsBed bed;
  private static LocalKmsServer kms;
  private static OSS plain;
  private static OSSEncryptionClient legacy;
  private static OssCseClient ours;

  @BeforeAll
  static void start() throws Exception {
    bed = new LegacyKmsBed(dir, BUCKET, DESC);
    kms = bed.kms;
    legacy = bed.legacy;
    plain =
        new OSSClientBuilder()
            .build(bed.oss.endpoint(), LegacyKmsBed.AK, LegacyKmsBed.SK, bed.conf);
    ours =
        OssCseClient.builder(plain)
            .encryptWith(MasterKey.kms(KmsKeyReference.of(bed.keyService, bed.keyId), DESC))
            .build();
  }

  @AfterAll
  static void stop() {
    if (plain != null) {
      plain.shutdown();
    }
    if (bed != null) {
      bed.close();
    }
  }

  private static byte[] data(int n, long seed) {
    return LegacyKmsBed.data(n, seed);
  }

  @Test
  void legacyKmsWrite_ossCseRead_returnsPlaintext() throws Exception {
    byte[] content = data(100_003, 1);
    long encryptsBefore = kms.requestCount("Encrypt");
    legacy.putObject(BUCKET, "legacy-written", new ByteArrayInputStream(content));
    assertThat(kms.requestCount("Encrypt") - encryptsBefore).isEqualTo(2); // IV and CEK
    Map<String, String> meta = plain.getObjectMetadata(BUCKET, "legacy-written").getUserMetadata();
    assertThat(meta.get("client-side-encryption-wrap-alg")).isEqualTo("KMS/ALICLOUD");
    try (UnauthenticatedObjectStream in = ours.getObject(BUCKET, "legacy-written")) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    try (UnauthenticatedObjectStream in =
        ours.getObject(BUCKET, "legacy-written", ByteRange.of(4097, 70_000))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 4097, 70_001));
    }
  }

  @Test
  void ossCseKmsWrite_legacyRead_returnsPlaintext() throws Exception {
    byte[] content = data(65_537, 2);
    ours.putObject(BUCKET, "osscse-written", content, null);
    Map<String, String> meta = plain.getObjectMetadata(BUCKET, "osscse-written").getUserMetadata();
    assertThat(meta.get("client-side-encryption-wrap-alg")).isEqualTo("KMS/ALICLOUD");
    // First, the stored bytes are ciphertext under the stated envelope: not the plaintext, and
    // AES-CTR (SunJCE) with the key and IV that the local KMS returns for the stored blobs gives
    // the plaintext. An official reader returns an object without envelope headers unchanged, so
    // its read alone would not tell.
    byte[] raw;
    try (OSSObject o = plain.getObject(BUCKET, "osscse-written");
        InputStream in = o.getObjectContent()) {
      raw = in.readAllBytes();
    }
    assertThat(raw).hasSameSizeAs(content).isNotEqualTo(content);
    assertThat(bed.decryptStored(raw, meta)).isEqualTo(content);
    long decryptsBefore = kms.requestCount("Decrypt");
    OSSObject o = legacy.getObject(BUCKET, "osscse-written");
    try (InputStream in = o.getObjectContent()) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(kms.requestCount("Decrypt") - decryptsBefore).isEqualTo(2);
  }
}
