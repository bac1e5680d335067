package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.testing.FakeKeyService;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.provider.KmsKeyReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KMS/ALICLOUD envelopes through the provider's KMS cipher and an in-process key service. */
class KmsEnvelopeTest {
  static final String KEY_ID = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
  @TempDir Path dir;

  @Test
  void kms_putGet_writesBlobTextAndReadsBack_FMT4_FMT6_FMT15() throws Exception {
    FakeKeyService kms = new FakeKeyService().addKey(KEY_ID);
    MasterKey mk = MasterKey.kms(KmsKeyReference.of(kms, KEY_ID), Map.of("kms", "k1"));
    byte[] plain = new byte[40_000];
    new Random(5).nextBytes(plain);
    try (LocalOssFixture oss = new LocalOssFixture(dir)) {
      OssCseClient cse = OssCseClient.builder(oss.client()).encryptWith(mk).build();
      cse.putObject(LocalOssFixture.BUCKET, "k", plain, null);
      Map<String, String> user =
          oss.client().getObjectMetadata(LocalOssFixture.BUCKET, "k").getUserMetadata();
      assertThat(user.get(MetadataKeys.WRAP_ALG)).isEqualTo("KMS/ALICLOUD");
      String blob = user.get(MetadataKeys.KEY);
      String inner = new String(Base64.getDecoder().decode(blob), StandardCharsets.US_ASCII);
      assertThat(inner).startsWith(KEY_ID);
      try (UnauthenticatedObjectStream in = cse.getObject(LocalOssFixture.BUCKET, "k")) {
        assertThat(in.readAllBytes()).isEqualTo(plain);
      }
      try (UnauthenticatedObjectStream in =
          cse.getObject(LocalOssFixture.BUCKET, "k", ByteRange.of(12345, 23456))) {
        assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, 12345, 23457));
      }
      // A different key service cannot unwrap: the one uniform failure.
      FakeKeyService other = new FakeKeyService().addKey(KEY_ID);
      OssCseClient stranger =
          OssCseClient.builder(oss.client())
              .encryptWith(MasterKey.kms(KmsKeyReference.of(other, KEY_ID), Map.of("kms", "k1")))
              .build();
      assertThatThrownBy(() -> stranger.getObject(LocalOssFixture.BUCKET, "k"))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessage(EnvelopeCrypto.UNWRAP_FAILED);
    }
  }

  @Test
  void kms_doubleBase64EnvelopeBuiltHereInOss2Shape_isRead_FMT15() throws Exception {
    FakeKeyService kms = new FakeKeyService().addKey(KEY_ID);
    MasterKey mk = MasterKey.kms(KmsKeyReference.of(kms, KEY_ID), Map.of());
    EnvelopeCrypto crypto =
        new EnvelopeCrypto(
            dev.osscse.provider.OssCseProviders.provider(), new java.security.SecureRandom());
    EnvelopeCrypto.Sealed s = crypto.seal(mk);
    Envelope e = s.envelope().build();
    Map<String, String> m = new java.util.HashMap<>(EnvelopeCodec.toUserMetadata(e));
    // oss2 AliKMSProvider stores base64 of the blob text.
    for (String f : new String[] {MetadataKeys.KEY, MetadataKeys.START}) {
      m.put(f, Base64.getEncoder().encodeToString(m.get(f).getBytes(StandardCharsets.US_ASCII)));
    }
    Envelope doubled = EnvelopeCodec.fromUserMetadata(m).orElseThrow();
    ContentKey ck = crypto.open(doubled, MasterKeyRing.of(mk));
    byte[] probe = new byte[32];
    assertThat(ck.newCipher(javax.crypto.Cipher.ENCRYPT_MODE, 0).doFinal(probe))
        .isEqualTo(s.contentKey().newCipher(javax.crypto.Cipher.ENCRYPT_MODE, 0).doFinal(probe));
  }
}
