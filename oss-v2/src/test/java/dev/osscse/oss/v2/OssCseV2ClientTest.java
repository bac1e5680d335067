package dev.osscse.oss.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectRequest;
import com.aliyun.sdk.service.oss2.models.HeadObjectResult;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.PutObjectResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.EncryptedObjectChannel;
import dev.osscse.oss.EncryptedStore;
import dev.osscse.oss.InvalidByteRangeException;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.MultipartUploadResult;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.ResumeToken;
import dev.osscse.oss.UnencryptedObjectException;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OssCseV2Client}, operation by operation, with the real V2 client over HTTP against the
 * local endpoint (V4 signatures, path style). Every object written is checked to be stored as
 * ciphertext under its envelope before it is read back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OssCseV2ClientTest {
  static final String B = LocalV2Bed.BUCKET;
  static final int PART = 100 * 1024;
  static final Map<String, String> DESC = Map.of("desc", "v2-test");

  @TempDir static Path dir;
  LocalV2Bed bed;
  KeyPair pair;
  OssCseV2Client cse;

  @BeforeAll
  void start() {
    bed = new LocalV2Bed(dir.resolve("oss"));
    pair = TestKeys.rsa();
    cse = OssCseV2Client.newBuilder().client(bed.client()).encryptWith(rsa()).build();
  }

  @AfterAll
  void stop() throws Exception {
    bed.close();
  }

  @AfterEach
  void clearFaults() {
    bed.server().faults().clear();
  }

  MasterKey rsa() {
    return MasterKey.rsa(pair, DESC);
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] readAll(InputStream in) throws Exception {
    try (InputStream s = in) {
      return s.readAllBytes();
    }
  }

  void assertCiphertext(String key, byte[] plain) throws Exception {
    StoredCiphertext.assertStoredAsCiphertext(
        bed.client(), B, key, StoredCiphertext.rsa(pair.getPrivate()), plain);
  }

  PutObjectRequest.Builder put(String key) {
    return PutObjectRequest.newBuilder().bucket(B).key(key);
  }

  @Test
  void putObject_bytes_thenEveryRangeForm() throws Exception {
    byte[] plain = data(70_001, 1);
    PutObjectResult r =
        cse.putObject(
            put("one.bin")
                .contentType("application/x-one")
                .metadata(Map.of("owner", "v2"))
                .body(BinaryData.fromBytes(plain))
                .build());
    assertThat(r.eTag()).isNotBlank();
    assertCiphertext("one.bin", plain);
    HeadObjectResult head =
        bed.client().headObject(HeadObjectRequest.newBuilder().bucket(B).key("one.bin").build());
    assertThat(head.contentType()).isEqualTo("application/x-one");
    assertThat(head.metadata())
        .containsEntry("owner", "v2")
        .containsEntry("client-side-encryption-unencrypted-content-length", "70001");

    assertThat(readAll(cse.getObject(B, "one.bin", null))).isEqualTo(plain);
    assertThat(readAll(cse.getObject(B, "one.bin", ByteRange.of(17, 40_000))))
        .isEqualTo(Arrays.copyOfRange(plain, 17, 40_001));
    assertThat(readAll(cse.getObject(B, "one.bin", ByteRange.of(0, 0))))
        .isEqualTo(Arrays.copyOfRange(plain, 0, 1));
    assertThat(readAll(cse.getObject(B, "one.bin", ByteRange.from(69_990))))
        .isEqualTo(Arrays.copyOfRange(plain, 69_990, 70_001));
    assertThat(readAll(cse.getObject(B, "one.bin", ByteRange.suffix(33))))
        .isEqualTo(Arrays.copyOfRange(plain, 70_001 - 33, 70_001));
    // The V2 request's own Range header, in each form.
    GetObjectRequest.Builder get = GetObjectRequest.newBuilder().bucket(B).key("one.bin");
    assertThat(readAll(cse.getObject(get.range("bytes=-5").build())))
        .isEqualTo(Arrays.copyOfRange(plain, 70_001 - 5, 70_001));
    assertThat(readAll(cse.getObject(get.range("bytes=100-").build())))
        .isEqualTo(Arrays.copyOfRange(plain, 100, 70_001));
    assertThat(readAll(cse.getObject(get.range("bytes=3-9").build())))
        .isEqualTo(Arrays.copyOfRange(plain, 3, 10));
  }

  @Test
  void putObject_streamOfUnknownLength_andByteBuffer_roundTrip() throws Exception {
    byte[] plain = data(150_000, 2);
    // Not replayable, no length: read once, sent chunked.
    InputStream once = new FilterInputStream(new ByteArrayInputStream(plain)) {};
    cse.putObject(put("stream.bin").body(BinaryData.fromStream(once)).build());
    assertCiphertext("stream.bin", plain);
    assertThat(readAll(cse.getObject(B, "stream.bin", null))).isEqualTo(plain);

    // A rewindable stream is still read once as a stream, never copied into memory first.
    byte[] marked = data(20_000, 33);
    assertThat(OssCseV2Client.inMemory(BinaryData.fromStream(new ByteArrayInputStream(marked))))
        .isFalse();
    assertThat(OssCseV2Client.inMemory(BinaryData.fromBytes(marked))).isTrue();
    cse.putObject(
        put("marked.bin")
            .body(BinaryData.fromStream(new ByteArrayInputStream(marked), (long) marked.length))
            .build());
    assertCiphertext("marked.bin", marked);
    assertThat(readAll(cse.getObject(B, "marked.bin", null))).isEqualTo(marked);

    byte[] small = data(1000, 3);
    cse.putObject(
        put("buffer.bin").body(BinaryData.fromByteBuffer(ByteBuffer.wrap(small))).build());
    assertCiphertext("buffer.bin", small);
    assertThat(readAll(cse.getObject(B, "buffer.bin", null))).isEqualTo(small);
  }

  @Test
  void putObject_withEnvelopeKeyInUserMetadata_isRefusedAndNothingIsStored() {
    assertThatThrownBy(
            () ->
                cse.putObject(
                    put("planted.bin")
                        .metadata(Map.of("client-side-encryption-key", "AAAA"))
                        .body(BinaryData.fromBytes(data(10, 4)))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(bed.client().doesObjectExist(B, "planted.bin")).isFalse();
  }

  @Test
  void putObjectFromFile_andGetObjectToFile_wholeAndRanged() throws Exception {
    byte[] plain = data(123_457, 5);
    Path src = dir.resolve("src.bin");
    Files.write(src, plain);
    cse.putObjectFromFile(put("file.bin").build(), src);
    assertCiphertext("file.bin", plain);

    Path whole = dir.resolve("whole.out");
    EncryptedStore.Downloaded d = cse.getObjectToFile(B, "file.bin", null, whole);
    assertThat(Files.readAllBytes(whole)).isEqualTo(plain);
    assertThat(d.userMetadata()).containsKey("client-side-encryption-key");

    Path part = dir.resolve("part.out");
    cse.getObjectToFile(B, "file.bin", ByteRange.suffix(1000), part);
    assertThat(Files.readAllBytes(part))
        .isEqualTo(Arrays.copyOfRange(plain, plain.length - 1000, plain.length));
  }

  @Test
  void getObjectToFile_request_carriesItsRangeAndConditions() throws Exception {
    byte[] plain = data(70_000, 12);
    cse.putObject(put("req.bin").body(BinaryData.fromBytes(plain)).build());
    String etag =
        bed.client()
            .headObject(HeadObjectRequest.newBuilder().bucket(B).key("req.bin").build())
            .eTag();

    Path ranged = dir.resolve("req-ranged.out");
    cse.getObjectToFile(
        GetObjectRequest.newBuilder().bucket(B).key("req.bin").range("bytes=100-4099").build(),
        ranged);
    assertThat(Files.readAllBytes(ranged)).isEqualTo(Arrays.copyOfRange(plain, 100, 4100));

    Path matched = dir.resolve("req-matched.out");
    cse.getObjectToFile(
        GetObjectRequest.newBuilder().bucket(B).key("req.bin").ifMatch(etag).build(), matched);
    assertThat(Files.readAllBytes(matched)).isEqualTo(plain);

    Path refused = dir.resolve("req-refused.out");
    GetObjectRequest stale =
        GetObjectRequest.newBuilder().bucket(B).key("req.bin").ifMatch("\"0123\"").build();
    assertThatThrownBy(() -> cse.getObjectToFile(stale, refused))
        .hasMessageContaining("PreconditionFailed");
    assertThat(refused).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".req-refused.out"));
    }
  }

  @Test
  void openChannel_seeksAndReadsAnywhere() throws Exception {
    byte[] plain = data(300_000, 6);
    cse.putObject(put("channel.bin").body(BinaryData.fromBytes(plain)).build());
    try (EncryptedObjectChannel ch = cse.openChannel(B, "channel.bin")) {
      assertThat(ch.size()).isEqualTo(plain.length);
      for (long pos : new long[] {299_990, 5, 150_001, 0}) {
        ByteBuffer buf = ByteBuffer.allocate(10);
        ch.position(pos);
        while (buf.hasRemaining() && ch.read(buf) > 0) {}
        buf.flip();
        byte[] got = new byte[buf.remaining()];
        buf.get(got);
        assertThat(got)
            .as("at %d", pos)
            .isEqualTo(
                Arrays.copyOfRange(plain, (int) pos, (int) Math.min(plain.length, pos + 10)));
      }
    }
  }

  @Test
  void uploadFile_parallelMultipart_readsBackWholeAndAcrossParts() throws Exception {
    byte[] plain = data(4 * PART + 99, 7);
    Path src = dir.resolve("mp.bin");
    Files.write(src, plain);
    MultipartUploadResult r =
        cse.multipartUploader()
            .partSize(PART)
            .parallelism(2)
            .build()
            .upload(B, "mp.bin", src, null);
    assertThat(r.partCount()).isEqualTo(5);
    assertCiphertext("mp.bin", plain);
    assertThat(readAll(cse.getObject(B, "mp.bin", null))).isEqualTo(plain);
    assertThat(readAll(cse.getObject(B, "mp.bin", ByteRange.of(PART - 3, 3L * PART + 5))))
        .isEqualTo(Arrays.copyOfRange(plain, PART - 3, 3 * PART + 6));
    // The default-sized convenience path: one part here.
    cse.uploadFile(put("mp-default.bin").build(), src);
    assertThat(readAll(cse.getObject(B, "mp-default.bin", null))).isEqualTo(plain);
  }

  @Test
  void multipart_interrupted_isResumedFromListPartsAndCompletes() throws Exception {
    byte[] plain = data(4 * PART + 10, 8);
    Path src = dir.resolve("resume.bin");
    Files.write(src, plain);
    AtomicReference<String> uploadId = new AtomicReference<>();
    AtomicReference<ResumeToken> token = new AtomicReference<>();
    MultipartUploader.PartListener listener =
        new MultipartUploader.PartListener() {
          @Override
          public void uploadInitiated(String b, String k, String id, ResumeToken t) {
            uploadId.set(id);
            token.set(t);
          }
        };
    // The third part PUT fails every attempt: the upload stops, kept for resumption.
    bed.server()
        .faults()
        .failNext(
            100,
            400,
            (m, b, k) ->
                "PUT".equals(m) && "resume.bin".equals(k) && uploadId.get() != null && third());
    MultipartUploader first =
        cse.multipartUploader()
            .partSize(PART)
            .parallelism(1)
            .partAttempts(1)
            .abortOnFailure(false)
            .listener(listener)
            .build();
    assertThatThrownBy(() -> first.upload(B, "resume.bin", src, null)).isNotNull();
    assertThat(uploadId.get()).isNotNull();
    bed.server().faults().clear();

    MultipartUploadResult r =
        cse.multipartUploader()
            .partSize(PART)
            .build()
            .resume(B, "resume.bin", uploadId.get(), token.get(), src);
    assertThat(r.partCount()).isEqualTo(5);
    assertCiphertext("resume.bin", plain);
    assertThat(readAll(cse.getObject(B, "resume.bin", null))).isEqualTo(plain);
  }

  private int partPuts;

  /** True from the third part PUT on (counts the PUTs it is asked about). */
  private synchronized boolean third() {
    return ++partPuts >= 3;
  }

  @Test
  void rewrap_toANewKey_oldKeyRefused_newKeyReads() throws Exception {
    byte[] plain = data(50_000, 9);
    cse.putObject(put("rewrap.bin").body(BinaryData.fromBytes(plain)).build());
    MasterKey newKey = MasterKey.rsa(TestKeys.otherRsa(), Map.of("desc", "v2-new"));
    cse.rewrapper().newMasterKey(newKey).build().rewrap(B, "rewrap.bin");

    StoredCiphertext.assertStoredAsCiphertext(
        bed.client(),
        B,
        "rewrap.bin",
        StoredCiphertext.rsa(TestKeys.otherRsa().getPrivate()),
        plain);
    OssCseV2Client withNew =
        OssCseV2Client.newBuilder().client(bed.client()).encryptWith(newKey).build();
    assertThat(readAll(withNew.getObject(B, "rewrap.bin", ByteRange.of(10, 20))))
        .isEqualTo(Arrays.copyOfRange(plain, 10, 21));
    // The old key alone no longer opens it (its one key is tried and fails uniformly, FMT-22).
    assertThatThrownBy(() -> readAll(cse.getObject(B, "rewrap.bin", null)))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void severalKeys_chosenByMatdesc() throws Exception {
    MasterKey other = MasterKey.rsa(TestKeys.otherRsa(), Map.of("desc", "v2-other"));
    OssCseV2Client writesOther =
        OssCseV2Client.newBuilder().client(bed.client()).encryptWith(other).build();
    byte[] a = data(2000, 10);
    byte[] b = data(3000, 11);
    cse.putObject(put("ring/a").body(BinaryData.fromBytes(a)).build());
    writesOther.putObject(put("ring/b").body(BinaryData.fromBytes(b)).build());
    OssCseV2Client ring =
        OssCseV2Client.newBuilder()
            .client(bed.client())
            .decryptWith(MasterKeyRing.of(rsa(), other))
            .build();
    assertThat(readAll(ring.getObject(B, "ring/a", null))).isEqualTo(a);
    assertThat(readAll(ring.getObject(B, "ring/b", null))).isEqualTo(b);
    assertThat(ring.headEnvelope(B, "ring/b")).isPresent();
  }

  @Test
  void plaintextObject_isRefused_unlessAllowed() throws Exception {
    byte[] plain = data(500, 12);
    bed.client()
        .putObject(
            PutObjectRequest.newBuilder()
                .bucket(B)
                .key("plain.bin")
                .body(BinaryData.fromBytes(plain))
                .build());
    assertThatThrownBy(() -> readAll(cse.getObject(B, "plain.bin", null)))
        .isInstanceOf(UnencryptedObjectException.class);
    assertThat(cse.headEnvelope(B, "plain.bin")).isEmpty();
    OssCseV2Client lenient =
        OssCseV2Client.newBuilder()
            .client(bed.client())
            .encryptWith(rsa())
            .allowPlaintextObjects(true)
            .build();
    assertThat(readAll(lenient.getObject(B, "plain.bin", null))).isEqualTo(plain);
  }

  @Test
  void rangePastTheEnd_isInvalidByteRange() throws Exception {
    cse.putObject(put("short.bin").body(BinaryData.fromBytes(data(100, 13))).build());
    assertThatThrownBy(() -> readAll(cse.getObject(B, "short.bin", ByteRange.of(100, 200))))
        .isInstanceOf(InvalidByteRangeException.class);
  }

  @Test
  void corruptedBodyInTransit_failsTheWholeRead() throws Exception {
    byte[] plain = data(80_000, 14);
    cse.putObject(put("corrupt.bin").body(BinaryData.fromBytes(plain)).build());
    bed.server().faults().corruptGetBodyAt(40_000, 20, RequestMatcher.key("corrupt.bin"));
    OssCseV2Client noRetry =
        OssCseV2Client.newBuilder()
            .client(bed.client())
            .encryptWith(rsa())
            .retryPolicy(dev.osscse.provider.RetryPolicy.none())
            .build();
    assertThatThrownBy(() -> readAll(noRetry.getObject(B, "corrupt.bin", null)))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void builder_withoutClient_isRefused() {
    assertThatThrownBy(() -> OssCseV2Client.newBuilder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("client");
    assertThat(OssCseV2Client.range("bytes=-7")).isEqualTo(ByteRange.suffix(7));
    assertThat(OssCseV2Client.range("bytes=5-")).isEqualTo(ByteRange.from(5));
  }

  @Test
  void deleteObject_removesTheObjectAndItsAuthenticationRecord() throws Exception {
    EncryptedStore tagging =
        EncryptedStore.builder(cse.objectStore()).encryptWith(rsa()).authenticate(true).build();
    tagging.put(B, "auth/del.bin", data(3000, 51), null);
    String record = ".oss-cse-auth/auth/del.bin"; // docs/format.md FMT-26
    assertThat(bed.client().doesObjectExist(B, record)).isTrue();
    cse.deleteObject(B, "auth/del.bin");
    assertThat(bed.client().doesObjectExist(B, "auth/del.bin")).isFalse();
    assertThat(bed.client().doesObjectExist(B, record)).isFalse();
  }
}
