package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The binding over the real SDK client and the local OSS endpoint on 127.0.0.1. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OssCseClientTest {
  static final String B = LocalOssFixture.BUCKET;

  @TempDir static Path dir;
  LocalOssFixture oss;
  OssCseClient cse;
  MasterKey master;

  @BeforeAll
  void start() {
    oss = new LocalOssFixture(dir.resolve("store"));
    master = MasterKey.rsa(TestKeys.rsa(), Map.of("desc", "unit"));
    cse = OssCseClient.builder(oss.client()).encryptWith(master).build();
  }

  @AfterAll
  void stop() {
    oss.close();
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  byte[] raw(String key) throws Exception {
    try (OSSObject o = oss.client().getObject(B, key);
        InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  byte[] read(String key, ByteRange range) throws Exception {
    try (UnauthenticatedObjectStream in = cse.getObject(B, key, range)) {
      byte[] out = in.readAllBytes();
      assertThat(out).hasSize((int) in.length());
      return out;
    }
  }

  @Test
  void putGet_sizes_roundTripAndStoreCiphertext_FMT5() throws Exception {
    for (int size : new int[] {0, 1, 15, 16, 17, 100 * 1024 + 3, 3 * 1024 * 1024 + 5}) {
      byte[] plain = data(size, size);
      String key = "sizes/" + size;
      cse.putObject(B, key, plain, null);
      assertThat(read(key, null)).as("size %d", size).isEqualTo(plain);
      byte[] stored = raw(key);
      assertThat(stored).hasSize(size);
      if (size >= 16) {
        assertThat(stored).isNotEqualTo(plain);
      }
    }
  }

  @Test
  void put_fromStreamAndFile_andMetadataIsTheSdkEnvelope_FMT1_FMT8() throws Exception {
    byte[] plain = data(70_000, 7);
    ObjectMetadata md = new ObjectMetadata();
    md.addUserMetadata("owner", "me");
    md.setContentType("application/x-test");
    md.setContentMD5("XrY7u+Ae7tCTyyK7j1rNww==");
    cse.putObject(B, "stream", new ByteArrayInputStream(plain), md);
    Path f = dir.resolve("in.bin");
    Files.write(f, plain);
    cse.putObject(B, "file", f, null);
    assertThat(read("stream", null)).isEqualTo(plain);
    assertThat(read("file", null)).isEqualTo(plain);

    ObjectMetadata head = oss.client().getObjectMetadata(B, "stream");
    Map<String, String> user = head.getUserMetadata();
    assertThat(user).containsEntry("owner", "me");
    assertThat(user.get(MetadataKeys.CEK_ALG)).isEqualTo("AES/CTR/NoPadding");
    assertThat(user.get(MetadataKeys.WRAP_ALG)).isEqualTo("RSA/NONE/PKCS1Padding");
    assertThat(user.get(MetadataKeys.MATDESC)).isEqualTo("{\"desc\":\"unit\"}");
    assertThat(user.get(MetadataKeys.UNENCRYPTED_CONTENT_MD5))
        .isEqualTo("XrY7u+Ae7tCTyyK7j1rNww==");
    assertThat(Base64.getDecoder().decode(user.get(MetadataKeys.KEY))).hasSize(256);
    assertThat(Base64.getDecoder().decode(user.get(MetadataKeys.START))).hasSize(256);
    assertThat(head.getContentType()).isEqualTo("application/x-test");
    assertThat(oss.client().getObjectMetadata(B, "file").getUserMetadata())
        .containsEntry(MetadataKeys.UNENCRYPTED_CONTENT_LENGTH, "70000")
        .doesNotContainKey(MetadataKeys.UNENCRYPTED_CONTENT_MD5);
  }

  @Test
  void put_declaredLengthWrong_failsAndStoresNothing() {
    ObjectMetadata md = new ObjectMetadata();
    md.setContentLength(10);
    assertThatThrownBy(() -> cse.putObject(B, "short", new ByteArrayInputStream(new byte[5]), md))
        .isNotNull();
    assertThat(oss.client().doesObjectExist(B, "short")).isFalse();
  }

  @Test
  void put_reservedUserMetadata_isRefused_FMT17() {
    ObjectMetadata md = new ObjectMetadata();
    md.addUserMetadata("client-side-encryption-key", "forged");
    assertThatThrownBy(() -> cse.putObject(B, "forged", new byte[3], md))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangedGet_matrixAgainstPlaintext_FMT18_FMT19_FMT20() throws Exception {
    int size = 100 * 1024 + 3;
    byte[] plain = data(size, 42);
    cse.putObject(B, "ranges", plain, null);
    Random r = new Random(1);
    for (int i = 0; i < 40; i++) {
      int a = r.nextInt(size);
      int b = Math.min(size - 1, a + r.nextInt(5000));
      assertThat(read("ranges", ByteRange.of(a, b)))
          .as("%d-%d", a, b)
          .isEqualTo(Arrays.copyOfRange(plain, a, b + 1));
    }
    for (int n : new int[] {1, 5, 15, 16, 17, 1000, size, size + 100}) {
      assertThat(read("ranges", ByteRange.suffix(n)))
          .as("-%d", n)
          .isEqualTo(Arrays.copyOfRange(plain, Math.max(0, size - n), size));
    }
    for (int a : new int[] {0, 1, 15, 16, 17, size - 1}) {
      assertThat(read("ranges", ByteRange.from(a)))
          .as("%d-", a)
          .isEqualTo(Arrays.copyOfRange(plain, a, size));
    }
    assertThat(read("ranges", ByteRange.of(0, 0))).containsExactly(plain[0]);
    assertThat(read("ranges", ByteRange.of(size - 1, size - 1))).containsExactly(plain[size - 1]);
    assertThat(read("ranges", ByteRange.of(size - 10, size + 1000)))
        .isEqualTo(Arrays.copyOfRange(plain, size - 10, size));
  }

  @Test
  void rangedGet_pastEof_isOssInvalidRange_FMT20() throws Exception {
    cse.putObject(B, "small", new byte[100], null);
    assertThatThrownBy(() -> read("small", ByteRange.of(100, 200)))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InvalidRange"));
    assertThatThrownBy(() -> read("small", ByteRange.from(5000))).isInstanceOf(OSSException.class);
  }

  @Test
  void rangedGet_streamMetadataDescribesThePlaintextRange() throws Exception {
    cse.putObject(B, "meta", new byte[1000], null);
    try (UnauthenticatedObjectStream in = cse.getObject(B, "meta", ByteRange.parse("-10"))) {
      assertThat(in.firstByte()).isEqualTo(990);
      assertThat(in.length()).isEqualTo(10);
      assertThat(in.objectSize()).isEqualTo(1000);
      assertThat(in.isEncrypted()).isTrue();
      assertThat(OssCseClient.objectMetadata(in).getContentLength()).isEqualTo(10);
      assertThat(OssCseClient.objectMetadata(in).getRawMetadata().get("Content-Range"))
          .isEqualTo("bytes 990-999/1000");
    }
  }

  @Test
  void get_plaintextObject_isRefusedUnlessAllowed_FMT23() throws Exception {
    byte[] plain = data(100, 3);
    oss.client().putObject(B, "plain", new ByteArrayInputStream(plain));
    assertThatThrownBy(() -> read("plain", null)).isInstanceOf(UnencryptedObjectException.class);
    OssCseClient lenient =
        OssCseClient.builder(oss.client()).encryptWith(master).allowPlaintextObjects(true).build();
    try (UnauthenticatedObjectStream in = lenient.getObject(B, "plain", ByteRange.of(17, 20))) {
      assertThat(in.isEncrypted()).isFalse();
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, 17, 21));
    }
  }

  @Test
  void get_withWrongMasterKey_failsUniformly_FMT22() throws Exception {
    cse.putObject(B, "wrongkey", new byte[10], null);
    OssCseClient other =
        OssCseClient.builder(oss.client())
            .encryptWith(MasterKey.rsa(TestKeys.otherRsa(), Map.of("desc", "unit")))
            .build();
    assertThatThrownBy(() -> other.getObject(B, "wrongkey"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage(EnvelopeCrypto.UNWRAP_FAILED);
  }

  @Test
  void get_selectsMasterKeyByMatDesc_andMissIsClear_FMT7() throws Exception {
    MasterKey old = MasterKey.rsa(TestKeys.otherRsa(), Map.of("gen", "1"));
    OssCseClient oldWriter = OssCseClient.builder(oss.client()).encryptWith(old).build();
    oldWriter.putObject(B, "gen1", new byte[] {1, 2, 3}, null);
    OssCseClient reader =
        OssCseClient.builder(oss.client())
            .encryptWith(master)
            .decryptWith(MasterKeyRing.builder().add(old).defaultKey(master).build())
            .build();
    assertThat(reader.getObject(B, "gen1").readAllBytes()).containsExactly(1, 2, 3);
    OssCseClient noOld =
        OssCseClient.builder(oss.client())
            .decryptWith(MasterKeyRing.of(MasterKey.rsa(TestKeys.rsa(), Map.of("gen", "2"))))
            .build();
    assertThatThrownBy(() -> noOld.getObject(B, "gen1"))
        .isInstanceOf(NoMatchingMasterKeyException.class)
        .hasMessageContaining("matdesc");
  }

  @Test
  void get_malformedEnvelope_isEnvelopeException_FMT11() throws Exception {
    ObjectMetadata md = new ObjectMetadata();
    md.addUserMetadata(MetadataKeys.KEY, "AAAA");
    oss.client().putObject(B, "broken", new ByteArrayInputStream(new byte[4]), md);
    assertThatThrownBy(() -> read("broken", null))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e ->
                assertThat(e.field())
                    .isIn(MetadataKeys.START, MetadataKeys.CEK_ALG, MetadataKeys.WRAP_ALG));
  }

  @Test
  void download_wholeAndRange_verifiedAndAtomic() throws Exception {
    byte[] plain = data(300_000, 9);
    cse.putObject(B, "dl", plain, null);
    Path target = dir.resolve("out/dl.bin");
    Files.createDirectories(target.getParent());
    cse.downloadObject(B, "dl", target);
    assertThat(Files.readAllBytes(target)).isEqualTo(plain);
    cse.downloadObject(
        new com.aliyun.oss.model.GetObjectRequest(B, "dl"), ByteRange.of(5, 99), target);
    assertThat(Files.readAllBytes(target)).isEqualTo(Arrays.copyOfRange(plain, 5, 100));

    oss.client().putObject(B, "dl-plain", new ByteArrayInputStream(new byte[10]));
    assertThatThrownBy(() -> cse.downloadObject(B, "dl-plain", target))
        .isInstanceOf(UnencryptedObjectException.class);
    assertThat(Files.readAllBytes(target)).isEqualTo(Arrays.copyOfRange(plain, 5, 100));
    try (var files = Files.list(target.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dl.bin");
    }
  }

  @Test
  void download_wrongCrcOrTruncatedBody_failsAndLeavesTargetUntouched_FMT21() throws Exception {
    byte[] plain = data(200_000, 10);
    cse.putObject(B, "faulty", plain, null);
    Path target = dir.resolve("faulty/out.bin");
    Files.createDirectories(target.getParent());
    Files.write(target, new byte[] {9});
    // One more fault than the download's retries and restarts allow.
    oss.server()
        .faults()
        .wrongCrcNext(
            EncryptedStore.DOWNLOAD_RESTARTS + 1, RequestMatcher.methodAndKey("GET", "faulty"));
    assertThatThrownBy(() -> cse.downloadObject(B, "faulty", target)).isNotNull();
    oss.server()
        .faults()
        .truncateGetBodyAfter(
            1000,
            EncryptedStore.DEFAULT_READ_RETRIES + 1,
            RequestMatcher.methodAndKey("GET", "faulty"));
    assertThatThrownBy(() -> cse.downloadObject(B, "faulty", target))
        .isInstanceOf(java.io.IOException.class);
    oss.server().faults().clear();
    assertThat(Files.readAllBytes(target)).containsExactly(9);
    try (var files = Files.list(target.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.bin");
    }
    cse.downloadObject(B, "faulty", target);
    assertThat(Files.readAllBytes(target)).isEqualTo(plain);
  }

  @Test
  void get_truncatedRangedBody_resumesOnceOrFailsStickily_FMT20() throws Exception {
    byte[] plain = data(100_000, 11);
    cse.putObject(B, "trunc", plain, null);
    oss.server().faults().truncateGetBodyAfter(500, 1, RequestMatcher.methodAndKey("GET", "trunc"));
    try (UnauthenticatedObjectStream in = cse.getObject(B, "trunc", ByteRange.of(10, 50_000))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, 10, 50_001));
    } finally {
      oss.server().faults().clear();
    }
    // One more truncation than the stream's resumes allow.
    oss.server()
        .faults()
        .truncateGetBodyAfter(
            500,
            EncryptedStore.DEFAULT_READ_RETRIES + 1,
            RequestMatcher.methodAndKey("GET", "trunc"));
    try (UnauthenticatedObjectStream in = cse.getObject(B, "trunc", ByteRange.of(10, 50_000))) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(java.io.IOException.class);
      assertThatThrownBy(in::read).isInstanceOf(java.io.IOException.class);
    } finally {
      oss.server().faults().clear();
    }
  }

  @Test
  void put_serverReportsWrongCrc_failsAndDeletesObject_FMT21() throws Exception {
    oss.server().faults().wrongCrcNext(1, RequestMatcher.methodAndKey("PUT", "badcrc"));
    try {
      assertThatThrownBy(() -> cse.putObject(B, "badcrc", data(1000, 12), null)).isNotNull();
    } finally {
      oss.server().faults().clear();
    }
    assertThat(oss.client().doesObjectExist(B, "badcrc")).isFalse();
  }

  @Test
  void getObject_callersRequestIsNotChanged() throws Exception {
    cse.putObject(B, "req", data(100, 13), null);
    com.aliyun.oss.model.GetObjectRequest req = new com.aliyun.oss.model.GetObjectRequest(B, "req");
    req.setRange(3, 7);
    try (UnauthenticatedObjectStream in = cse.getObject(req, ByteRange.of(17, 20))) {
      assertThat(in.readAllBytes()).hasSize(4);
    }
    assertThat(req.getRange()).containsExactly(3, 7);
    assertThat(req.getHeaders()).doesNotContainKey("x-oss-range-behavior");
  }

  @Test
  void put_retriedAfter503_resendsTheSameCiphertext() throws Exception {
    com.aliyun.oss.ClientBuilderConfiguration conf =
        new com.aliyun.oss.ClientBuilderConfiguration();
    conf.setMaxErrorRetry(2);
    com.aliyun.oss.OSS retrying =
        new com.aliyun.oss.OSSClientBuilder()
            .build(oss.endpoint(), LocalOssFixture.AK, LocalOssFixture.SK, conf);
    try {
      OssCseClient c = OssCseClient.builder(retrying).encryptWith(master).build();
      byte[] plain = data(3_000_000, 14);
      oss.server().faults().failNext(1, 503, RequestMatcher.methodAndKey("PUT", "retry-bytes"));
      c.putObject(B, "retry-bytes", plain, null);
      Path f = dir.resolve("retry.bin");
      Files.write(f, plain);
      oss.server().faults().failNext(1, 503, RequestMatcher.methodAndKey("PUT", "retry-file"));
      c.putObject(B, "retry-file", f, null);
      assertThat(oss.server().faults().injectedCount()).isGreaterThanOrEqualTo(2);
      assertThat(read("retry-bytes", null)).isEqualTo(plain);
      assertThat(read("retry-file", null)).isEqualTo(plain);
    } finally {
      oss.server().faults().clear();
      retrying.shutdown();
    }
  }

  @Test
  void headEnvelope_returnsTheEnvelope() throws Exception {
    cse.putObject(B, "head", new byte[33], null);
    Envelope e = cse.headEnvelope(B, "head").orElseThrow();
    assertThat(e.unencryptedLength()).hasValue(33);
    assertThat(e.matDesc()).containsEntry("desc", "unit");
  }
}
