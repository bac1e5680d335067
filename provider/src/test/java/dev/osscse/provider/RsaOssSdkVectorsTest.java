package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.osscse.keys.PemKeys;
import dev.osscse.provider.testing.TestVectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Objects written by the official C++, Go and Python SDKs ({@code test-vectors/oss-sdk}): unwrap
 * the CEK and the IV with {@code RSA/NONE/PKCS1Padding}, then decrypt the body with {@code
 * AES/CTR/NoPadding}, all from this provider alone, and compare with the plaintext.
 */
class RsaOssSdkVectorsTest {
  private static final String PLAINTEXT_SHA256 =
      "a2be45fe15e5b84f542a139d0f20bbc57c12ae7dc9e71e9629d85c88a06656a5";
  private static final OssCseProvider PROVIDER = new OssCseProvider();

  private static Path vectors() {
    return TestVectors.dir("oss-sdk");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "cpp-rsa, 3e76c9c13d019b8e0356156a1dd4b285ee682c04659f058324e45d89f79708de,"
        + " 8c3207b09a9bfa6600000000ac1992b4",
    "go-rsa, 9ac3ce2ecd271fc9c88f080d05ec40ffa6e4a4d064dd86a5e55a1594a778c878,"
        + " 5649ca0d16946d8100000000e649d194",
    "python-rsa, 599c80c52670912ead1752b0f077a2c4fb52216e37ff1a18fe4fde98ece10b7b,"
        + " 10706cb7468cd52e000000008771048a"
  })
  void sdkObject_unwrapAndDecrypt_givesPlaintext(String name, String cekHex, String ivHex)
      throws Exception {
    Path dir = vectors();
    RSAPrivateKey priv = PemKeys.readPrivateKey(dir.resolve("rsa-1024-private-pkcs1.pem"));
    JsonObject headers =
        JsonParser.parseString(
                Files.readString(dir.resolve(name + ".headers.json"), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertThat(headers.get("x-oss-meta-client-side-encryption-wrap-alg").getAsString())
        .isEqualTo("RSA/NONE/PKCS1Padding");
    assertThat(headers.get("x-oss-meta-client-side-encryption-cek-alg").getAsString())
        .isEqualTo("AES/CTR/NoPadding");
    byte[] wrappedKey =
        Base64.getDecoder()
            .decode(headers.get("x-oss-meta-client-side-encryption-key").getAsString());
    byte[] wrappedIv =
        Base64.getDecoder()
            .decode(headers.get("x-oss-meta-client-side-encryption-start").getAsString());

    Cipher rsa = Cipher.getInstance("RSA/NONE/PKCS1Padding", PROVIDER);
    assertThat(rsa.getProvider()).isSameAs(PROVIDER);
    rsa.init(Cipher.UNWRAP_MODE, priv);
    Key cek = rsa.unwrap(wrappedKey, "AES", Cipher.SECRET_KEY);
    rsa.init(Cipher.DECRYPT_MODE, priv);
    byte[] iv = rsa.doFinal(wrappedIv);
    assertThat(HexFormat.of().formatHex(cek.getEncoded())).isEqualTo(cekHex);
    assertThat(HexFormat.of().formatHex(iv)).isEqualTo(ivHex);

    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", PROVIDER);
    assertThat(ctr.getProvider()).isSameAs(PROVIDER);
    ctr.init(Cipher.DECRYPT_MODE, cek, new IvParameterSpec(iv));
    byte[] plain = ctr.doFinal(Files.readAllBytes(dir.resolve(name + ".bin")));
    assertThat(plain).hasSize(21839);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain)))
        .isEqualTo(PLAINTEXT_SHA256);
    assertThat(plain).isEqualTo(Files.readAllBytes(dir.resolve("plaintext.jpg")));
  }

  @Test
  void sdkKeyPair_wrapWith1024BitKey_needsExplicitPolicyAndIsReadBack() throws Exception {
    Path dir = vectors();
    RSAPublicKey pub = PemKeys.readPublicKey(dir.resolve("rsa-1024-public-pkcs1.pem"));
    RSAPrivateKey priv = PemKeys.readPrivateKey(dir.resolve("rsa-1024-private-pkcs1.pem"));
    assertThat(PemKeys.publicKeyOf(priv)).isEqualTo(pub);
    Cipher rsa = Cipher.getInstance("RSA/NONE/PKCS1Padding", PROVIDER);
    rsa.init(Cipher.ENCRYPT_MODE, pub, RsaWrapParameterSpec.insecureMinimumWriteModulusBits(1024));
    byte[] iv = HexFormat.of().parseHex("8c3207b09a9bfa6600000000ac1992b4");
    byte[] wrapped = rsa.doFinal(iv);
    assertThat(wrapped).hasSize(128);
    rsa.init(Cipher.DECRYPT_MODE, priv);
    assertThat(rsa.doFinal(wrapped)).isEqualTo(iv);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "RSA/NONE/PKCS1Padding",
        "RSA/ECB/PKCS1Padding",
        "rsa/none/pkcs1padding",
        "RSA/NONE/OAEPWithSHA-256AndMGF1Padding",
        "RSA/NONE/OAEPWithSHA-1AndMGF1Padding",
        "RSA/ECB/OAEPWithSHA-1AndMGF1Padding"
      })
  void provider_rsaTransformation_isOurs(String transformation) throws Exception {
    Cipher c = Cipher.getInstance(transformation, PROVIDER);
    assertThat(c.getProvider()).isSameAs(PROVIDER);
    // Only this provider's RSA ciphers refuse to write with a 1024-bit key.
    RSAPublicKey pub = PemKeys.readPublicKey(vectors().resolve("rsa-1024-public-pkcs1.pem"));
    assertThatThrownBy(() -> c.init(Cipher.ENCRYPT_MODE, pub))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageStartingWith("RSA modulus of 1024 bits is below the 2048-bit minimum");
  }

  @Test
  void provider_ecbOaepSha256_isNotRegistered() {
    // SunJCE's RSA/ECB/OAEPWithSHA-256AndMGF1Padding uses MGF1 with SHA-1; ours would differ.
    assertThat(PROVIDER.getService("Cipher", "RSA/ECB/OAEPWithSHA-256AndMGF1Padding")).isNull();
  }
}
