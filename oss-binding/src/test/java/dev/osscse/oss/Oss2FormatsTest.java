package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python oss2 forms that only readers must support: OAEP-SHA-1 envelopes (LocalRsaProvider) and the
 * deprecated {@code oss-crypto-*} family (docs/format.md FMT-16). Objects are built here with
 * SunJCE as the independent second implementation and stored through the plain client.
 */
class Oss2FormatsTest {
  @TempDir Path dir;

  static byte[] oaep(KeyPair kp, byte[] data) throws Exception {
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
    c.init(Cipher.ENCRYPT_MODE, kp.getPublic());
    return c.doFinal(data);
  }

  static byte[] ctr(byte[] key, byte[] iv, byte[] data) throws Exception {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    return c.doFinal(data);
  }

  @Test
  void oaepEnvelope_fromLocalRsaProvider_isRead_FMT13() throws Exception {
    KeyPair kp = TestKeys.rsa();
    Random r = new Random(1);
    byte[] key = new byte[32];
    byte[] iv = new byte[16];
    r.nextBytes(key);
    r.nextBytes(iv);
    byte[] plain = new byte[5000];
    r.nextBytes(plain);
    ObjectMetadata md = new ObjectMetadata();
    md.addUserMetadata(MetadataKeys.KEY, Base64.getEncoder().encodeToString(oaep(kp, key)));
    md.addUserMetadata(MetadataKeys.START, Base64.getEncoder().encodeToString(oaep(kp, iv)));
    md.addUserMetadata(MetadataKeys.CEK_ALG, "AES/CTR/NoPadding");
    md.addUserMetadata(MetadataKeys.WRAP_ALG, "RSA/NONE/OAEPWithSHA-1AndMGF1Padding");
    md.addUserMetadata(MetadataKeys.MATDESC, "{\"a\": \"b\"}");
    try (LocalOssFixture oss = new LocalOssFixture(dir)) {
      oss.client()
          .putObject(
              LocalOssFixture.BUCKET, "oaep", new ByteArrayInputStream(ctr(key, iv, plain)), md);
      OssCseClient cse =
          OssCseClient.builder(oss.client())
              .decryptWith(MasterKeyRing.of(MasterKey.rsa(kp, Map.of("a", "b"))))
              .build();
      try (UnauthenticatedObjectStream in =
          cse.getObject(LocalOssFixture.BUCKET, "oaep", ByteRange.of(33, 4000))) {
        assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, 33, 4001));
      }
    }
  }

  @Test
  void deprecatedOss2Rsa_decimalCounter_isRead_FMT16() throws Exception {
    KeyPair kp = TestKeys.rsa();
    byte[] key = new byte[32];
    new Random(2).nextBytes(key);
    byte[] plain = new byte[1 << 16];
    Arrays.fill(plain, (byte) 'a');
    byte[] counter = new byte[16];
    counter[15] = 8; // start "8": the whole initial counter block is 0...08
    ObjectMetadata md = new ObjectMetadata();
    md.addUserMetadata(MetadataKeys.LEGACY_KEY, Base64.getEncoder().encodeToString(oaep(kp, key)));
    md.addUserMetadata(
        MetadataKeys.LEGACY_START,
        Base64.getEncoder().encodeToString(oaep(kp, "8".getBytes(StandardCharsets.US_ASCII))));
    md.addUserMetadata(MetadataKeys.LEGACY_CEK_ALG, "AES/GCM/NoPadding");
    md.addUserMetadata(MetadataKeys.LEGACY_WRAP_ALG, "rsa");
    md.addUserMetadata(MetadataKeys.LEGACY_UNENCRYPTED_CONTENT_LENGTH, "65536");
    try (LocalOssFixture oss = new LocalOssFixture(dir)) {
      oss.client()
          .putObject(
              LocalOssFixture.BUCKET,
              "old",
              new ByteArrayInputStream(ctr(key, counter, plain)),
              md);
      OssCseClient cse =
          OssCseClient.builder(oss.client())
              .decryptWith(MasterKeyRing.of(MasterKey.rsa(kp, Map.of())))
              .build();
      try (UnauthenticatedObjectStream in = cse.getObject(LocalOssFixture.BUCKET, "old")) {
        assertThat(in.envelope().orElseThrow().format()).isEqualTo(Envelope.Format.OSS2_DEPRECATED);
        assertThat(in.readAllBytes()).isEqualTo(plain);
      }
      try (UnauthenticatedObjectStream in =
          cse.getObject(LocalOssFixture.BUCKET, "old", ByteRange.suffix(17))) {
        assertThat(in.readAllBytes())
            .isEqualTo(Arrays.copyOfRange(plain, plain.length - 17, plain.length));
      }
    }
  }
}
