package dev.osscse.oss.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.hash.CRC64;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.spi.ListPartsReader;
import dev.osscse.oss.spi.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OssV2ObjectStore}, port call by port call, with the real V2 client over HTTP against the
 * local endpoint (V4 signatures, path style on 127.0.0.1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OssV2ObjectStoreTest {
  static final String B = LocalV2Bed.BUCKET;
  static final int PART = 100 * 1024;

  @TempDir static Path dir;
  LocalV2Bed bed;
  OssV2ObjectStore store;

  @BeforeAll
  void start() {
    bed = new LocalV2Bed(dir);
    store = new OssV2ObjectStore(bed.client());
  }

  @AfterAll
  void stop() throws Exception {
    bed.close();
  }

  @AfterEach
  void clearFaults() {
    bed.server().faults().clear();
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static long crc(byte[] b) {
    CRC64 c = new CRC64();
    c.update(b, 0, b.length);
    return c.getValue();
  }

  ObjectStore.Written put(String key, byte[] body, Map<String, String> user) throws IOException {
    return store.put(
        B,
        key,
        new ObjectStore.Metadata(Map.of("Content-Type", "application/x-test"), user),
        new ByteArrayInputStream(body),
        body.length);
  }

  static byte[] read(ObjectStore.Reply reply) throws IOException {
    try (InputStream in = reply.body()) {
      return in.readAllBytes();
    } finally {
      reply.close(true);
    }
  }

  @Test
  void put_thenHead_givesSizeEtagCrcAndUserMetadata() throws Exception {
    byte[] body = data(10_007, 1);
    ObjectStore.Written w = put("put/one", body, Map.of("owner", "v2"));
    assertThat(w.etag()).isNotBlank();
    assertThat(w.serverCrc64()).isEqualTo(crc(body));
    assertThat(w.sentCrc64()).isNull(); // computesBodyCrc() is false: the core counts its own
    assertThat(store.computesBodyCrc()).isFalse();

    ObjectStore.Head h = store.head(B, "put/one");
    assertThat(h.contentLength()).isEqualTo(body.length);
    assertThat(h.etag()).isEqualTo(w.etag());
    assertThat(h.serverCrc64()).isEqualTo(crc(body));
    assertThat(h.userMetadata()).containsEntry("owner", "v2");
    assertThat(h.headers()).containsEntry("Content-Type", "application/x-test");
  }

  @Test
  void put_ofUnknownLength_isSentChunkedAndStoredWhole() throws Exception {
    byte[] body = data(70_001, 2);
    ObjectStore.Written w =
        store.put(
            B,
            "put/chunked",
            new ObjectStore.Metadata(Map.of(), Map.of()),
            new ByteArrayInputStream(body),
            -1);
    assertThat(w.serverCrc64()).isEqualTo(crc(body));
    assertThat(read(store.source(B, "put/chunked").get(-1, -1, null))).isEqualTo(body);
  }

  @Test
  void put_whenServerCrcDisagrees_isBodyCrcMismatch() throws Exception {
    bed.server().faults().wrongCrcNext(1, RequestMatcher.methodAndKey("PUT", "put/badcrc"));
    assertThatThrownBy(() -> put("put/badcrc", data(5000, 3), Map.of()))
        .isInstanceOf(ObjectStore.BodyCrcMismatchException.class);
  }

  @Test
  void get_everyRangeForm_returnsTheBytesContentRangeAndCrcOfWhatWasRead() throws Exception {
    byte[] body = data(50_000, 4);
    ObjectStore.Written w = put("get/ranges", body, Map.of("k", "v"));
    ObjectStore.Source src = store.source(B, "get/ranges");

    ObjectStore.Reply whole = src.get(-1, -1, null);
    assertThat(whole.contentRange()).isNull();
    assertThat(whole.contentLength()).isEqualTo(body.length);
    assertThat(whole.etag()).isEqualTo(w.etag());
    assertThat(whole.serverCrc64()).isEqualTo(crc(body));
    assertThat(whole.userMetadata()).containsEntry("k", "v");
    assertThat(whole.headers()).containsEntry("Content-Type", "application/x-test");
    assertThat(read(whole)).isEqualTo(body);
    assertThat(whole.bodyCrc64().getValue()).isEqualTo(crc(body));

    ObjectStore.Reply ab = src.get(100, 199, null);
    assertThat(ab.contentRange()).isEqualTo("bytes 100-199/50000");
    assertThat(read(ab)).isEqualTo(Arrays.copyOfRange(body, 100, 200));
    assertThat(ab.bodyCrc64().getValue()).isEqualTo(crc(Arrays.copyOfRange(body, 100, 200)));

    ObjectStore.Reply open = src.get(49_990, -1, null);
    assertThat(open.contentRange()).isEqualTo("bytes 49990-49999/50000");
    assertThat(read(open)).isEqualTo(Arrays.copyOfRange(body, 49_990, 50_000));

    ObjectStore.Reply suffix = src.get(-1, 7, null);
    assertThat(suffix.contentRange()).isEqualTo("bytes 49993-49999/50000");
    assertThat(read(suffix)).isEqualTo(Arrays.copyOfRange(body, 49_993, 50_000));
  }

  @Test
  void get_pastTheEnd_isAStandard416ServiceErrorThatNoRetryCures() throws Exception {
    put("get/short", data(100, 5), Map.of());
    ObjectStore.Source src = store.source(B, "get/short");
    Throwable t = catchFailure(() -> src.get(500, 600, null));
    assertThat(store.isServiceError(t)).isTrue();
    assertThat(store.isTransient(t)).isFalse();
    assertThat(OssV2ObjectStore.errorCode(t)).isEqualTo("InvalidRange");
  }

  @Test
  void get_withStaleIfMatch_isObjectChanged_notTransient() throws Exception {
    ObjectStore.Written first = put("get/changing", data(1000, 6), Map.of());
    put("get/changing", data(1000, 7), Map.of());
    ObjectStore.Source src = store.source(B, "get/changing");
    Throwable t = catchFailure(() -> src.get(0, 99, first.etag()));
    assertThat(t).isInstanceOf(ObjectStore.ObjectChangedException.class);
    assertThat(store.isTransient(t)).isFalse();
    // With the current ETag the same GET succeeds.
    String now = store.head(B, "get/changing").etag();
    assertThat(read(src.get(0, 99, now))).hasSize(100);
  }

  @Test
  void source_copiesTheCallersRequestButNotItsRange() throws Exception {
    byte[] body = data(2000, 8);
    put("get/template", body, Map.of());
    GetObjectRequest template =
        GetObjectRequest.newBuilder()
            .bucket(B)
            .key("get/template")
            .range("bytes=0-9")
            .responseContentType("text/x-override")
            .build();
    ObjectStore.Source src = store.source(template);
    assertThat(src.bucket()).isEqualTo(B);
    assertThat(src.key()).isEqualTo("get/template");
    assertThat(read(src.get(10, 19, null))).isEqualTo(Arrays.copyOfRange(body, 10, 20));
    // A caller condition that fails is the caller's own failure, not ObjectChangedException.
    GetObjectRequest conditional =
        GetObjectRequest.newBuilder().bucket(B).key("get/template").ifMatch("\"nope\"").build();
    Throwable t = catchFailure(() -> store.source(conditional).get(-1, -1, null));
    assertThat(t).isNotInstanceOf(ObjectStore.ObjectChangedException.class);
    assertThat(OssV2ObjectStore.errorCode(t)).isEqualTo("PreconditionFailed");
  }

  @Test
  void reply_closedIncomplete_abortsWithoutDraining() throws Exception {
    put("get/abort", data(300_000, 9), Map.of());
    ObjectStore.Reply r = store.source(B, "get/abort").get(-1, -1, null);
    assertThat(r.body().read()).isNotNegative();
    r.close(false);
    // The client stays usable afterwards.
    assertThat(store.head(B, "get/abort").contentLength()).isEqualTo(300_000);
  }

  @Test
  void multipart_initiateUploadListCompleteWithClientEncryptionFields() throws Exception {
    Map<String, String> cse =
        Map.of(
            "client-side-encryption-key", "a2V5",
            "client-side-encryption-start", "c3RhcnQ=",
            "client-side-encryption-cek-alg", "AES/CTR/NoPadding",
            "client-side-encryption-wrap-alg", "RSA/NONE/PKCS1Padding",
            "client-side-encryption-data-size", "204807",
            "client-side-encryption-part-size", "102400");
    String uploadId =
        store.initiateMultipart(
            B, "mp/one", new ObjectStore.Metadata(Map.of("Content-Type", "x/y"), cse));
    assertThat(uploadId).isNotBlank();
    Map<String, String> partHeaders = new java.util.HashMap<>();
    cse.forEach((k, v) -> partHeaders.put("x-oss-meta-" + k, v));

    byte[] body = data(2 * PART + 7, 10);
    List<ListPartsReader.Part> sent = new ArrayList<>();
    for (int n = 1, off = 0; off < body.length; n++, off += PART) {
      byte[] part = Arrays.copyOfRange(body, off, Math.min(body.length, off + PART));
      ObjectStore.Written w =
          store.uploadPart(
              B, "mp/one", uploadId, n, partHeaders, new ByteArrayInputStream(part), part.length);
      assertThat(w.serverCrc64()).isEqualTo(crc(part));
      sent.add(new ListPartsReader.Part(n, w.etag(), part.length, w.serverCrc64()));
    }

    ListPartsReader.Listing listing = store.listParts(B, "mp/one", uploadId);
    assertThat(listing.parts()).containsExactlyElementsOf(sent);
    assertThat(listing.cseUserMetadata()).containsAllEntriesOf(cse);
    assertThat(store.uploadFields(B, "mp/one", uploadId)).containsAllEntriesOf(cse);

    ObjectStore.UploadPage page = store.listUploads(B, "mp/", null, null);
    assertThat(page.uploads())
        .extracting(ObjectStore.Upload::key, ObjectStore.Upload::uploadId)
        .contains(org.assertj.core.groups.Tuple.tuple("mp/one", uploadId));
    assertThat(page.truncated()).isFalse();

    ObjectStore.Written done = store.completeMultipart(B, "mp/one", uploadId, sent);
    assertThat(done.etag()).isNotBlank();
    assertThat(done.serverCrc64()).isEqualTo(crc(body));
    assertThat(read(store.source(B, "mp/one").get(-1, -1, null))).isEqualTo(body);
    assertThat(store.head(B, "mp/one").userMetadata()).containsAllEntriesOf(cse);
  }

  @Test
  void multipart_abort_discardsTheUpload() throws Exception {
    String uploadId =
        store.initiateMultipart(B, "mp/aborted", new ObjectStore.Metadata(Map.of(), Map.of()));
    byte[] part = data(PART, 11);
    store.uploadPart(
        B, "mp/aborted", uploadId, 1, Map.of(), new ByteArrayInputStream(part), part.length);
    store.abortMultipart(B, "mp/aborted", uploadId);
    Throwable t = catchFailure(() -> store.listParts(B, "mp/aborted", uploadId));
    assertThat(OssV2ObjectStore.errorCode(t)).isEqualTo("NoSuchUpload");
    assertThat(store.isTransient(t)).isFalse();
    assertThat(store.listUploads(B, "mp/aborted", null, null).uploads()).isEmpty();
  }

  @Test
  void delete_removesTheObject_andAMissingOneIsNoError() throws Exception {
    put("del/one", data(10, 12), Map.of());
    store.delete(B, "del/one");
    Throwable t = catchFailure(() -> store.head(B, "del/one"));
    assertThat(store.isServiceError(t)).isTrue();
    assertThat(store.isTransient(t)).isFalse();
    store.delete(B, "del/one");
  }

  @Test
  void isTransient_5xxAndNetworkFailuresAre_clientErrorsAreNot() throws Exception {
    put("t/one", data(10, 13), Map.of());
    bed.server().faults().failNext(1, 503, RequestMatcher.methodAndKey("GET", "t/one"));
    Throwable unavailable = catchFailure(() -> store.source(B, "t/one").get(-1, -1, null));
    assertThat(store.isServiceError(unavailable)).isTrue();
    assertThat(store.isTransient(unavailable)).isTrue();

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (OSSClient nowhere = LocalV2Bed.client("http://127.0.0.1:" + closedPort)) {
      OssV2ObjectStore offline = new OssV2ObjectStore(nowhere);
      Throwable refused = catchFailure(() -> offline.head(B, "t/one"));
      assertThat(offline.isServiceError(refused)).isFalse();
      assertThat(offline.isTransient(refused)).isTrue();
    }

    Throwable missing = catchFailure(() -> store.source(B, "t/absent").get(-1, -1, null));
    assertThat(OssV2ObjectStore.errorCode(missing)).isEqualTo("NoSuchKey");
    assertThat(store.isTransient(missing)).isFalse();
    assertThat(store.isTransient(new IllegalArgumentException("bad"))).isFalse();
  }

  @Test
  void crc64_combineMatchesTheCrcOfTheConcatenation() {
    byte[] a = data(1234, 14);
    byte[] b = data(777, 15);
    byte[] ab = new byte[a.length + b.length];
    System.arraycopy(a, 0, ab, 0, a.length);
    System.arraycopy(b, 0, ab, a.length, b.length);
    java.util.zip.Checksum c = store.newCrc64();
    c.update(ab, 0, ab.length);
    assertThat(c.getValue()).isEqualTo(crc(ab));
    assertThat(store.combineCrc64(crc(a), crc(b), b.length)).isEqualTo(crc(ab));
  }

  @Test
  void httpRange_formsOfThePort() {
    assertThat(OssV2ObjectStore.httpRange(5, 9)).isEqualTo("bytes=5-9");
    assertThat(OssV2ObjectStore.httpRange(5, -1)).isEqualTo("bytes=5-");
    assertThat(OssV2ObjectStore.httpRange(-1, 9)).isEqualTo("bytes=-9");
  }

  interface Call {
    void run() throws Exception;
  }

  static Throwable catchFailure(Call call) {
    try {
      call.run();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
