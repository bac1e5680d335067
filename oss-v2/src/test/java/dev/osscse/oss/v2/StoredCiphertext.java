package dev.osscse.oss.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import java.io.InputStream;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The precondition of every interop read: the stored bytes are ciphertext under the envelope stored
 * with them. An official reader returns an object without envelope headers unchanged, so "it reads
 * what we wrote" alone would pass if plaintext were stored. The bytes are fetched raw with a plain
 * V2 client and decrypted with SunJCE, independent of this library: the content key and IV are
 * unwrapped with the RSA private key (SunJCE) or by the KMS service itself.
 */
final class StoredCiphertext {
  private StoredCiphertext() {}

  /** Unwraps one wrapped value of the envelope (base64 in, raw bytes out). */
  interface Unwrap {
    byte[] unwrap(String wrapAlg, String base64) throws Exception;
  }

  /** RSA unwrap with SunJCE. */
  static Unwrap rsa(PrivateKey key) {
    return (wrapAlg, base64) -> {
      String jce =
          switch (wrapAlg) {
            case "RSA/NONE/PKCS1Padding" -> "RSA/ECB/PKCS1Padding";
            case "RSA/NONE/OAEPWithSHA-1AndMGF1Padding" -> "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
            default -> throw new AssertionError("unexpected wrap-alg " + wrapAlg);
          };
      Cipher rsa = Cipher.getInstance(jce, "SunJCE");
      rsa.init(Cipher.DECRYPT_MODE, key);
      return rsa.doFinal(Base64.getDecoder().decode(base64));
    };
  }

  /** KMS unwrap: the KMS Decrypt of the blob, whose plaintext is the base64 of the value. */
  static Unwrap kms(AliyunKmsKeyService keys) {
    return (wrapAlg, blob) -> {
      assertThat(wrapAlg).isEqualTo("KMS/ALICLOUD");
      return Base64.getDecoder().decode(keys.decrypt(blob, Map.of()));
    };
  }

  /**
   * {@code key}'s stored bytes, read raw by {@code raw}, are ciphertext: the same length as {@code
   * plain}, not equal to it (from 16 bytes on; shorter ones may collide by chance), and AES-CTR
   * with the unwrapped key and IV gives {@code plain}.
   */
  static void assertStoredAsCiphertext(
      OSSClient raw, String bucket, String key, Unwrap unwrap, byte[] plain) throws Exception {
    byte[] stored;
    Map<String, String> meta = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    try (GetObjectResult r =
            raw.getObject(GetObjectRequest.newBuilder().bucket(bucket).key(key).build());
        InputStream in = r.body()) {
      stored = in.readAllBytes();
      meta.putAll(r.metadata());
    }
    assertThat(meta.get("client-side-encryption-cek-alg"))
        .as("%s cek-alg", key)
        .isEqualTo("AES/CTR/NoPadding");
    String wrap = meta.get("client-side-encryption-wrap-alg");
    byte[] cek = unwrap.unwrap(wrap, meta.get("client-side-encryption-key"));
    byte[] iv = unwrap.unwrap(wrap, meta.get("client-side-encryption-start"));
    assertThat(stored).as("%s stored length", key).hasSameSizeAs(plain);
    if (plain.length >= 16) {
      assertThat(stored).as("%s stored bytes are not the plaintext", key).isNotEqualTo(plain);
    }
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new IvParameterSpec(iv));
    assertThat(ctr.doFinal(stored)).as("%s decrypted under its envelope", key).isEqualTo(plain);
  }
}
