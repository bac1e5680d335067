package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadPartRequest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-side client-side-encryption checks (docs/format.md FMT-24). */
class CseRulesTest {
  static final String P = "client-side-encryption-";
  @TempDir Path dir;
  TestBed bed;
  LocalOssServer server;
  OSS client;

  @BeforeEach
  void start() {
    bed = TestBed.start(dir, b -> b.minPartSize(0));
    server = bed.server();
    client = bed.client();
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  static Map<String, String> cse(long dataSize, long partSize) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(P + "key", "a2V5");
    m.put(P + "start", "c3RhcnQ=");
    m.put(P + "cek-alg", "AES/CTR/NoPadding");
    m.put(P + "wrap-alg", "RSA/NONE/PKCS1Padding");
    if (dataSize >= 0) {
      m.put(P + "data-size", Long.toString(dataSize));
    }
    if (partSize >= 0) {
      m.put(P + "part-size", Long.toString(partSize));
    }
    return m;
  }

  static void assertCode(ThrowingCallable call, String code, String ec) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            OSSException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(code);
              if (ec != null) {
                assertThat(e.getEC()).isEqualTo(ec);
              }
            });
  }

  private PartETag uploadPart(String id, int n, int len, Map<String, String> headers) {
    UploadPartRequest r =
        new UploadPartRequest("bkt", "k", id, n, new ByteArrayInputStream(new byte[len]), len);
    headers.forEach((k, v) -> r.addHeader("x-oss-meta-" + k, v));
    return client.uploadPart(r).getPartETag();
  }

  @Test
  void initiate_cseWithoutKey_refused401() {
    Map<String, String> m = cse(64, 32);
    m.remove(P + "key");
    assertCode(
        () -> MultipartTest.initiate(client, "k", m), "InvalidEncryptionRequest", "0005-00000401");
  }

  @Test
  void initiate_cseWithoutPartSize_refused407() {
    assertCode(
        () -> MultipartTest.initiate(client, "k", cse(64, -1)),
        "InvalidEncryptionRequest",
        "0005-00000407");
  }

  @Test
  void initiate_partSizeNotMultipleOf16_refused() {
    assertCode(
        () -> MultipartTest.initiate(client, "k", cse(64, 33)), "InvalidEncryptionRequest", null);
  }

  @Test
  void initiate_dataSizeNotInteger_refused408() {
    Map<String, String> m = cse(-1, 32);
    m.put(P + "data-size", "9x5.2");
    assertCode(
        () -> MultipartTest.initiate(client, "k", m), "InvalidEncryptionRequest", "0005-00000408");
  }

  @Test
  void initiate_rsaWrapWithoutMagic_refused405() {
    Map<String, String> m = cse(64, 32);
    m.put(P + "wrap-alg", "rsa");
    assertCode(
        () -> MultipartTest.initiate(client, "k", m), "InvalidEncryptionRequest", "0005-00000405");
  }

  @Test
  void putObject_cseWithoutKey_refused401() {
    ObjectMetadata m = new ObjectMetadata();
    m.addUserMetadata(P + "start", "c3RhcnQ=");
    assertCode(
        () -> client.putObject("bkt", "p", new ByteArrayInputStream(new byte[4]), m),
        "InvalidEncryptionRequest",
        "0005-00000401");
  }

  @Test
  void uploadPart_startDiffersFromInitiate_refused413() {
    String id = MultipartTest.initiate(client, "k", cse(64, 32));
    Map<String, String> h = cse(64, 32);
    h.put(P + "start", "b3RoZXI=");
    assertCode(() -> uploadPart(id, 1, 32, h), "InvalidEncryptionRequest", "0005-00000413");
  }

  @Test
  void uploadPart_keyDiffersFromInitiate_refused() {
    String id = MultipartTest.initiate(client, "k", cse(64, 32));
    Map<String, String> h = cse(64, 32);
    h.put(P + "key", "b3RoZXI=");
    assertCode(() -> uploadPart(id, 1, 32, h), "InvalidEncryptionRequest", null);
  }

  @Test
  void uploadPart_identicalCseHeaders_accepted_andWithoutHeadersAccepted() {
    String id = MultipartTest.initiate(client, "k", cse(40, 32));
    List<PartETag> tags = new ArrayList<>();
    tags.add(uploadPart(id, 1, 32, cse(40, 32)));
    tags.add(uploadPart(id, 2, 8, Map.of()));
    client.completeMultipartUpload(new CompleteMultipartUploadRequest("bkt", "k", id, tags));
    assertThat(client.getObjectMetadata("bkt", "k").getContentLength()).isEqualTo(40);
  }

  @Test
  void uploadPart_withoutCseHeaders_strictServerRefuses(@TempDir Path other) {
    try (LocalOssServer strict =
        LocalOssServer.builder()
            .dataDirectory(other)
            .credentials("ak", "sk")
            .strictCseUploadPart(true)
            .build()
            .start()) {
      strict.createBucket("bkt");
      OSS c = new OSSClientBuilder().build(strict.endpoint(), "ak", "sk");
      try {
        String id = MultipartTest.initiate(c, "k", cse(64, 32));
        assertCode(
            () -> MultipartTest.upload(c, "k", id, 1, new byte[32], 0, 32),
            "InvalidEncryptionRequest",
            "0005-00000401");
      } finally {
        c.shutdown();
      }
    }
  }

  @Test
  void uploadPart_wrongSize_refused420() {
    String id = MultipartTest.initiate(client, "k", cse(72, 32));
    assertCode(() -> uploadPart(id, 1, 16, Map.of()), "InvalidEncryptionRequest", "0005-00000420");
    // last part (3) must be 72 - 2*32 = 8 bytes
    assertCode(() -> uploadPart(id, 3, 16, Map.of()), "InvalidEncryptionRequest", "0005-00000420");
    uploadPart(id, 3, 8, Map.of());
    // no fourth part
    assertCode(() -> uploadPart(id, 4, 8, Map.of()), "InvalidEncryptionRequest", "0005-00000420");
  }

  @Test
  void complete_partNotUploaded_invalidPart() {
    String id = MultipartTest.initiate(client, "k", cse(64, 32));
    List<PartETag> tags = new ArrayList<>();
    tags.add(uploadPart(id, 1, 32, Map.of()));
    tags.add(uploadPart(id, 2, 32, Map.of()));
    tags.add(new PartETag(3, tags.get(1).getETag()));
    assertCode(
        () ->
            client.completeMultipartUpload(
                new CompleteMultipartUploadRequest("bkt", "k", id, tags)),
        "InvalidPart",
        null);
    tags.remove(2);
    client.completeMultipartUpload(new CompleteMultipartUploadRequest("bkt", "k", id, tags));
    assertThat(client.getObjectMetadata("bkt", "k").getContentLength()).isEqualTo(64);
  }

  @Test
  void complete_noDataSize_unequalParts_refused420() {
    String id = MultipartTest.initiate(client, "k", cse(-1, 32));
    List<PartETag> tags = new ArrayList<>();
    tags.add(uploadPart(id, 1, 16, Map.of()));
    tags.add(uploadPart(id, 2, 32, Map.of()));
    assertCode(
        () ->
            client.completeMultipartUpload(
                new CompleteMultipartUploadRequest("bkt", "k", id, tags)),
        "InvalidEncryptionRequest",
        "0005-00000420");
  }

  @Test
  void checkComplete_countAboveDataSize_refused411() {
    // Over HTTP the UploadPart size rule (420) already refuses any part beyond
    // ceil(data-size/part-size), so the Complete-time count check is defence in depth.
    assertThat(Cse.expectedParts(64, 32)).isEqualTo(2);
    assertThatThrownBy(() -> Cse.checkComplete(cse(64, 32), null, new long[] {32, 32, 32}))
        .isInstanceOfSatisfying(OssError.class, e -> assertThat(e.ec).isEqualTo("0005-00000411"));
    assertThatThrownBy(() -> Cse.checkComplete(Map.of(), "1.5", new long[] {1}))
        .isInstanceOfSatisfying(OssError.class, e -> assertThat(e.ec).isEqualTo("0005-00000408"));
    Cse.checkComplete(cse(64, 32), "64", new long[] {32, 32});
  }
}
