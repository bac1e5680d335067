package dev.osscse.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.crypto.KmsEncryptionMaterials;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import com.aliyuncs.profile.DefaultProfile;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.v2.OssCseV2Client;
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
 * KMS/ALICLOUD objects exchanged between the OSS Java SDK V2 face ({@code OssCseV2Client} over the
 * real V2 client, V4 signatures) and the official {@code aliyun-sdk-oss} 3.18.3 {@code
 * KmsEncryptionMaterials}, over the local OSS and local KMS endpoints. Set up as {@link
 * KmsLegacyInteropTest} (HTTPS KMS endpoint and trust store, both JVM-global; the module runs each
 * test class in its own JVM).
 */
class KmsLegacyV2InteropTest {
  private static final String AK = "interop-ak";
  private static final String SK = "interop-sk";
  private static final String BUCKET = "interop-v2-kms";
  private static final String REGION = "cn-hangzhou";
  private static final Map<String, String> DESC = Map.of("kms-desc", "interop-v2");

  @TempDir static Path dir;
  private static LocalKmsServer kms;
  private static LocalOssServer oss;
  private static OSSEncryptionClient legacy;
  private static AliyunKmsKeyService keyService;
  private static OSSClient v2Plain;
  private static OssCseV2Client v2;

  @BeforeAll
  static void start() throws Exception {
    kms = LocalKmsServer.builder().dir(dir.resolve("kms")).credentials(AK, SK).build().start();
    String keyId = kms.createKey();
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
    keyService =
        AliyunKmsKeyService.builder().localEndpoint(kms.httpEndpoint()).credentials(AK, SK).build();
    v2Plain =
        OSSClient.newBuilder()
            .credentialsProvider(new StaticCredentialsProvider(AK, SK))
            .region(REGION)
            .endpoint(oss.endpoint())
            .usePathStyle(true)
            .build();
    v2 =
        OssCseV2Client.newBuilder()
            .client(v2Plain)
            .encryptWith(MasterKey.kms(KmsKeyReference.of(keyService, keyId), DESC))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (legacy != null) {
      legacy.shutdown();
    }
    if (v2Plain != null) {
      v2Plain.close();
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
    byte[] cek =
        Base64.getDecoder()
            .decode(keyService.decrypt(meta.get("client-side-encryption-key"), Map.of()));
    byte[] iv =
        Base64.getDecoder()
            .decode(keyService.decrypt(meta.get("client-side-encryption-start"), Map.of()));
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new IvParameterSpec(iv));
    assertThat(ctr.doFinal(raw)).isEqualTo(content);

    assertThat(legacyRead("v2-written", -1, -1)).isEqualTo(content);
    assertThat(legacyRead("v2-written", 1000, 50_000))
        .isEqualTo(Arrays.copyOfRange(content, 1000, 50_001));
  }
}
