package dev.osscse.interop;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.crypto.KmsEncryptionMaterials;
import com.aliyuncs.profile.DefaultProfile;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.local.oss.LocalOssServer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local OSS and KMS endpoints, one KMS key, the official {@code aliyun-sdk-oss} 3.18.3 client
 * with {@code KmsEncryptionMaterials} and our KMS key service, as the KMS interop tests share them.
 *
 * <p>{@code KmsEncryptionMaterials} always uses HTTPS and resolves the KMS endpoint itself, so the
 * bed points the SDK's static endpoint table at the local KMS's HTTPS port and makes the JVM
 * default trust store the local KMS's generated one: both JVM-global, so each test class using it
 * runs in a JVM of its own. Both endpoints accept the same credentials because the official client
 * hands its OSS credentials to KMS.
 */
final class LegacyKmsBed implements AutoCloseable {
  static final String AK = "interop-ak";
  static final String SK = "interop-sk";
  static final String REGION = "cn-hangzhou";

  final LocalKmsServer kms;
  final LocalOssServer oss;
  final String keyId;
  final ClientBuilderConfiguration conf;
  final OSSEncryptionClient legacy;
  final AliyunKmsKeyService keyService;

  /** Starts both endpoints in {@code dir}, creates {@code bucket} and the legacy client. */
  LegacyKmsBed(Path dir, String bucket, Map<String, String> desc) throws Exception {
    kms = LocalKmsServer.builder().dir(dir.resolve("kms")).credentials(AK, SK).build().start();
    keyId = kms.createKey();
    oss =
        LocalOssServer.builder()
            .dataDirectory(dir.resolve("oss"))
            .credentials(AK, SK)
            .build()
            .start();
    oss.createBucket(bucket);
    System.setProperty("javax.net.ssl.trustStore", kms.trustStorePath().toString());
    System.setProperty("javax.net.ssl.trustStorePassword", kms.trustStorePassword());
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    DefaultProfile.addEndpoint(REGION, "Kms", "127.0.0.1:" + kms.httpsEndpoint().getPort());

    conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    legacy =
        new OSSEncryptionClientBuilder()
            .build(
                oss.endpoint(),
                new DefaultCredentialProvider(AK, SK),
                new KmsEncryptionMaterials(REGION, keyId, desc),
                conf);
    keyService =
        AliyunKmsKeyService.builder().localEndpoint(kms.httpEndpoint()).credentials(AK, SK).build();
  }

  /**
   * Decrypts {@code raw} with SunJCE under the key and IV that the local KMS unwraps from {@code
   * meta}: the check that stored bytes are ciphertext under the stated envelope.
   */
  byte[] decryptStored(byte[] raw, Map<String, String> meta) throws Exception {
    byte[] cek =
        Base64.getDecoder()
            .decode(keyService.decrypt(meta.get("client-side-encryption-key"), Map.of()));
    byte[] iv =
        Base64.getDecoder()
            .decode(keyService.decrypt(meta.get("client-side-encryption-start"), Map.of()));
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new IvParameterSpec(iv));
    return ctr.doFinal(raw);
  }

  /** {@code n} bytes from a seeded generator. */
  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Override
  public void close() {
    legacy.shutdown();
    keyService.close();
    oss.close();
    kms.close();
  }
}
