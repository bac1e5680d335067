package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import org.junit.jupiter.api.Test;

class KmsProviderRegistrationTest {
  @Test
  void ossCseProvider_servesKmsCipherAndKeyGenerator() throws Exception {
    OssCseProvider provider = new OssCseProvider();
    InMemoryKeyService kms = new InMemoryKeyService();
    KmsKeyReference ref = KmsKeyReference.of(kms, "alias/test");
    KeyGenerator g = KeyGenerator.getInstance("KMS/ALICLOUD", provider);
    g.init(new KmsKeyGenParameterSpec(ref));
    KmsDataKey dk = (KmsDataKey) g.generateKey();
    Cipher wrap = Cipher.getInstance("KMS/ALICLOUD/NoPadding", provider);
    wrap.init(Cipher.WRAP_MODE, ref);
    byte[] wrapped = wrap.wrap(dk);
    assertThat(new String(wrapped, StandardCharsets.US_ASCII)).isEqualTo(dk.getWrappedKey());
    Cipher unwrap = Cipher.getInstance("KMS/ALICLOUD/NoPadding", provider);
    unwrap.init(Cipher.UNWRAP_MODE, ref);
    assertThat(unwrap.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded())
        .isEqualTo(dk.getEncoded());
    assertThat(wrap.getProvider().getName()).isEqualTo(OssCseProvider.NAME);
  }
}
