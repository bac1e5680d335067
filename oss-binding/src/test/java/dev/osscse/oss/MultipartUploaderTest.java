package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.MultipartUpload;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartListing;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted multipart uploads, resume and abort, over real HTTP to the local OSS endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultipartUploaderTest {
  static final int PART = 128 * 1024;

  @TempDir static Path dir;
  LocalOssBed bed;
  OssCseClient cse;

  @BeforeAll
  void start() throws Exception {
    bed = new LocalOssBed(Files.createDirectories(dir.resolve("oss")));
    cse = bed.client();
  }

  @AfterEach
  void clearFaults() {
    bed.server.faults().clear();
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

  MultipartUploader uploader() {
    return MultipartUploader.builder(cse.core()).partSize(PART).parallelism(3).build();
  }

  // ------------------------------------------------------------------ sizes

  @Test
  void upload_fileOfOnePart_roundTripsWithPartAndDataSize() throws Exception {
    byte[] data = LocalOssBed.data(50_000, 1);
    MultipartUploadResult r = uploader().upload(BUCKET, "one.bin", file("one", data), null);
    assertThat(r.partCount()).isEqualTo(1);
    assertThat(r.size()).isEqualTo(data.length);
    assertThat(bed.readAll(cse, "one.bin")).isEqualTo(data);
    Map<String, String> meta = bed.oss.getObjectMetadata(BUCKET, "one.bin").getUserMetadata();
    assertThat(meta)
        .containsEntry(MetadataKeys.PART_SIZE, Integer.toString(PART))
        .containsEntry(MetadataKeys.DATA_SIZE, Integer.toString(data.length))
        .containsEntry(MetadataKeys.CEK_ALG, "AES/CTR/NoPadding")
        .containsKey(MetadataKeys.MATDESC);
  }

  @Test
  void upload_emptyFileAndEmptyStream_onePartOfZeroBytes() throws Exception {
    MultipartUploadResult f =
        uploader().upload(BUCKET, "empty.bin", file("empty", new byte[0]), null);
    assertThat(f.partCount()).isEqualTo(1);
    assertThat(f.size()).isZero();
    assertThat(bed.readAll(cse, "empty.bin")).isEmpty();
    MultipartUploadResult s =
        uploader().upload(BUCKET, "empty-s.bin", new ByteArrayInputStream(new byte[0]), -1, null);
    assertThat(s.partCount()).isEqualTo(1);
    assertThat(bed.readAll(cse, "empty-s.bin")).isEmpty();
  }

  @Test
  void resume_withoutVerification_trustsListedParts() throws Exception {
    byte[] data = LocalOssBed.data(2 * PART + 1, 14);
    String id;
    ResumeToken token;
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(
            cse.core(), BUCKET, "trust.bin", PART, data.length, null)) {
      up.uploadPart(2, new ByteArrayInputStream(data, PART, PART), PART);
      id = up.uploadId();
      token = up.resumeToken();
    }
    List<Integer> started = Collections.synchronizedList(new ArrayList<>());
    MultipartUploadResult r =
        MultipartUploader.builder(cse.core())
            .verifyResumedParts(false)
            .listener(
                new MultipartUploader.PartListener() {
                  @Override
                  public void partUploaded(UploadedPart part) {
                    started.add(part.partNumber());
                  }
                })
            .build()
            .resume(BUCKET, "trust.bin", id, token, file("trust", data));
    assertThat(r.resumedPartCount()).isEqualTo(1);
    assertThat(started).containsExactlyInAnyOrder(1, 3);
    assertThat(bed.readAll(cse, "trust.bin")).isEqualTo(data);
  }

  @Test
  void upload_fileExactMultiple_allPartsFull() throws Exception {
    byte[] data = LocalOssBed.data(4 * PART, 2);
    MultipartUploadResult r = uploader().upload(BUCKET, "exact.bin", file("exact", data), null);
    assertThat(r.partCount()).isEqualTo(4);
    assertThat(r.crc64()).isPresent();
    assertThat(bed.oss.getObjectMetadata(BUCKET, "exact.bin").getServerCRC())
        .isEqualTo(r.crc64().getAsLong());
    assertThat(bed.readAll(cse, "exact.bin")).isEqualTo(data);
  }

  @Test
  void upload_fileWithRemainder_lastPartShort() throws Exception {
    byte[] data = LocalOssBed.data(5 * PART + 1000, 3);
    ObjectMetadata md = new ObjectMetadata();
    md.setContentType("application/x-test");
    md.addUserMetadata("owner", "alice");
    MultipartUploadResult r =
        uploader().upload(BUCKET, "rem.bin", file("rem", data), OssCseClient.metadata(md));
    assertThat(r.partCount()).isEqualTo(6);
    assertThat(bed.readAll(cse, "rem.bin")).isEqualTo(data);
    ObjectMetadata head = bed.oss.getObjectMetadata(BUCKET, "rem.bin");
    assertThat(head.getContentType()).isEqualTo("application/x-test");
    assertThat(head.getUserMetadata()).containsEntry("owner", "alice");
  }

  @Test
  void upload_streamOfUnknownLength_roundTripsWithoutDataSize() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART + 77, 4);
    MultipartUploadResult r =
        uploader().upload(BUCKET, "stream.bin", new ByteArrayInputStream(data), -1, null);
    assertThat(r.partCount()).isEqualTo(4);
    assertThat(r.envelope().dataSize()).isEmpty();
    assertThat(bed.readAll(cse, "stream.bin")).isEqualTo(data);
  }

  @Test
  void upload_streamOfKnownExactMultiple_roundTrips() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART, 5);
    MultipartUploadResult r =
        uploader().upload(BUCKET, "stream3.bin", new ByteArrayInputStream(data), data.length, null);
    assertThat(r.partCount()).isEqualTo(3);
    assertThat(r.envelope().dataSize()).hasValue(data.length);
    assertThat(bed.readAll(cse, "stream3.bin")).isEqualTo(data);
  }

  @Test
  void upload_streamShorterThanDeclared_failsAndAborts() {
    byte[] data = LocalOssBed.data(2 * PART, 6);
    assertThatThrownBy(
            () ->
                uploader()
                    .upload(BUCKET, "short.bin", new ByteArrayInputStream(data), 3L * PART, null))
        .isInstanceOf(MultipartUploadException.class)
        .satisfies(e -> assertThat(((MultipartUploadException) e).aborted()).isTrue());
    assertThat(uploadsOf("short.bin")).isEmpty();
  }

  @Test
  void session_partsUploadedOutOfOrder_objectIsOneCtrStream() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART + 500, 7);
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(cse.core(), BUCKET, "ooo.bin", PART, data.length, null)) {
      for (int n : new int[] {3, 1, 4, 2}) {
        int off = (n - 1) * PART;
        int len = (int) up.partLength(n);
        up.uploadPart(n, new ByteArrayInputStream(data, off, len), len);
      }
      assertThat(up.parts().keySet()).containsExactly(1, 2, 3, 4);
      up.complete();
    }
    assertThat(bed.readAll(cse, "ooo.bin")).isEqualTo(data);
    // A ranged read inside part 3 uses the counter IV + offset/16 like any object.
    try (UnauthenticatedObjectStream in =
        cse.getObject(BUCKET, "ooo.bin", ByteRange.of(2L * PART + 5, 2L * PART + 40))) {
      byte[] got = in.readAllBytes();
      byte[] want = java.util.Arrays.copyOfRange(data, 2 * PART + 5, 2 * PART + 41);
      assertThat(got).isEqualTo(want);
    }
  }

  @Test
  void upload_parallel_partsCompleteOutOfOrder() throws Exception {
    byte[] data = LocalOssBed.data(4 * PART, 8);
    List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch partTwoDone = new CountDownLatch(1);
    MultipartUploader up =
        MultipartUploader.builder(cse.core())
            .partSize(PART)
            .parallelism(2)
            .listener(
                new MultipartUploader.PartListener() {
                  @Override
                  public void partStarting(int partNumber, long offset, long length) {
                    if (partNumber == 1) {
                      try {
                        assertThat(partTwoDone.await(20, TimeUnit.SECONDS)).isTrue();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                  }

                  @Override
                  public void partUploaded(UploadedPart part) {
                    completed.add(part.partNumber());
                    if (part.partNumber() == 2) {
                      partTwoDone.countDown();
                    }
                  }
                })
            .build();
    up.upload(BUCKET, "par.bin", file("par", data), null);
    assertThat(completed).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(completed.indexOf(2)).isLessThan(completed.indexOf(1));
    assertThat(bed.readAll(cse, "par.bin")).isEqualTo(data);
  }

  // ------------------------------------------------------------------ part-size rule

  @Test
  void partSize_notMultipleOf16_refused() {
    assertThatThrownBy(() -> MultipartUploader.builder(cse.core()).partSize(PART + 8))
        .isInstanceOf(InvalidPartSizeException.class)
        .hasMessageContaining("multiple of 16");
    assertThatThrownBy(
            () ->
                EncryptedMultipartUpload.initiate(
                    cse.core(), BUCKET, "bad.bin", 100_001, 500_000, null))
        .isInstanceOf(InvalidPartSizeException.class);
    assertThatThrownBy(() -> MultipartUploader.builder(cse.core()).partSize(0))
        .isInstanceOf(InvalidPartSizeException.class);
    assertThat(uploadsOf("bad.bin")).isEmpty();
  }

  @Test
  void session_partOfWrongLength_refusedBeforeSending() throws Exception {
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(
            cse.core(), BUCKET, "len.bin", PART, 2L * PART + 10, null)) {
      assertThatThrownBy(() -> up.uploadPart(1, new ByteArrayInputStream(new byte[100]), 100))
          .isInstanceOf(InvalidPartSizeException.class);
      assertThatThrownBy(() -> up.uploadPart(3, new ByteArrayInputStream(new byte[9]), 9))
          .isInstanceOf(InvalidPartSizeException.class);
      assertThatThrownBy(() -> up.uploadPart(4, new ByteArrayInputStream(new byte[1]), 1))
          .isInstanceOf(InvalidPartSizeException.class);
      assertThat(up.parts()).isEmpty();
      up.abort();
    }
  }

  @Test
  void session_tooManyPartsForDataSize_refused() {
    assertThatThrownBy(
            () ->
                EncryptedMultipartUpload.initiate(
                    cse.core(), BUCKET, "many.bin", 16, 16L * 10_001, null))
        .isInstanceOf(InvalidPartSizeException.class)
        .hasMessageContaining("10000");
  }

  // ------------------------------------------------------------------ failures

  /** Matches every UploadPart (PUT) on {@code key} after the first {@code pass}. */
  static RequestMatcher putsAfter(String key, int pass) {
    AtomicInteger seen = new AtomicInteger();
    return (m, b, k) -> "PUT".equals(m) && key.equals(k) && seen.incrementAndGet() > pass;
  }

  List<MultipartUpload> uploadsOf(String key) {
    ListMultipartUploadsRequest req = new ListMultipartUploadsRequest(BUCKET);
    req.setPrefix(key);
    return bed.oss.listMultipartUploads(req).getMultipartUploads();
  }

  @Test
  void upload_transientPartFailures_retried() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART, 9);
    bed.server.faults().failNext(2, 503, RequestMatcher.methodAndKey("PUT", "retry.bin"));
    MultipartUploadResult r =
        MultipartUploader.builder(cse.core())
            .partSize(PART)
            .parallelism(2)
            .partAttempts(3)
            .build()
            .upload(BUCKET, "retry.bin", file("retry", data), null);
    assertThat(r.partCount()).isEqualTo(3);
    assertThat(bed.server.faults().injectedCount()).isGreaterThanOrEqualTo(2);
    assertThat(bed.readAll(cse, "retry.bin")).isEqualTo(data);
  }

  @Test
  void upload_partFails_abortedAndNoPartLeft() throws Exception {
    byte[] data = LocalOssBed.data(6 * PART, 10);
    bed.server.faults().failNext(Integer.MAX_VALUE, 500, putsAfter("abort.bin", 2));
    MultipartUploader up =
        MultipartUploader.builder(cse.core()).partSize(PART).parallelism(2).partAttempts(1).build();
    MultipartUploadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MultipartUploadException.class,
            () -> up.upload(BUCKET, "abort.bin", file("abort", data), null));
    assertThat(e.aborted()).isTrue();
    assertThat(e.uploadId()).isPresent();
    assertThat(e.getCause()).isInstanceOf(OSSException.class);
    assertThat(uploadsOf("abort.bin")).isEmpty();
    assertThatThrownBy(
            () -> bed.oss.listParts(new ListPartsRequest(BUCKET, "abort.bin", e.uploadId().get())))
        .isInstanceOf(OSSException.class)
        .satisfies(x -> assertThat(((OSSException) x).getErrorCode()).isEqualTo("NoSuchUpload"));
    assertThat(bed.oss.doesObjectExist(BUCKET, "abort.bin")).isFalse();
  }

  @Test
  void resume_afterInterruptedFileUpload_completesFromListPartsAlone() throws Exception {
    byte[] data = LocalOssBed.data(6 * PART + 33, 11);
    Path src = file("resume", data);
    bed.server.faults().failNext(Integer.MAX_VALUE, 500, putsAfter("resume.bin", 3));
    MultipartUploadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MultipartUploadException.class,
            () ->
                MultipartUploader.builder(cse.core())
                    .partSize(PART)
                    .parallelism(2)
                    .partAttempts(1)
                    .abortOnFailure(false)
                    .build()
                    .upload(BUCKET, "resume.bin", src, null));
    assertThat(e.aborted()).isFalse();
    String id = e.uploadId().orElseThrow();
    ResumeToken token = ResumeToken.parse(e.resumeToken().orElseThrow().toString());
    PartListing listed = bed.oss.listParts(new ListPartsRequest(BUCKET, "resume.bin", id));
    int before = listed.getParts().size();
    assertThat(before).isBetween(1, 6);
    bed.server.faults().clear();

    // A fresh client, as after a restart: nothing but the upload id is carried over.
    OssCseClient restarted = bed.client();
    MultipartUploadResult r =
        MultipartUploader.builder(restarted.core())
            .partSize(PART) // ignored on resume: the listed part size wins
            .build()
            .resume(BUCKET, "resume.bin", id, token, src);
    assertThat(r.resumedPartCount()).isEqualTo(before);
    assertThat(r.partCount()).isEqualTo(7);
    assertThat(r.uploadId()).isEqualTo(id);
    assertThat(bed.readAll(restarted, "resume.bin")).isEqualTo(data);
    assertThat(uploadsOf("resume.bin")).isEmpty();
  }

  @Test
  void resume_afterInterruptedStreamUpload_readsListedPartsAndSendsTheRest() throws Exception {
    byte[] data = LocalOssBed.data(5 * PART, 12);
    bed.server.faults().failNext(Integer.MAX_VALUE, 500, putsAfter("sresume.bin", 2));
    MultipartUploadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MultipartUploadException.class,
            () ->
                MultipartUploader.builder(cse.core())
                    .partSize(PART)
                    .parallelism(2)
                    .partAttempts(1)
                    .abortOnFailure(false)
                    .build()
                    .upload(
                        BUCKET, "sresume.bin", new ByteArrayInputStream(data), data.length, null));
    bed.server.faults().clear();
    String id = e.uploadId().orElseThrow();
    ResumeToken token = e.resumeToken().orElseThrow();
    MultipartUploadResult r =
        MultipartUploader.builder(cse.core())
            .build()
            .resume(BUCKET, "sresume.bin", id, token, new ByteArrayInputStream(data), -1);
    assertThat(r.resumedPartCount()).isGreaterThanOrEqualTo(1);
    assertThat(r.partCount()).isEqualTo(5);
    assertThat(bed.readAll(cse, "sresume.bin")).isEqualTo(data);
  }

  @Test
  void resume_withDifferentSource_refusedAndUploadKept() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART, 13);
    String id;
    ResumeToken token;
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(
            cse.core(), BUCKET, "wrong.bin", PART, data.length, null)) {
      up.uploadPart(1, new ByteArrayInputStream(data, 0, PART), PART);
      id = up.uploadId();
      token = up.resumeToken();
    }
    byte[] other = data.clone();
    other[10] ^= 1;
    MultipartUploadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MultipartUploadException.class,
            () ->
                MultipartUploader.builder(cse.core())
                    .build()
                    .resume(BUCKET, "wrong.bin", id, token, file("wrong", other)));
    assertThat(e.getCause()).isInstanceOf(TransferVerificationException.class);
    assertThat(e.aborted()).isFalse();
    assertThat(uploadsOf("wrong.bin")).hasSize(1);
    // The right source completes it.
    MultipartUploader.builder(cse.core())
        .build()
        .resume(BUCKET, "wrong.bin", id, token, file("right", data));
    assertThat(bed.readAll(cse, "wrong.bin")).isEqualTo(data);
  }

  @Test
  void resume_kmsMasterKey_unwrapsListedKeyThroughKms() throws Exception {
    String keyId = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b";
    dev.osscse.oss.testing.FakeKeyService kms =
        new dev.osscse.oss.testing.FakeKeyService().addKey(keyId);
    OssCseClient kmsClient =
        OssCseClient.builder(bed.oss)
            .encryptWith(
                MasterKey.kms(dev.osscse.provider.KmsKeyReference.of(kms, keyId), Map.of()))
            .build();
    byte[] data = LocalOssBed.data(3 * PART + 5, 15);
    String id;
    ResumeToken token;
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(
            kmsClient.core(), BUCKET, "kms.bin", PART, data.length, null)) {
      assertThat(up.envelope().wrapAlgorithm()).isEqualTo(WrapAlgorithm.KMS_ALICLOUD);
      up.uploadPart(3, new ByteArrayInputStream(data, 2 * PART, PART), PART);
      id = up.uploadId();
      token = up.resumeToken();
    }
    MultipartUploadResult r =
        MultipartUploader.builder(kmsClient.core())
            .build()
            .resume(BUCKET, "kms.bin", id, token, file("kms", data));
    assertThat(r.resumedPartCount()).isEqualTo(1);
    assertThat(bed.readAll(kmsClient, "kms.bin")).isEqualTo(data);
  }

  @Test
  void resume_withoutTheMasterKey_unwrapFails() throws Exception {
    String id;
    ResumeToken token;
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(cse.core(), BUCKET, "nokey.bin", PART, 2L * PART, null)) {
      id = up.uploadId();
      token = up.resumeToken();
    }
    OssCseClient stranger = bed.readerOf(LocalOssBed.newKey());
    assertThatThrownBy(
            () -> EncryptedMultipartUpload.resume(stranger.core(), BUCKET, "nokey.bin", id, token))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage(EnvelopeCrypto.UNWRAP_FAILED);
    // The owner can resume; the listed envelope's matdesc is restored from its key.
    try (EncryptedMultipartUpload up =
        EncryptedMultipartUpload.resume(cse.core(), BUCKET, "nokey.bin", id, token)) {
      assertThat(up.envelope().matDesc()).isEqualTo(LocalOssBed.OLD_DESC);
      assertThat(up.partSize()).isEqualTo(PART);
      assertThat(up.dataSize()).hasValue(2L * PART);
      up.abort();
    }
    assertThat(uploadsOf("nokey.bin")).isEmpty();
  }

  @Test
  void resume_plaintextUpload_refused() throws Exception {
    String id =
        bed.oss
            .initiateMultipartUpload(
                new com.aliyun.oss.model.InitiateMultipartUploadRequest(BUCKET, "plain.bin"))
            .getUploadId();
    ResumeToken token =
        ResumeToken.create(
            BUCKET,
            "plain.bin",
            id,
            new javax.crypto.spec.SecretKeySpec(new byte[32], "AES"),
            new byte[16],
            PART,
            -1);
    assertThatThrownBy(
            () -> EncryptedMultipartUpload.resume(cse.core(), BUCKET, "plain.bin", id, token))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("ClientEncryption");
  }
}
