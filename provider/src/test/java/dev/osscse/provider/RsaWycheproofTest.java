package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.osscse.provider.testing.TestVectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wycheproof RSAES-PKCS1-v1_5 and RSAES-OAEP decryption vectors.
 *
 * <p>Every {@code valid} case must decrypt (and unwrap) to {@code msg}. Every {@code invalid} case
 * must fail with exactly {@code BadPaddingException("decryption failed")} on decrypt and {@code
 * InvalidKeyException("unwrap failed")} on unwrap, with no cause: all failures of a file collapse
 * to one exception signature. {@code acceptable} cases may either decrypt to {@code msg} or fail
 * uniformly (the five files hold none today; the test counts them).
 */
class RsaWycheproofTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "rsa_pkcs1_2048_test.json, RSA/NONE/PKCS1Padding, 42, 25",
    "rsa_pkcs1_3072_test.json, RSA/NONE/PKCS1Padding, 41, 26",
    "rsa_oaep_2048_sha256_mgf1sha256_test.json, RSA/NONE/OAEPWithSHA-256AndMGF1Padding, 18, 19",
    "rsa_oaep_3072_sha256_mgf1sha256_test.json, RSA/NONE/OAEPWithSHA-256AndMGF1Padding, 18, 19",
    "rsa_oaep_2048_sha1_mgf1sha1_test.json, RSA/NONE/OAEPWithSHA-1AndMGF1Padding, 17, 19"
  })
  void decrypt_wycheproofFile_validDecryptInvalidFailUniformly(
      String file, String transformation, int expectValid, int expectInvalid) throws Exception {
    Path path = TestVectors.dir("wycheproof").resolve(file);
    JsonObject root =
        JsonParser.parseString(Files.readString(path, StandardCharsets.UTF_8)).getAsJsonObject();
    boolean oaep = transformation.contains("OAEP");
    String digest = transformation.contains("SHA-256") ? "SHA-256" : "SHA-1";
    MGF1ParameterSpec mgf1 =
        digest.equals("SHA-256") ? MGF1ParameterSpec.SHA256 : MGF1ParameterSpec.SHA1;
    Cipher cipher = Cipher.getInstance(transformation, RsaTestProvider.INSTANCE);
    KeyFactory kf = KeyFactory.getInstance("RSA");

    int valid = 0;
    int invalid = 0;
    int acceptable = 0;
    Set<String> failureSignatures = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    for (JsonElement g : root.getAsJsonArray("testGroups")) {
      JsonObject group = g.getAsJsonObject();
      if (oaep) {
        assertThat(group.get("sha").getAsString()).isEqualTo(digest);
        assertThat(group.get("mgfSha").getAsString()).isEqualTo(digest);
      }
      PrivateKey key =
          kf.generatePrivate(
              new PKCS8EncodedKeySpec(RsaTestKeys.hex(group.get("privateKeyPkcs8").getAsString())));
      JsonArray tests = group.getAsJsonArray("tests");
      for (JsonElement t : tests) {
        JsonObject test = t.getAsJsonObject();
        int id = test.get("tcId").getAsInt();
        String result = test.get("result").getAsString();
        byte[] msg = RsaTestKeys.hex(test.get("msg").getAsString());
        byte[] ct = RsaTestKeys.hex(test.get("ct").getAsString());
        OAEPParameterSpec params = null;
        if (oaep) {
          byte[] label = RsaTestKeys.hex(test.get("label").getAsString());
          params = new OAEPParameterSpec(digest, "MGF1", mgf1, new PSource.PSpecified(label));
        }

        byte[] decrypted = null;
        String decryptFailure = null;
        cipher.init(Cipher.DECRYPT_MODE, key, params);
        try {
          decrypted = cipher.doFinal(ct);
        } catch (Exception e) {
          decryptFailure = signature(e);
        }
        Key unwrapped = null;
        String unwrapFailure = null;
        cipher.init(Cipher.UNWRAP_MODE, key, params);
        try {
          unwrapped = cipher.unwrap(ct, "Generic", Cipher.SECRET_KEY);
        } catch (Exception e) {
          unwrapFailure = signature(e);
        }

        switch (result) {
          case "valid" -> {
            valid++;
            if (decrypted == null || !java.util.Arrays.equals(decrypted, msg)) {
              problems.add("tcId " + id + " valid but decrypt gave " + decryptFailure);
            }
            boolean unwrapOk =
                msg.length == 0
                    ? unwrapFailure != null
                    : unwrapped != null && java.util.Arrays.equals(unwrapped.getEncoded(), msg);
            if (!unwrapOk) {
              problems.add("tcId " + id + " valid but unwrap gave " + unwrapFailure);
            }
          }
          case "invalid" -> {
            invalid++;
            if (decryptFailure == null || unwrapFailure == null) {
              problems.add("tcId " + id + " invalid (" + test.get("comment") + ") but accepted");
            } else {
              failureSignatures.add(decryptFailure);
              failureSignatures.add(unwrapFailure);
            }
          }
          case "acceptable" -> {
            acceptable++;
            if (decrypted != null && !java.util.Arrays.equals(decrypted, msg)) {
              problems.add("tcId " + id + " acceptable but decrypted to another message");
            }
            if (decryptFailure != null) {
              failureSignatures.add(decryptFailure);
            }
          }
          default -> problems.add("tcId " + id + " has unknown result " + result);
        }
      }
    }
    assertThat(problems).as(file).isEmpty();
    assertThat(valid).as("valid cases in " + file).isEqualTo(expectValid);
    assertThat(invalid).as("invalid cases in " + file).isEqualTo(expectInvalid);
    assertThat(acceptable).as("acceptable cases in " + file).isZero();
    assertThat(failureSignatures)
        .as("every failure in " + file + " has one of exactly two signatures")
        .containsExactlyInAnyOrder(
            "javax.crypto.BadPaddingException: decryption failed (no cause)",
            "java.security.InvalidKeyException: unwrap failed (no cause)");
  }

  private static String signature(Exception e) {
    return e.getClass().getName()
        + ": "
        + e.getMessage()
        + (e.getCause() == null ? " (no cause)" : " (cause " + e.getCause().getClass() + ")");
  }
}
