package dev.osscse.aliyun.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osscse.provider.KmsDataKey;
import dev.osscse.provider.KmsKeyGenParameterSpec;
import dev.osscse.provider.KmsKeyReference;
import dev.osscse.provider.OssCseProvider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against real Alibaba Cloud KMS. Runs only when {@code OSSCSE_IT_KMS_KEY_ID}, {@code
 * OSSCSE_IT_KMS_REGION} and credentials ({@code OSS_ACCESS_KEY_ID}/{@code OSS_ACCESS_KEY_SECRET} or
 * {@code ALIBABA_CLOUD_ACCESS_KEY_ID}/{@code ALIBABA_CLOUD_ACCESS_KEY_SECRET}) are set; otherwise
 * every test is skipped with a message.
 */
class AliyunKmsLiveTest {
  private String keyId;
  private String region;

  @BeforeEach
  void requireEnvironment() {
    keyId = System.getenv("OSSCSE_IT_KMS_KEY_ID");
    region = System.getenv("OSSCSE_IT_KMS_REGION");
    boolean creds =
        (System.getenv("OSS_ACCESS_KEY_ID") != null
                && System.getenv("OSS_ACCESS_KEY_SECRET") != null)
            || (System.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID") != null
                && System.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET") != null);
    if (keyId == null || region == null || !creds) {
      Assumptions.abort(
          "real Alibaba Cloud KMS test skipped: set OSSCSE_IT_KMS_KEY_ID, OSSCSE_IT_KMS_REGION and"
              + " OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET (or ALIBABA_CLOUD_*) to run it");
    }
  }

  @Test
  void realKms_describeEncryptDecryptGenerate_work() throws Exception {
    try (AliyunKmsKeyService s = AliyunKmsKeyService.builder().region(region).build()) {
      assertThat(s.usesHttps()).isTrue();
      assertThat(s.describeKeyState(keyId)).isEqualTo("Enabled");
      String pt = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
      String blob = s.encrypt(keyId, pt, Map.of());
      assertThat(s.decrypt(blob, Map.of())).isEqualTo(pt);
    }
  }

  @Test
  void realKms_cipherWrapUnwrapAndKeyGenerator_work() throws Exception {
    try (AliyunKmsKeyService s = AliyunKmsKeyService.builder().region(region).build()) {
      OssCseProvider provider = new OssCseProvider();
      KmsKeyReference ref = KmsKeyReference.of(s, keyId);
      byte[] cek = new byte[32];
      cek[0] = 42;
      Cipher w = Cipher.getInstance("KMS/ALICLOUD/NoPadding", provider);
      w.init(Cipher.WRAP_MODE, ref);
      byte[] wrapped = w.wrap(new SecretKeySpec(cek, "AES"));
      Cipher u = Cipher.getInstance("KMS/ALICLOUD/NoPadding", provider);
      u.init(Cipher.UNWRAP_MODE, KmsKeyReference.of(s, keyId));
      assertThat(u.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded()).isEqualTo(cek);
      KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", provider);
      g.init(new KmsKeyGenParameterSpec(ref));
      KmsDataKey dk = (KmsDataKey) g.generateKey();
      u.init(Cipher.UNWRAP_MODE, KmsKeyReference.of(s, keyId));
      assertThat(
              u.unwrap(dk.getWrappedKey().getBytes(StandardCharsets.US_ASCII), "AES", 3)
                  .getEncoded())
          .isEqualTo(dk.getEncoded());
    }
  }
}
