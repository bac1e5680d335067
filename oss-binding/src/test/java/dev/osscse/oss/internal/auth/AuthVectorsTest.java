package dev.osscse.oss.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.osscse.provider.testing.TestVectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The vectors of {@code test-vectors/authenticated/vectors.json} (made by {@code generate.py} with
 * Python's {@code cryptography}, not with this code): FMT-27 key derivation, FMT-28 chunk tags
 * through the tagging stream, FMT-29 record bytes and root, and verification of each case.
 */
class AuthVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JsonObject vectors() throws Exception {
    return JsonParser.parseString(
            Files.readString(TestVectors.dir("authenticated").resolve("vectors.json")))
        .getAsJsonObject();
  }

  private static byte[] hex(JsonObject o, String name) {
    return HEX.parseHex(o.get(name).getAsString());
  }

  static byte[] ciphertext(byte[] cek, byte[] iv, int length) throws Exception {
    byte[] p = new byte[length];
    for (int i = 0; i < length; i++) {
      p[i] = (byte) (31 * i + 7);
    }
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new IvParameterSpec(iv));
    return c.doFinal(p);
  }

  @Test
  void fmt27_hkdfKeys_matchVectors() throws Exception {
    JsonObject v = vectors();
    byte[] cek = hex(v, "cek");
    byte[] iv = hex(v, "iv");
    assertThat(Hkdf.derive(cek, iv, AuthKeys.CHUNK_INFO.getBytes(StandardCharsets.US_ASCII), 32))
        .isEqualTo(hex(v, "kChunk"));
    assertThat(Hkdf.derive(cek, iv, AuthKeys.ROOT_INFO.getBytes(StandardCharsets.US_ASCII), 32))
        .isEqualTo(hex(v, "kRoot"));
  }

  @Test
  void fmt28_fmt29_tagsRecordAndRoot_matchVectors() throws Exception {
    JsonObject v = vectors();
    AuthKeys keys = AuthKeys.derive(hex(v, "cek"), hex(v, "iv"));
    int checked = 0;
    for (JsonElement e : v.getAsJsonArray("cases")) {
      JsonObject c = e.getAsJsonObject();
      int length = c.get("length").getAsInt();
      byte[] ct = ciphertext(hex(v, "cek"), hex(v, "iv"), length);
      assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(ct)))
          .isEqualTo(c.get("ciphertextSha256").getAsString());

      TagTable table = new TagTable();
      try (TaggingInputStream t =
          new TaggingInputStream(
              new ByteArrayInputStream(ct), 0, length, keys.newChunkMac(), table)) {
        t.transferTo(new ByteArrayOutputStream());
      }
      AuthRecord r = table.record(length, c.get("epochMillis").getAsLong());
      var tags = c.getAsJsonArray("tags");
      assertThat(r.chunkCount()).isEqualTo(tags.size());
      for (int i = 0; i < tags.size(); i++) {
        assertThat(HEX.formatHex(r.tag(i))).isEqualTo(tags.get(i).getAsString());
      }
      String bucket = c.get("bucket").getAsString();
      String key = c.get("key").getAsString();
      byte[] record = r.encode(keys, bucket, key);
      assertThat(HEX.formatHex(record)).isEqualTo(c.get("record").getAsString());
      assertThat(AuthRecord.companionKey(key)).isEqualTo(c.get("companionKey").getAsString());

      AuthRecord back = AuthRecord.decode(record, keys, bucket, key);
      assertThat(back.length()).isEqualTo(length);
      assertThat(back.epochMillis()).isEqualTo(c.get("epochMillis").getAsLong());
      try (VerifyingInputStream in =
          new VerifyingInputStream(
              new ByteArrayInputStream(ct), 0, length, back, keys.newChunkMac())) {
        assertThat(in.readAllBytes()).isEqualTo(ct);
      }
      assertThatThrownBy(() -> AuthRecord.decode(record, keys, bucket, key + "x"))
          .isInstanceOf(AEADBadTagException.class)
          .hasMessage("authentication record does not verify");
      checked++;
    }
    assertThat(checked).isEqualTo(4);
  }
}
