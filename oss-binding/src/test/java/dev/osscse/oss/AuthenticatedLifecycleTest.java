package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.GenericRequest;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartSummary;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.auth.AuthRecord;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticated objects over their life (docs/authenticated-objects.md): a multipart upload
 * interrupted and resumed is authenticated like one sent at once; every delete by the library
 * removes the companion record; a record left behind never verifies another object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatedLifecycleTest {
  static final int C = AuthRecord.CHUNK_SIZE;

  @TempDir static Path dir;
  LocalOssBed bed;
  OssCseClient writer; // authenticate(true)
  OssCseClient strict; // requireAuthentication(true)
  OssCseClient plain; // neither

  @BeforeAll
  void start() {
    bed = new LocalOssBed(dir.resolve("store"));
    MasterKey k = LocalOssBed.oldKey();
    writer = OssCseClient.builder(bed.oss).encryptWith(k).authenticate(true).build();
    strict = OssCseClient.builder(bed.oss).encryptWith(k).requireAuthentication(true).build();
    plain = OssCseClient.builder(bed.oss).encryptWith(k).build();
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  @AfterEach
  void clearFaults() {
    bed.server.faults().clear();
  }

  static RequestMatcher putsAfter(String key, int pass) {
    AtomicInteger seen = new AtomicInteger();
    return (m, b, k) -> "PUT".equals(m) && key.equals(k) && seen.incrementAndGet() > pass;
  }

  boolean exists(String key) {
    return bed.oss.doesObjectExist(BUCKET, key);
  }

  static byte[] read(OssCseClient c, String key) throws Exception {
    try (UnauthenticatedObjectStream in = c.getObject(BUCKET, key)) {
      return in.readAllBytes();
    }
  }

  /** Puts the stored object back with one ciphertext byte flipped, metadata unchanged. */
  void flipStoredByte(String key, long at) throws Exception {
    byte[] body;
    Map<String, String> user;
    try (OSSObject o = bed.oss.getObject(BUCKET, key);
        InputStream in = o.getObjectContent()) {
      body = in.readAllBytes();
      user = new LinkedHashMap<>(o.getObjectMetadata().getUserMetadata());
    }
    body[(int) at] ^= 0x20;
    plant(key, body, user);
  }

  void plant(String key, byte[] body, Map<String, String> user) {
    ObjectMetadata md = new ObjectMetadata();
    user.forEach(md::addUserMetadata);
    md.setContentLength(body.length);
    bed.oss.putObject(BUCKET, key, new ByteArrayInputStream(body), md);
  }

  MultipartUploadException interruptedUpload(String key, Path src, int partsThatGo) {
    bed.server.faults().failNext(Integer.MAX_VALUE, 500, putsAfter(key, partsThatGo));
    try {
      MultipartUploader.builder(writer.core())
          .partSize(C)
          .parallelism(2)
          .partAttempts(1)
          .abortOnFailure(false)
          .build()
          .upload(BUCKET, key, src, null);
    } catch (MultipartUploadException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      bed.server.faults().clear();
    }
    throw new AssertionError("the upload was not interrupted");
  }

  // ------------------------------------------------------------------ resume

  @Test
  void resumedAuthenticatedUpload_fromFile_readsBackAuthenticated_andATamperedResumedByteIsRefused()
      throws Exception {
    String key = "resume/file.bin";
    byte[] data = LocalOssBed.data(5 * C + 77, 41);
    Path src = dir.resolve("resume-file");
    Files.write(src, data);
    MultipartUploadException e = interruptedUpload(key, src, 2);
    String id = e.uploadId().orElseThrow();
    ResumeToken token = ResumeToken.parse(e.resumeToken().orElseThrow().toString());
    List<PartSummary> listed = bed.oss.listParts(new ListPartsRequest(BUCKET, key, id)).getParts();
    assertThat(listed).isNotEmpty();

    // A fresh client, as after a restart.
    OssCseClient restarted =
        OssCseClient.builder(bed.oss).encryptWith(LocalOssBed.oldKey()).authenticate(true).build();
    MultipartUploadResult r =
        MultipartUploader.builder(restarted.core()).build().resume(BUCKET, key, id, token, src);
    assertThat(r.resumedPartCount()).isEqualTo(listed.size());
    assertThat(r.partCount()).isEqualTo(6);
    assertThat(read(strict, key)).isEqualTo(data);
    try (UnauthenticatedObjectStream in =
        strict.getObject(BUCKET, key, ByteRange.of(C - 5, C + 5))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, C - 5, C + 6));
    }

    // One byte changed inside a part that was uploaded before the interruption.
    int resumedPart = listed.get(0).getPartNumber();
    flipStoredByte(key, (resumedPart - 1L) * C + 1000);
    assertThatThrownBy(() -> read(strict, key)).isInstanceOf(ObjectAuthenticationException.class);
  }

  @Test
  void resumedAuthenticatedUpload_fromStream_withoutVerifyingListedParts_isStillTagged()
      throws Exception {
    String key = "resume/stream.bin";
    byte[] data = LocalOssBed.data(4 * C, 42);
    Path src = dir.resolve("resume-stream");
    Files.write(src, data);
    MultipartUploadException e = interruptedUpload(key, src, 1);
    MultipartUploadResult r =
        MultipartUploader.builder(writer.core())
            .verifyResumedParts(false)
            .build()
            .resume(
                BUCKET,
                key,
                e.uploadId().orElseThrow(),
                e.resumeToken().orElseThrow(),
                new ByteArrayInputStream(data),
                -1);
    assertThat(r.resumedPartCount()).isGreaterThanOrEqualTo(1);
    assertThat(read(strict, key)).isEqualTo(data);
    flipStoredByte(key, 3);
    assertThatThrownBy(() -> read(strict, key)).isInstanceOf(ObjectAuthenticationException.class);
  }

  @Test
  void resumedAuthenticatedUpload_fromFile_withoutVerifyingListedParts_isStillTagged()
      throws Exception {
    String key = "resume/file-unverified.bin";
    byte[] data = LocalOssBed.data(4 * C + 9, 44);
    Path src = dir.resolve("resume-file-unverified");
    Files.write(src, data);
    MultipartUploadException e = interruptedUpload(key, src, 1);
    MultipartUploadResult r =
        MultipartUploader.builder(writer.core())
            .verifyResumedParts(false)
            .build()
            .resume(BUCKET, key, e.uploadId().orElseThrow(), e.resumeToken().orElseThrow(), src);
    assertThat(r.resumedPartCount()).isGreaterThanOrEqualTo(1);
    assertThat(read(strict, key)).isEqualTo(data);
    flipStoredByte(key, 3);
    assertThatThrownBy(() -> read(strict, key)).isInstanceOf(ObjectAuthenticationException.class);
  }

  @Test
  void resumedAuthenticatedUpload_fromAnotherSource_isRefusedAndNothingIsCompleted()
      throws Exception {
    String key = "resume/other.bin";
    byte[] data = LocalOssBed.data(3 * C, 43);
    Path src = dir.resolve("resume-other");
    Files.write(src, data);
    MultipartUploadException e = interruptedUpload(key, src, 1);
    int listedPart =
        bed.oss
            .listParts(new ListPartsRequest(BUCKET, key, e.uploadId().orElseThrow()))
            .getParts()
            .get(0)
            .getPartNumber();
    byte[] other = data.clone();
    other[(listedPart - 1) * C + 5] ^= 1; // inside the part already on the server
    Path changed = dir.resolve("resume-other-changed");
    Files.write(changed, other);
    assertThatThrownBy(
            () ->
                MultipartUploader.builder(writer.core())
                    .abortOnFailure(false)
                    .build()
                    .resume(
                        BUCKET,
                        key,
                        e.uploadId().orElseThrow(),
                        e.resumeToken().orElseThrow(),
                        changed))
        .isInstanceOf(MultipartUploadException.class);
    assertThat(exists(key)).isFalse();
    assertThat(exists(AuthRecord.companionKey(key))).isFalse();
  }

  // ------------------------------------------------------------------ delete

  @Test
  void deleteThroughTheLibrary_removesTheCompanionRecord() throws Exception {
    byte[] data = LocalOssBed.data(1000, 44);
    OSS view = writer.asOss();
    for (String k : List.of("del/a", "del/b", "del/c", "del/d", "del/e")) {
      writer.putObject(BUCKET, k, data, null);
      assertThat(exists(AuthRecord.companionKey(k))).isTrue();
    }
    writer.deleteObject(BUCKET, "del/a");
    writer.core().delete(BUCKET, "del/b");
    view.deleteObject(BUCKET, "del/c");
    view.deleteObject(new GenericRequest(BUCKET, "del/d"));
    view.deleteObjects(new DeleteObjectsRequest(BUCKET).withKeys(List.of("del/e")));
    for (String k : List.of("del/a", "del/b", "del/c", "del/d", "del/e")) {
      assertThat(exists(k)).as(k).isFalse();
      assertThat(exists(AuthRecord.companionKey(k))).as(k + " record").isFalse();
    }
  }

  @Test
  void putRefusedAndDeletedByTheLibrary_leavesNoRecordOfTheObjectItReplaced() throws Exception {
    String key = "del/refused.bin";
    writer.putObject(BUCKET, key, LocalOssBed.data(3 * C, 45), null);
    assertThat(exists(AuthRecord.companionKey(key))).isTrue();
    bed.server.faults().wrongCrcNext(1, (m, b, k) -> "PUT".equals(m) && key.equals(k));
    assertThatThrownBy(() -> writer.putObject(BUCKET, key, LocalOssBed.data(2 * C, 46), null))
        .isInstanceOf(TransferVerificationException.class);
    assertThat(exists(key)).isFalse();
    assertThat(exists(AuthRecord.companionKey(key))).isFalse();
  }

  @Test
  void staleRecord_afterAnUnauthenticatedPutOverTheObject_neverVerifiesTheNewObject()
      throws Exception {
    String key = "stale/a.bin";
    writer.putObject(BUCKET, key, LocalOssBed.data(2 * C + 9, 47), null);
    byte[] replacement = LocalOssBed.data(2 * C + 9, 48);
    plain.putObject(BUCKET, key, replacement, null);
    assertThat(read(plain, key)).isEqualTo(replacement);
    assertThatThrownBy(() -> read(strict, key))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("not marked");

    // An attacker adds the marker to the new object, hoping the old record vouches for it.
    byte[] body;
    Map<String, String> user;
    try (OSSObject o = bed.oss.getObject(BUCKET, key);
        InputStream in = o.getObjectContent()) {
      body = in.readAllBytes();
      user = new LinkedHashMap<>(o.getObjectMetadata().getUserMetadata());
    }
    user.put("client-side-encryption-osscse-auth", "v1");
    plant(key, body, user);
    assertThat(exists(AuthRecord.companionKey(key))).isTrue();
    assertThatThrownBy(() -> read(strict, key)).isInstanceOf(ObjectAuthenticationException.class);
  }
}
