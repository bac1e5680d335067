package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.utils.CRC64;
import dev.osscse.oss.aliyun.AliyunObjectStore;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.spi.ListPartsReader;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planted-upload attack on resume, over HTTP with the real SDK client: an attacker holding only
 * the victim's RSA public key initiates an upload under a content key it knows and gets the victim
 * to resume it. Resume must refuse, and nothing of the victim's file may reach the server under the
 * attacker's key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedUploadTest {
  static final int PART = 128 * 1024;

  @TempDir static Path dir;
  LocalOssBed bed;
  OssCseClient victim;
  OssCseClient attacker;

  @BeforeAll
  void start() throws Exception {
    bed = new LocalOssBed(Files.createDirectories(dir.resolve("oss")));
    victim = bed.client();
    // Only the public half of the victim's master key: what anyone who can read the victim's
    // objects' matdesc, or its published key, has.
    attacker =
        OssCseClient.builder(bed.oss)
            .encryptWith(
                MasterKey.rsa(LocalOssBed.oldPair().getPublic(), null, LocalOssBed.OLD_DESC))
            .build();
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  Path file(String name, byte[] content) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  MultipartUploader victimUploader() {
    return MultipartUploader.builder(victim.core()).partSize(PART).build();
  }

  /** The attacker plants an upload for the victim's key and uploads part 1 itself. */
  EncryptedMultipartUpload plant(String key, long dataSize) throws Exception {
    EncryptedMultipartUpload planted =
        EncryptedMultipartUpload.initiate(attacker.core(), BUCKET, key, PART, dataSize, null);
    planted.uploadPart(1, new ByteArrayInputStream(new byte[PART]), PART);
    return planted;
  }

  @Test
  void plantedUploadWithPublicKeyOnlyIsRefused() throws Exception {
    byte[] secret = LocalOssBed.data(3 * PART + 100, 41);
    Path src = file("secret", secret);
    try (EncryptedMultipartUpload planted = plant("victim.bin", secret.length)) {
      String id = planted.uploadId();
      // The attacker holds a valid token for its own upload, and the key: it knows everything.
      ResumeToken attackers = planted.resumeToken();
      assertThat(attackers.uploadId()).isEqualTo(id);

      // Without a token: refused.
      assertThatThrownBy(
              () -> victimUploader().resume(BUCKET, "victim.bin", id, (ResumeToken) null, src))
          .isInstanceOf(ResumeTokenException.class)
          .hasMessageContaining("resume token")
          .satisfies(e -> assertThat(((ResumeTokenException) e).field()).isEqualTo("resume token"));

      // With the victim's own token (of another upload of the same key): refused, upload id.
      ResumeToken own;
      try (EncryptedMultipartUpload mine =
          EncryptedMultipartUpload.initiate(
              victim.core(), BUCKET, "victim.bin", PART, secret.length, null)) {
        own = mine.resumeToken();
        mine.abort();
      }
      assertThatThrownBy(() -> victimUploader().resume(BUCKET, "victim.bin", id, own, src))
          .isInstanceOf(ResumeTokenException.class)
          .satisfies(e -> assertThat(((ResumeTokenException) e).field()).isEqualTo("upload id"));

      // With a token naming the planted upload but the victim's own key commitment (a token
      // forged or corrupted for that id): refused, content key.
      ResumeToken forged = withUploadId(own, id);
      assertThatThrownBy(() -> victimUploader().resume(BUCKET, "victim.bin", id, forged, src))
          .isInstanceOf(ResumeTokenException.class)
          .satisfies(e -> assertThat(((ResumeTokenException) e).field()).isEqualTo("content key"));

      // Nothing of the secret reached the server under the attacker's key: the planted upload
      // still holds exactly the attacker's own part, and no object was completed.
      List<ListPartsReader.Part> parts =
          new AliyunObjectStore(bed.oss).listParts(BUCKET, "victim.bin", id).parts();
      assertThat(parts).hasSize(1);
      assertThat(parts.get(0).crc64()).isEqualTo(planted.parts().get(1).crc64().getAsLong());
      assertThat(parts.get(0).crc64())
          .isNotEqualTo(crcUnder(planted.contentKeyCipher(0), secret, 0, PART));
      assertThatThrownBy(() -> bed.oss.getObjectMetadata(BUCKET, "victim.bin"))
          .isInstanceOf(OSSException.class);
      planted.abort();
    }
  }

  @Test
  void rogueListingWithTheAttackersKeyForTheVictimsUploadIsRefused() throws Exception {
    // An endpoint (or anyone who can rewrite the upload) answers ListParts for the victim's own
    // upload id with the attacker's wrapped key and IV.
    byte[] secret = LocalOssBed.data(2 * PART, 42);
    try (EncryptedMultipartUpload mine =
            EncryptedMultipartUpload.initiate(
                victim.core(), BUCKET, "rogue.bin", PART, secret.length, null);
        EncryptedMultipartUpload planted = plant("rogue-planted.bin", secret.length)) {
      mine.uploadPart(1, new ByteArrayInputStream(secret, 0, PART), PART);
      ListPartsReader.Listing real =
          new AliyunObjectStore(bed.oss).listParts(BUCKET, "rogue.bin", mine.uploadId());
      ListPartsReader.Listing theirs =
          new AliyunObjectStore(bed.oss).listParts(BUCKET, "rogue-planted.bin", planted.uploadId());
      Map<String, String> cse = new HashMap<>(real.cseUserMetadata());
      cse.put(MetadataKeys.KEY, theirs.cseUserMetadata().get(MetadataKeys.KEY));
      cse.put(MetadataKeys.START, theirs.cseUserMetadata().get(MetadataKeys.START));
      ListPartsReader.Listing rogue = new ListPartsReader.Listing(Map.copyOf(cse), real.parts());

      assertThatThrownBy(
              () ->
                  EncryptedMultipartUpload.resume(
                      victim.core().context(),
                      BUCKET,
                      "rogue.bin",
                      mine.uploadId(),
                      mine.resumeToken(),
                      rogue))
          .isInstanceOf(ResumeTokenException.class)
          .satisfies(e -> assertThat(((ResumeTokenException) e).field()).isEqualTo("content key"));
      // The genuine listing with the same token resumes.
      try (EncryptedMultipartUpload again =
          EncryptedMultipartUpload.resume(
              victim.core().context(),
              BUCKET,
              "rogue.bin",
              mine.uploadId(),
              mine.resumeToken(),
              real)) {
        assertThat(again.resumedPartCount()).isEqualTo(1);
      }
      planted.abort();
      mine.abort();
    }
  }

  @Test
  void listedPartWithoutCrcIsRefusedAsUnverifiable() throws Exception {
    byte[] secret = LocalOssBed.data(2 * PART, 43);
    try (EncryptedMultipartUpload mine =
        EncryptedMultipartUpload.initiate(
            victim.core(), BUCKET, "nocrc.bin", PART, secret.length, null)) {
      mine.uploadPart(1, new ByteArrayInputStream(secret, 0, PART), PART);
      ListPartsReader.Listing real =
          new AliyunObjectStore(bed.oss).listParts(BUCKET, "nocrc.bin", mine.uploadId());
      ListPartsReader.Part p = real.parts().get(0);
      ListPartsReader.Listing stripped =
          new ListPartsReader.Listing(
              real.cseUserMetadata(),
              List.of(new ListPartsReader.Part(p.number(), p.etag(), p.size(), null)));
      assertThatThrownBy(
              () ->
                  EncryptedMultipartUpload.resume(
                      victim.core().context(),
                      BUCKET,
                      "nocrc.bin",
                      mine.uploadId(),
                      mine.resumeToken(),
                      stripped))
          .isInstanceOf(TransferVerificationException.class)
          .hasMessageContaining("part 1")
          .hasMessageContaining("HashCrc64ecma");
      mine.abort();
    }
  }

  @Test
  void legitimateResume_withTheStoredTokenString_completes() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART + 7, 44);
    Path src = file("legit", data);
    String stored;
    String id;
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(
            victim.core(), BUCKET, "legit.bin", PART, data.length, null)) {
      up.uploadPart(2, new ByteArrayInputStream(data, PART, PART), PART);
      id = up.uploadId();
      stored = up.resumeToken().toString(); // what a CLI writes down
    }
    assertThat(stored).startsWith(ResumeToken.PREFIX);
    ResumeToken token = ResumeToken.parse(stored);
    assertThat(token.uploadId()).isEqualTo(id);

    MultipartUploader up = victimUploader();
    List<PendingUpload> pending = up.listUploads(BUCKET, "legit");
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).uploadId()).isEqualTo(id);
    assertThat(pending.get(0).key()).isEqualTo("legit.bin");
    assertThat(pending.get(0).partSize()).isEqualTo(PART);
    assertThat(pending.get(0).dataSize()).hasValue(data.length);
    assertThat(pending.get(0).initiated()).isNotNull();

    MultipartUploadResult r = up.resume(BUCKET, "legit.bin", id, token, src);
    assertThat(r.resumedPartCount()).isEqualTo(1);
    assertThat(bed.readAll(victim, "legit.bin")).isEqualTo(data);
    assertThat(up.listUploads(BUCKET, "legit")).isEmpty();
  }

  @Test
  void abortById_removesTheUpload_andMalformedTokensAreRefused() throws Exception {
    String id;
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(
            victim.core(), BUCKET, "drop.bin", PART, 2L * PART, null)) {
      id = up.uploadId();
    }
    MultipartUploader up = victimUploader();
    assertThat(up.listUploads(BUCKET, "drop"))
        .extracting(PendingUpload::uploadId)
        .containsExactly(id);
    up.abort(BUCKET, "drop.bin", id);
    assertThat(up.listUploads(BUCKET, "drop")).isEmpty();

    for (String bad :
        new String[] {
          null, "", "x", ResumeToken.PREFIX, ResumeToken.PREFIX + "!!!", "osscse-resume-2.AAAA"
        }) {
      assertThatThrownBy(() -> ResumeToken.parse(bad))
          .isInstanceOf(ResumeTokenException.class)
          .satisfies(e -> assertThat(((ResumeTokenException) e).field()).isEqualTo("resume token"));
    }
  }

  /** The same token fields with another upload id (what a forger or a corrupted store gives). */
  static ResumeToken withUploadId(ResumeToken t, String uploadId) throws Exception {
    byte[] b = Base64.getUrlDecoder().decode(t.toString().substring(ResumeToken.PREFIX.length()));
    ByteBuffer in = ByteBuffer.wrap(b);
    int idLength = in.getShort();
    in.position(2 + idLength);
    byte[] rest = new byte[b.length - 2 - idLength];
    in.get(rest);
    byte[] id = uploadId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(2 + id.length + rest.length);
    out.putShort((short) id.length).put(id).put(rest);
    return ResumeToken.parse(
        ResumeToken.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array()));
  }

  static long crcUnder(Cipher c, byte[] data, int off, int len) throws Exception {
    byte[] ct = c.doFinal(data, off, len);
    CRC64 crc = new CRC64();
    crc.update(ct, 0, ct.length);
    return crc.getValue();
  }
}
