package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.AK;
import static dev.osscse.oss.LocalOssBed.BUCKET;
import static dev.osscse.oss.LocalOssBed.SK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.comm.SignVersion;
import dev.osscse.local.oss.FaultType;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.aliyun.AliyunObjectStore;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.spi.ListPartsReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retry re-reads the source and encrypts it again at the same key, IV and offset: if the source
 * changed in between, two plaintexts would go out under one keystream. The local endpoint's fault
 * injection forces the retry (500 on the first attempt) and the file is changed between attempts;
 * the retry must be refused before the changed bytes are encrypted, with the real SDK client over
 * HTTP, for a multipart part and for a single PutObject (retried inside the SDK).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryOverChangedSourceTest {
  static final int PART = 128 * 1024;

  @TempDir static Path dir;
  LocalOssBed bed;
  OssCseClient cse;
  OSS retryingOss; // SDK retries on (its default): the single-put retry happens inside the SDK
  OssCseClient retryingCse;

  @BeforeAll
  void start() throws Exception {
    bed = new LocalOssBed(Files.createDirectories(dir.resolve("oss")));
    cse = bed.client();
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    retryingOss = new OSSClientBuilder().build(bed.server.endpoint(), AK, SK, conf);
    retryingCse = OssCseClient.builder(retryingOss).encryptWith(LocalOssBed.oldKey()).build();
  }

  @AfterEach
  void clearFaults() {
    bed.server.faults().clear();
  }

  @AfterAll
  void stop() {
    retryingOss.shutdown();
    bed.close();
  }

  Path file(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  static void flipByte(Path file, long at) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The n-th (1-based) UploadPart or PutObject on {@code key}. */
  static RequestMatcher nthPut(String key, int n, Runnable sideEffect) {
    AtomicInteger seen = new AtomicInteger();
    return (m, b, k) -> {
      if (!"PUT".equals(m) || !key.equals(k) || seen.incrementAndGet() != n) {
        return false;
      }
      sideEffect.run();
      return true;
    };
  }

  /** Every UploadPart on {@code key} after the first one. */
  static RequestMatcher putsAfterFirst(String key) {
    AtomicInteger seen = new AtomicInteger();
    return (m, b, k) -> "PUT".equals(m) && key.equals(k) && seen.incrementAndGet() > 1;
  }

  MultipartUploader uploader(MultipartUploader.PartListener listener) {
    return MultipartUploader.builder(cse.core())
        .partSize(PART)
        .parallelism(1)
        .partAttempts(3)
        .abortOnFailure(false)
        .listener(listener)
        .build();
  }

  /** Changes the file when part 2 starts its second attempt (after the injected 500). */
  static MultipartUploader.PartListener changeOnSecondAttemptOfPart2(Path file, long at) {
    AtomicInteger starts = new AtomicInteger();
    return new MultipartUploader.PartListener() {
      @Override
      public void partStarting(int partNumber, long offset, long length) {
        if (partNumber == 2 && starts.incrementAndGet() == 2) {
          flipByte(file, at);
        }
      }
    };
  }

  @Test
  void partRetryOverAChangedFile_isRefusedBeforeTheChangeIsEncrypted() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART, 61);
    Path src = file("changing-part", data);
    long faultsBefore = bed.server.faults().injectedCount(FaultType.ERROR_STATUS);
    bed.server.faults().failNext(1, 500, nthPut("changing-part.bin", 2, () -> {}));
    MultipartUploadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MultipartUploadException.class,
            () ->
                uploader(changeOnSecondAttemptOfPart2(src, PART + 1000L))
                    .upload(BUCKET, "changing-part.bin", src, null));
    assertThat(bed.server.faults().injectedCount(FaultType.ERROR_STATUS) - faultsBefore)
        .as("the injected 500 forced the retry")
        .isEqualTo(1);
    assertThat(e.getCause()).isInstanceOf(SourceChangedException.class);
    assertThat(e.getCause().getMessage()).contains("part 2");
    // Part 2 was never stored: neither the faulted first attempt nor the refused retry.
    String id = e.uploadId().orElseThrow();
    List<ListPartsReader.Part> listed =
        new AliyunObjectStore(bed.oss).listParts(BUCKET, "changing-part.bin", id).parts();
    assertThat(listed).extracting(ListPartsReader.Part::number).containsExactly(1);
    MultipartUploader.builder(cse.core()).build().abort(BUCKET, "changing-part.bin", id);
  }

  @Test
  void partRetryOverAnUnchangedFile_succeeds() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART + 5, 62);
    Path src = file("steady-part", data);
    long faultsBefore = bed.server.faults().injectedCount(FaultType.ERROR_STATUS);
    bed.server.faults().failNext(1, 500, nthPut("steady-part.bin", 2, () -> {}));
    AtomicInteger starts = new AtomicInteger();
    MultipartUploadResult r =
        uploader(
                new MultipartUploader.PartListener() {
                  @Override
                  public void partStarting(int partNumber, long offset, long length) {
                    starts.incrementAndGet();
                  }
                })
            .upload(BUCKET, "steady-part.bin", src, null);
    assertThat(bed.server.faults().injectedCount(FaultType.ERROR_STATUS) - faultsBefore)
        .isEqualTo(1);
    assertThat(starts.get()).as("4 parts, one retried").isEqualTo(5);
    assertThat(r.partCount()).isEqualTo(4);
    assertThat(bed.readAll(cse, "steady-part.bin")).isEqualTo(data);
  }

  @Test
  void resumeOverAChangedFile_isRefusedByTheListedCrc() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART, 63);
    Path src = file("changing-resume", data);
    bed.server.faults().failNext(Integer.MAX_VALUE, 500, putsAfterFirst("changing-resume.bin"));
    MultipartUploadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            MultipartUploadException.class,
            () ->
                uploader(new MultipartUploader.PartListener() {})
                    .upload(BUCKET, "changing-resume.bin", src, null));
    bed.server.faults().clear();
    flipByte(src, 10); // inside part 1, which is stored
    MultipartUploadException r =
        org.junit.jupiter.api.Assertions.assertThrows(
            MultipartUploadException.class,
            () ->
                MultipartUploader.builder(cse.core())
                    .build()
                    .resume(
                        BUCKET,
                        "changing-resume.bin",
                        e.uploadId().orElseThrow(),
                        e.resumeToken().orElseThrow(),
                        src));
    assertThat(r.getCause()).isInstanceOf(TransferVerificationException.class);
    assertThat(r.getCause().getMessage()).contains("part 1");
    MultipartUploader.builder(cse.core())
        .build()
        .abort(BUCKET, "changing-resume.bin", e.uploadId().orElseThrow());
  }

  @Test
  void singlePutRetryOverAChangedFile_isRefusedAndNothingIsStored() throws Exception {
    byte[] data = LocalOssBed.data(4000, 64);
    Path src = file("changing-put", data);
    AtomicBoolean changed = new AtomicBoolean();
    long faultsBefore = bed.server.faults().injectedCount(FaultType.ERROR_STATUS);
    // The first PutObject has been read and sent when the server sees it: change the file, then
    // answer 500 so that the SDK resets the body and retries.
    bed.server
        .faults()
        .failNext(
            1,
            500,
            nthPut(
                "changing-put.bin",
                1,
                () -> {
                  flipByte(src, 100);
                  changed.set(true);
                }));
    assertThatThrownBy(() -> retryingCse.putObject(BUCKET, "changing-put.bin", src, null))
        .isInstanceOf(SourceChangedException.class)
        .hasMessageContaining("source changed");
    assertThat(changed).isTrue();
    assertThat(bed.server.faults().injectedCount(FaultType.ERROR_STATUS) - faultsBefore)
        .isEqualTo(1);
    assertThatThrownBy(() -> bed.oss.getObjectMetadata(BUCKET, "changing-put.bin"))
        .isInstanceOf(OSSException.class);
  }

  @Test
  void singlePutRetryOverAnUnchangedFile_succeeds() throws Exception {
    byte[] data = LocalOssBed.data(4000, 65);
    Path src = file("steady-put", data);
    long faultsBefore = bed.server.faults().injectedCount(FaultType.ERROR_STATUS);
    bed.server.faults().failNext(1, 500, nthPut("steady-put.bin", 1, () -> {}));
    retryingCse.putObject(BUCKET, "steady-put.bin", src, null);
    assertThat(bed.server.faults().injectedCount(FaultType.ERROR_STATUS) - faultsBefore)
        .isEqualTo(1);
    assertThat(bed.readAll(cse, "steady-put.bin")).isEqualTo(data);
  }

  @Test
  void streamPartRetry_resendsItsHeldBuffer_andSucceeds() throws Exception {
    byte[] data = LocalOssBed.data(3 * PART + 7, 66);
    long faultsBefore = bed.server.faults().injectedCount(FaultType.ERROR_STATUS);
    bed.server.faults().failNext(1, 500, nthPut("held-part.bin", 2, () -> {}));
    MultipartUploadResult r =
        uploader(new MultipartUploader.PartListener() {})
            .upload(BUCKET, "held-part.bin", new java.io.ByteArrayInputStream(data), -1, null);
    assertThat(bed.server.faults().injectedCount(FaultType.ERROR_STATUS) - faultsBefore)
        .as("the injected 500 forced the retry")
        .isEqualTo(1);
    assertThat(r.partRetries()).isEqualTo(1);
    assertThat(bed.readAll(cse, "held-part.bin")).isEqualTo(data);
  }

  @Test
  void failedHeldPart_isRecorded_soOtherBytesUnderItsNumberAreRefused() throws Exception {
    byte[] sentOnce = LocalOssBed.data(PART, 67);
    byte[] other = sentOnce.clone();
    other[PART - 1] ^= 1; // the last chunk differs
    EncryptedMultipartUpload up =
        EncryptedMultipartUpload.initiate(cse.core(), BUCKET, "held-record.bin", PART, -1, null);
    try {
      long faultsBefore = bed.server.faults().injectedCount(FaultType.ERROR_STATUS);
      bed.server.faults().failNext(1, 500, nthPut("held-record.bin", 1, () -> {}));
      assertThatThrownBy(
              () -> up.uploadHeldPart(1, () -> new java.io.ByteArrayInputStream(sentOnce), PART))
          .isNotInstanceOf(SourceChangedException.class);
      assertThat(bed.server.faults().injectedCount(FaultType.ERROR_STATUS) - faultsBefore)
          .isEqualTo(1);
      assertThatThrownBy(() -> up.uploadPart(1, new java.io.ByteArrayInputStream(other), PART))
          .isInstanceOf(SourceChangedException.class);
      assertThatThrownBy(
              () -> up.uploadHeldPart(1, () -> new java.io.ByteArrayInputStream(other), PART))
          .as("a held part is checked once a record of its number exists")
          .isInstanceOf(SourceChangedException.class);
      up.uploadPart(1, new java.io.ByteArrayInputStream(sentOnce), PART);
      up.complete();
      assertThat(bed.readAll(cse, "held-record.bin")).isEqualTo(sentOnce);
    } finally {
      up.close();
    }
  }
}
