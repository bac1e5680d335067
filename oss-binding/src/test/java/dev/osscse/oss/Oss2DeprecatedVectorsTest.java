package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.ObjectMetadata;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.osscse.keys.PemKeys;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.provider.DataKey;
import dev.osscse.provider.KeyService;
import dev.osscse.provider.KeyServiceException;
import dev.osscse.provider.KmsKeyReference;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects written by the Python SDK oss2 in its deprecated {@code oss-crypto-*} format
 * (docs/format.md FMT-16), taken from oss2's own tests ({@code
 * test-vectors/oss-sdk/python-deprecated-*}): 1 MiB of {@code 'a'}, stored with the headers oss2
 * wrote, read back through the binding whole and ranged.
 *
 * <p>The RSA object is unwrapped with the shared SDK test key. The KMS object's key was wrapped by
 * Alibaba Cloud KMS, which is not reachable here: its two Decrypt answers (the data key and the
 * counter text) are recorded beside the vector, as oss2's own test patches them in. So the KMS case
 * proves that oss2's real headers (double-base64 blobs, decimal counter, {@code kms} wrap) and body
 * are read correctly; it does not exercise a KMS service.
 */
class Oss2DeprecatedVectorsTest {
  private static final String KMS_KEY_ID = "5b819435-90e1-45fe-a775-43078c83d0c5";
  @TempDir Path dir;

  private static byte[] expectedPlaintext() {
    byte[] plain = new byte[1024 * 1024];
    Arrays.fill(plain, (byte) 'a');
    return plain;
  }

  private static JsonObject meta(String name) throws Exception {
    Path v = EnvelopeCodecTest.vectors();
    return JsonParser.parseString(Files.readString(v.resolve(name + ".meta.json")))
        .getAsJsonObject();
  }

  private void readBack(String name, MasterKey key) throws Exception {
    Path v = EnvelopeCodecTest.vectors();
    byte[] cipher = Files.readAllBytes(v.resolve(name + ".bin"));
    byte[] plain = expectedPlaintext();
    assertThat(cipher).hasSameSizeAs(plain).isNotEqualTo(plain);
    ObjectMetadata md = new ObjectMetadata();
    meta(name).entrySet().stream()
        .filter(e -> e.getKey().startsWith(MetadataKeys.USER_META_PREFIX))
        .forEach(
            e ->
                md.addUserMetadata(
                    e.getKey().substring(MetadataKeys.USER_META_PREFIX.length()),
                    e.getValue().getAsString()));
    try (LocalOssFixture oss = new LocalOssFixture(Files.createDirectories(dir.resolve(name)))) {
      oss.client().putObject(LocalOssFixture.BUCKET, name, new ByteArrayInputStream(cipher), md);
      OssCseClient cse =
          OssCseClient.builder(oss.client()).decryptWith(MasterKeyRing.of(key)).build();
      try (UnauthenticatedObjectStream in = cse.getObject(LocalOssFixture.BUCKET, name)) {
        assertThat(in.envelope().orElseThrow().format()).isEqualTo(Envelope.Format.OSS2_DEPRECATED);
        assertThat(in.readAllBytes()).as(name).isEqualTo(plain);
      }
      for (ByteRange r :
          new ByteRange[] {
            ByteRange.of(0, 0), ByteRange.of(12_345, 99_999), ByteRange.suffix(17)
          }) {
        long a = r.isSuffix() ? plain.length - r.suffixLength() : r.first();
        long b = r.isSuffix() ? plain.length - 1 : r.last();
        try (UnauthenticatedObjectStream in = cse.getObject(LocalOssFixture.BUCKET, name, r)) {
          assertThat(in.readAllBytes())
              .as("%s %s", name, r)
              .isEqualTo(Arrays.copyOfRange(plain, (int) a, (int) b + 1));
        }
      }
    }
  }

  @Test
  void oss2DeprecatedRsaObject_readWholeAndRanged_FMT16() throws Exception {
    RSAPrivateKey priv =
        PemKeys.readPrivateKey(
            Files.readString(EnvelopeCodecTest.vectors().resolve("rsa-1024-private-pkcs1.pem")));
    readBack("python-deprecated-rsa", MasterKey.rsa(null, priv, Map.of()));
  }

  @Test
  void oss2DeprecatedKmsObject_withRecordedKmsAnswers_readWholeAndRanged_FMT16() throws Exception {
    JsonObject m = meta("python-deprecated-kms");
    RecordedKmsAnswers kms =
        new RecordedKmsAnswers(
            Map.of(
                m.get("x-oss-meta-oss-crypto-key").getAsString(),
                m.get("base64-plain-key").getAsString(),
                m.get("x-oss-meta-oss-crypto-start").getAsString(),
                m.get("plain-start").getAsString()));
    readBack("python-deprecated-kms", MasterKey.kms(KmsKeyReference.of(kms, KMS_KEY_ID), Map.of()));
    assertThat(kms.answered).isPositive();
  }

  /**
   * Answers KMS Decrypt for the vector's two blobs with the plaintexts recorded with it (the blob
   * may arrive as the header value or as its base64-decoded text); refuses everything else.
   */
  static final class RecordedKmsAnswers implements KeyService {
    private final Map<String, String> answers;
    int answered;

    RecordedKmsAnswers(Map<String, String> byHeaderValue) {
      this.answers = byHeaderValue;
    }

    @Override
    public synchronized String decrypt(String ciphertextBlob, Map<String, String> context)
        throws KeyServiceException {
      for (Map.Entry<String, String> a : answers.entrySet()) {
        String text = new String(Base64.getDecoder().decode(a.getKey()), StandardCharsets.US_ASCII);
        if (ciphertextBlob.equals(a.getKey()) || ciphertextBlob.equals(text)) {
          answered++;
          return a.getValue();
        }
      }
      throw refused();
    }

    /** Real KMS reports the key that decrypted the blob; the vector's blobs name this key. */
    @Override
    public Decryption decryptWithKeyId(String ciphertextBlob, Map<String, String> context)
        throws KeyServiceException {
      return new Decryption(decrypt(ciphertextBlob, context), KMS_KEY_ID);
    }

    @Override
    public String encrypt(String keyId, String plaintextBase64, Map<String, String> context)
        throws KeyServiceException {
      throw refused();
    }

    @Override
    public DataKey generateDataKey(String keyId, int numberOfBytes, Map<String, String> context)
        throws KeyServiceException {
      throw refused();
    }

    private static KeyServiceException refused() {
      return new KeyServiceException(
          KeyServiceException.Kind.REJECTED, "NotRecorded", null, "no recorded answer", null);
    }
  }
}
