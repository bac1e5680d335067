package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Key rotation by re-wrapping, over real HTTP to the local OSS endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectRewrapperTest {
  @TempDir static Path dir;
  LocalOssBed bed;
  OssCseClient writer; // old key
  OssCseClient rotator; // reads old and new, writes new
  OssCseClient newOnly;
  OssCseClient oldOnly;

  @BeforeAll
  void start() throws Exception {
    bed = new LocalOssBed(Files.createDirectories(dir.resolve("oss")));
    writer = bed.client();
    rotator =
        OssCseClient.builder(bed.oss)
            .encryptWith(LocalOssBed.newKey())
            .decryptWith(MasterKeyRing.of(LocalOssBed.oldKey(), LocalOssBed.newKey()))
            .build();
    newOnly = bed.readerOf(LocalOssBed.newKey());
    oldOnly = bed.readerOf(LocalOssBed.oldKey());
  }

  @AfterEach
  void clearFaults() {
    bed.server.faults().clear();
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  ObjectRewrapper rewrapper() {
    return ObjectRewrapper.builder(rotator.core())
        .multipartThreshold(512 * 1024)
        .partSize(128 * 1024)
        .parallelism(2)
        .build();
  }

  static void assertOldKeyRefused(OssCseClient oldOnly, String key) {
    assertThatThrownBy(() -> oldOnly.getObject(BUCKET, key).close())
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void rewrap_putObject_newKeyOnlyReads_oldKeyRefused_metadataKept() throws Exception {
    byte[] data = LocalOssBed.data(200_000, 1);
    ObjectMetadata md = new ObjectMetadata();
    md.setContentType("text/x-rotated");
    md.setContentDisposition("attachment; filename=a.txt");
    md.addUserMetadata("owner", "alice");
    md.addUserMetadata("project", "cse");
    writer.putObject(BUCKET, "small.bin", data, md);
    ObjectMetadata before = bed.oss.getObjectMetadata(BUCKET, "small.bin");

    RewrapResult r = rewrapper().rewrap(BUCKET, "small.bin");

    assertThat(r.multipart()).isFalse();
    assertThat(r.previous().matDesc()).isEqualTo(LocalOssBed.OLD_DESC);
    assertThat(r.current().matDesc()).isEqualTo(LocalOssBed.NEW_DESC);
    assertThat(bed.readAll(newOnly, "small.bin")).isEqualTo(data);
    assertOldKeyRefused(oldOnly, "small.bin");
    ObjectMetadata after = bed.oss.getObjectMetadata(BUCKET, "small.bin");
    assertThat(after.getContentType()).isEqualTo("text/x-rotated");
    assertThat(after.getContentDisposition()).isEqualTo("attachment; filename=a.txt");
    assertThat(after.getUserMetadata())
        .containsEntry("owner", "alice")
        .containsEntry("project", "cse")
        .containsEntry(MetadataKeys.UNENCRYPTED_CONTENT_LENGTH, Integer.toString(data.length));
    // Same ciphertext, new envelope.
    assertThat(after.getServerCRC()).isEqualTo(before.getServerCRC());
    assertThat(r.crc64()).hasValue(before.getServerCRC());
    assertThat(after.getUserMetadata().get(MetadataKeys.KEY))
        .isNotEqualTo(before.getUserMetadata().get(MetadataKeys.KEY));
  }

  @Test
  void rewrap_largeObject_multipartReupload_sameCiphertext() throws Exception {
    byte[] data = LocalOssBed.data(5 * 128 * 1024 + 100, 2);
    writer.putObject(BUCKET, "large.bin", data, null);
    long crcBefore = bed.oss.getObjectMetadata(BUCKET, "large.bin").getServerCRC();

    RewrapResult r = rewrapper().rewrap(BUCKET, "large.bin");

    assertThat(r.multipart()).isTrue();
    assertThat(r.current().partSize()).hasValue(128 * 1024);
    assertThat(r.current().dataSize()).hasValue(data.length);
    assertThat(bed.oss.getObjectMetadata(BUCKET, "large.bin").getServerCRC()).isEqualTo(crcBefore);
    assertThat(bed.readAll(newOnly, "large.bin")).isEqualTo(data);
    assertOldKeyRefused(oldOnly, "large.bin");
  }

  @Test
  void rewrap_multipartObject_putPath_readable() throws Exception {
    byte[] data = LocalOssBed.data(3 * 128 * 1024 + 5, 3);
    MultipartUploader.builder(writer.core())
        .partSize(128 * 1024)
        .build()
        .upload(BUCKET, "was-mp.bin", new ByteArrayInputStream(data), data.length, null);
    RewrapResult r = rewrapper().rewrap(BUCKET, "was-mp.bin");
    assertThat(r.multipart()).isFalse();
    assertThat(bed.readAll(newOnly, "was-mp.bin")).isEqualTo(data);
  }

  @Test
  void rewrap_twice_backAndForth() throws Exception {
    byte[] data = LocalOssBed.data(10_000, 4);
    writer.putObject(BUCKET, "twice.bin", data, null);
    rewrapper().rewrap(BUCKET, "twice.bin");
    OssCseClient back =
        OssCseClient.builder(bed.oss)
            .encryptWith(LocalOssBed.oldKey())
            .decryptWith(MasterKeyRing.of(LocalOssBed.newKey()))
            .build();
    ObjectRewrapper.builder(back.core()).build().rewrap(BUCKET, "twice.bin");
    assertThat(bed.readAll(oldOnly, "twice.bin")).isEqualTo(data);
    assertOldKeyRefused(newOnly, "twice.bin");
  }

  @Test
  void rewrap_rsaToKms_kmsOnlyReads() throws Exception {
    String keyId = "6a0c1e2f-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    dev.osscse.oss.testing.FakeKeyService kms =
        new dev.osscse.oss.testing.FakeKeyService().addKey(keyId);
    MasterKey kmsKey =
        MasterKey.kms(dev.osscse.provider.KmsKeyReference.of(kms, keyId), Map.of("kms", "k1"));
    byte[] data = LocalOssBed.data(3 * 128 * 1024 + 3, 9);
    writer.putObject(BUCKET, "to-kms.bin", data, null);
    RewrapResult r =
        ObjectRewrapper.builder(writer.core())
            .newMasterKey(kmsKey)
            .multipartThreshold(128 * 1024)
            .partSize(128 * 1024)
            .build()
            .rewrap(BUCKET, "to-kms.bin");
    assertThat(r.multipart()).isTrue();
    assertThat(r.current().wrapAlgorithm()).isEqualTo(WrapAlgorithm.KMS_ALICLOUD);
    assertThat(bed.readAll(bed.readerOf(kmsKey), "to-kms.bin")).isEqualTo(data);
    assertOldKeyRefused(oldOnly, "to-kms.bin");
  }

  @Test
  void rewrap_withoutOldKey_unwrapFailsAndObjectUntouched() throws Exception {
    byte[] data = LocalOssBed.data(1000, 5);
    writer.putObject(BUCKET, "locked.bin", data, null);
    OssCseClient stranger =
        OssCseClient.builder(bed.oss)
            .encryptWith(LocalOssBed.newKey())
            .decryptWith(
                MasterKeyRing.builder()
                    .defaultKey(MasterKey.rsa(LocalOssBed.newPair(), LocalOssBed.OLD_DESC))
                    .build())
            .build();
    assertThatThrownBy(
            () -> ObjectRewrapper.builder(stranger.core()).build().rewrap(BUCKET, "locked.bin"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(EnvelopeCrypto.UNWRAP_FAILED);
    assertThat(bed.readAll(writer, "locked.bin")).isEqualTo(data);
  }

  @Test
  void rewrap_plaintextObject_refused() {
    bed.oss.putObject(BUCKET, "plain.bin", new ByteArrayInputStream(new byte[10]));
    assertThatThrownBy(() -> rewrapper().rewrap(BUCKET, "plain.bin"))
        .isInstanceOf(UnencryptedObjectException.class);
  }

  @Test
  void rewrap_corruptedRead_originalKept() throws Exception {
    byte[] data = LocalOssBed.data(100_000, 6);
    writer.putObject(BUCKET, "guarded.bin", data, null);
    // The next GET of the object is cut short: the PutObject never gets its last bytes.
    bed.server
        .faults()
        .truncateGetBodyAfter(50_000, 1, RequestMatcher.methodAndKey("GET", "guarded.bin"));
    assertThatThrownBy(() -> rewrapper().rewrap(BUCKET, "guarded.bin"))
        .isInstanceOf(Exception.class);
    assertThat(bed.readAll(writer, "guarded.bin")).isEqualTo(data);
    assertThat(bed.oss.getObjectMetadata(BUCKET, "guarded.bin").getUserMetadata())
        .containsEntry(MetadataKeys.MATDESC, "{\"gen\":\"1\"}");
  }

  @Test
  void rewrap_readDiffersFromOriginalCrc_putWithheldAndOriginalKept() throws Exception {
    byte[] data = LocalOssBed.data(70_000, 8);
    writer.putObject(BUCKET, "crc.bin", data, null);
    // HEAD reports a wrong CRC-64: the bytes read no longer match what the rewrap expects.
    bed.server.faults().wrongCrcNext(1, RequestMatcher.methodAndKey("HEAD", "crc.bin"));
    Throwable t =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class, () -> rewrapper().rewrap(BUCKET, "crc.bin"));
    assertThat(t)
        .hasStackTraceContaining("checksum of the 70000 bytes read is not the expected one");
    assertThat(bed.readAll(writer, "crc.bin")).isEqualTo(data);
    assertOldKeyRefused(newOnly, "crc.bin");
  }

  @Test
  void rewrap_multipartPartFails_abortedAndOriginalKept() throws Exception {
    byte[] data = LocalOssBed.data(6 * 128 * 1024, 7);
    writer.putObject(BUCKET, "mpfail.bin", data, null);
    bed.server
        .faults()
        .failNext(Integer.MAX_VALUE, 500, MultipartUploaderTest.putsAfter("mpfail.bin", 2));
    assertThatThrownBy(
            () ->
                ObjectRewrapper.builder(rotator.core())
                    .multipartThreshold(512 * 1024)
                    .partSize(128 * 1024)
                    .partAttempts(1)
                    .build()
                    .rewrap(BUCKET, "mpfail.bin"))
        .isInstanceOf(MultipartUploadException.class)
        .satisfies(e -> assertThat(((MultipartUploadException) e).aborted()).isTrue());
    ListMultipartUploadsRequest req = new ListMultipartUploadsRequest(BUCKET);
    req.setPrefix("mpfail.bin");
    assertThat(bed.oss.listMultipartUploads(req).getMultipartUploads()).isEmpty();
    assertThat(bed.readAll(writer, "mpfail.bin")).isEqualTo(data);
  }

  @Test
  void builder_partSizeNotMultipleOf16_refused() {
    assertThatThrownBy(() -> ObjectRewrapper.builder(rotator.core()).partSize(1000))
        .isInstanceOf(InvalidPartSizeException.class);
  }
}
