package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.model.ObjectMetadata;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.osscse.keys.PemKeys;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.testing.LocalOssFixture;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Objects written by the C++, Go and Python SDKs ({@code test-vectors/oss-sdk}), stored into the
 * local endpoint with their headers, read back through the binding.
 */
class SdkVectorsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"cpp-rsa", "go-rsa", "python-rsa"})
  void vector_storedWithItsHeaders_decryptsToPlaintextWholeAndRanged(String name) throws Exception {
    Path v = EnvelopeCodecTest.vectors();
    byte[] plain = Files.readAllBytes(v.resolve("plaintext.jpg"));
    byte[] cipher = Files.readAllBytes(v.resolve(name + ".bin"));
    JsonObject headers =
        JsonParser.parseString(Files.readString(v.resolve(name + ".headers.json")))
            .getAsJsonObject();
    RSAPrivateKey priv =
        PemKeys.readPrivateKey(Files.readString(v.resolve("rsa-1024-private-pkcs1.pem")));
    try (LocalOssFixture oss = new LocalOssFixture(dir)) {
      ObjectMetadata md = new ObjectMetadata();
      headers
          .entrySet()
          .forEach(
              e ->
                  md.addUserMetadata(
                      e.getKey().substring(MetadataKeys.USER_META_PREFIX.length()),
                      e.getValue().getAsString()));
      oss.client().putObject(LocalOssFixture.BUCKET, name, new ByteArrayInputStream(cipher), md);
      OssCseClient cse =
          OssCseClient.builder(oss.client())
              .decryptWith(MasterKeyRing.of(MasterKey.rsa(null, priv, Map.of())))
              .build();
      try (UnauthenticatedObjectStream in = cse.getObject(LocalOssFixture.BUCKET, name)) {
        assertThat(in.readAllBytes()).isEqualTo(plain);
      }
      int n = plain.length;
      for (ByteRange r :
          new ByteRange[] {
            ByteRange.of(0, 0), ByteRange.of(17, 50), ByteRange.of(1000, 1000 + 4095),
            ByteRange.from(n - 33), ByteRange.suffix(100), ByteRange.of(n - 1, n - 1)
          }) {
        long a = r.isSuffix() ? n - r.suffixLength() : r.first();
        long b = r.isSuffix() || r.isOpenEnded() ? n - 1 : r.last();
        try (UnauthenticatedObjectStream in = cse.getObject(LocalOssFixture.BUCKET, name, r)) {
          assertThat(in.readAllBytes())
              .as("%s %s", name, r)
              .isEqualTo(Arrays.copyOfRange(plain, (int) a, (int) b + 1));
        }
      }
    }
  }

  @Test
  void vectorKey_isTheSharedKey() throws Exception {
    Path v = EnvelopeCodecTest.vectors();
    RSAPrivateKey priv =
        PemKeys.readPrivateKey(Files.readString(v.resolve("rsa-1024-private-pkcs1.pem")));
    assertThat(priv.getModulus().toString(16)).startsWith("a891f8805575dfe4");
  }
}
