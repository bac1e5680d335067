package dev.osscse.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.crypto.KmsEncryptionMaterials;
import com.aliyun.oss.model.OSSObject;
import com.aliyuncs.profile.DefaultProfile;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.KmsKeyReference;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KMS/ALICLOUD objects exchanged with the official {@code aliyun-sdk-oss} 3.18.3 {@code
 * KmsEncryptionMaterials}, over the local OSS and local KMS endpoints.
 *
 * <p>{@code KmsEncryptionMaterials} always uses HTTPS and resolves the KMS endpoint itself, so this
 * test (alone in its JVM) points the SDK's static endpoint table at the local KMS's HTTPS port and
 * makes the JVM default trust store the local KMS's generated one. Both endpoints accept the same
 * credentials because the official client hands its OSS credentials to KMS.
 */
class KmsLegacyInteropTest {
  private static final String AK = "interop-ak";
  private static final String SK = "interop-sk";
  private static final String BUCKET = "interop-kms";
  private static final String REGION = "cn-hangzhou";
  private static final Map<String, String> DESC = Map.of("kms-desc", "interop");

  @TempDir static Path dir;
  private static LocalKmsServer kms;
  private static LocalOssServer oss;
  private static String keyId;
  private static OSS plain;
  private static OSSEncryptionClient legacy;
  private static AliyunKmsKeyService keyService;
  private static OssCseClient ours;

  @BeforeAll
  static void start() throws Exception {
    kms = LocalKmsServer.builder().dir(dir.resolve("kms")).credentials(AK, SK).build().start();
    keyId = kms.createKey();
    oss =
        LocalOssServer.builder()
            .dataDirectory(dir.resolve("oss"))
            .credentials(AK, SK)
            .build()
            .start();
    oss.createBucket(BUCKET);
    System.setProperty("javax.net.ssl.trustStore", kms.trustStorePath().toString());
    System.setProperty("javax.net.ssl.trustStorePassword", kms.trustStorePassword());
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    DefaultProfile.addEndpoint(REGION, "Kms", "127.0.0.1:" + kms.httpsEndpoint().getPort());

    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    legacy =
        new OSSEncryptionClientBuilder()
            .build(
                oss.endpoint(),
                new DefaultCredentialProvider(AK, SK),
                new KmsEncryptionMaterials(REGION, keyId, DESC),
                conf);
    plain = new OSSClientBuilder().build(oss.endpoint(), AK, SK, conf);
    keyService =
        AliyunKmsKeyService.builder().localEndpoint(kms.httpEndpoint()).credentials(AK, SK).build();
    ours =
        OssCseClient.builder(plain)
            .encryptWith(MasterKey.kms(KmsKeyReference.of(keyService, keyId), DESC))
            .build();
  }

  @AfterAll
  static void stop() {
    if (legacy != null) {
      legacy.shutdown();
    }
    if (plain != null) {
      plain.shutdown();
    }
    if (keyService != null) {
      keyService.close();
    }
    if (oss != null) {
      oss.close();
    }
    if (kms != null) {
      kms.close();
    }
  }

  private static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
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
    byte[] cek =
        Base64.getDecoder()
            .decode(keyService.decrypt(meta.get("client-side-encryption-key"), Map.of()));
    byte[] iv =
        Base64.getDecoder()
            .decode(keyService.decrypt(meta.get("client-side-encryption-start"), Map.of()));
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new IvParameterSpec(iv));
    assertThat(ctr.doFinal(raw)).isEqualTo(content);
    long decryptsBefore = kms.requestCount("Decrypt");
    OSSObject o = legacy.getObject(BUCKET, "osscse-written");
    try (InputStream in = o.getObjectContent()) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(kms.requestCount("Decrypt") - decryptsBefore).isEqualTo(2);
  }
}
