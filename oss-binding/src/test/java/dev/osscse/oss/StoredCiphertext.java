package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.oss.internal.MetadataKeys;
import java.io.InputStream;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The check that must pass before an official reader's result counts as interop: an official {@code
 * OSSEncryptionClient} returns an object without envelope headers unchanged, so "it reads what we
 * write" alone would pass if we stored plaintext.
 */
final class StoredCiphertext {
  private StoredCiphertext() {}

  /**
   * The stored bytes of {@code key}, fetched raw by {@code raw} (a plain client), are ciphertext
   * under the envelope stored with them: the same length as {@code plain} but not equal to it
   * (checked from 16 bytes on; shorter ones may collide by chance), and AES-CTR with the key and IV
   * unwrapped from the stored headers by SunJCE with {@code privateKey}, independent of this
   * library, gives {@code plain}.
   */
  static void assertStoredAsCiphertext(
      OSS raw, String bucket, String key, PrivateKey privateKey, byte[] plain) throws Exception {
    byte[] stored;
    Map<String, String> meta;
    try (OSSObject o = raw.getObject(bucket, key);
        InputStream in = o.getObjectContent()) {
      stored = in.readAllBytes();
      meta = o.getObjectMetadata().getUserMetadata();
    }
    assertThat(meta.get(MetadataKeys.CEK_ALG)).as("%s cek-alg", key).isEqualTo("AES/CTR/NoPadding");
    String wrap = meta.get(MetadataKeys.WRAP_ALG);
    String jce =
        switch (wrap) {
          case "RSA/NONE/PKCS1Padding" -> "RSA/ECB/PKCS1Padding";
          case "RSA/NONE/OAEPWithSHA-1AndMGF1Padding" -> "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
          default -> throw new AssertionError(key + ": unexpected wrap-alg " + wrap);
        };
    Cipher rsa = Cipher.getInstance(jce, "SunJCE");
    rsa.init(Cipher.DECRYPT_MODE, privateKey);
    byte[] cek = rsa.doFinal(Base64.getDecoder().decode(meta.get(MetadataKeys.KEY)));
    byte[] iv = rsa.doFinal(Base64.getDecoder().decode(meta.get(MetadataKeys.START)));
    assertThat(stored).as("%s stored length", key).hasSameSizeAs(plain);
    if (plain.length >= 16) {
      assertThat(stored).as("%s stored bytes are not the plaintext", key).isNotEqualTo(plain);
    }
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new IvParameterSpec(iv));
    assertThat(ctr.doFinal(stored)).as("%s decrypted under its envelope", key).isEqualTo(plain);
  }
}
