package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.DeleteObjectsResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.ResponseHeaderOverrides;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiscOperationsTest {
  @TempDir Path dir;
  TestBed bed;
  LocalOssServer server;
  OSS client;
  RawOss raw;

  @BeforeEach
  void start() {
    bed = TestBed.start(dir, b -> b.minPartSize(0));
    server = bed.server();
    client = bed.client();
    raw = new RawOss(server.endpoint(), "ak", "sk");
  }

  @AfterEach
  void stop() {
    raw.close();
    bed.close();
  }

  @Test
  void deleteObjects_removesAllListed() {
    for (String k : List.of("a", "b", "c")) {
      client.putObject("bkt", k, new ByteArrayInputStream(new byte[1]));
    }
    DeleteObjectsResult r =
        client.deleteObjects(new DeleteObjectsRequest("bkt").withKeys(List.of("a", "c", "zz")));
    assertThat(r.getDeletedObjects()).containsExactlyInAnyOrder("a", "c", "zz");
    assertThat(client.listObjectsV2("bkt").getObjectSummaries())
        .extracting(s -> s.getKey())
        .containsExactly("b");
  }

  @Test
  void getObject_responseHeaderOverrides_applied() throws Exception {
    ObjectMetadata m = new ObjectMetadata();
    m.setContentDisposition("inline");
    client.putObject("bkt", "o", new ByteArrayInputStream(new byte[3]), m);
    GetObjectRequest req = new GetObjectRequest("bkt", "o");
    ResponseHeaderOverrides o = new ResponseHeaderOverrides();
    o.setContentType("text/x-override");
    o.setContentDisposition("attachment; filename=x");
    req.setResponseHeaders(o);
    try (OSSObject got = client.getObject(req)) {
      assertThat(got.getObjectMetadata().getContentType()).isEqualTo("text/x-override");
      assertThat(got.getObjectMetadata().getContentDisposition())
          .isEqualTo("attachment; filename=x");
    }
    assertThat(client.getObjectMetadata("bkt", "o").getContentDisposition()).isEqualTo("inline");
  }

  @Test
  void putObject_forbidOverwrite_refusesExisting() {
    client.putObject("bkt", "once", new ByteArrayInputStream(new byte[1]));
    ObjectMetadata m = new ObjectMetadata();
    m.setHeader("x-oss-forbid-overwrite", "true");
    assertThatThrownBy(
            () -> client.putObject("bkt", "once", new ByteArrayInputStream(new byte[2]), m))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("FileAlreadyExists"));
    assertThat(client.getObjectMetadata("bkt", "once").getContentLength()).isEqualTo(1);
  }

  @Test
  void complete_completeAllHeader_usesEveryUploadedPart() throws Exception {
    String id = MultipartTest.initiate(client, "all", Map.of());
    byte[] data = ObjectRoundTripTest.bytes(30, 1);
    MultipartTest.upload(client, "all", id, 2, data, 10, 20);
    MultipartTest.upload(client, "all", id, 1, data, 0, 10);
    RawOss.Reply r =
        raw.send(
            "POST",
            "/bkt/all?uploadId=" + id,
            "/bkt/all?uploadId=" + id,
            Map.of("x-oss-complete-all", "yes"),
            new byte[0]);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("<ETag>\"").contains("-2\"</ETag>");
    assertThat(r.header("x-oss-hash-crc64ecma")).isNotEmpty();
    assertThat(ObjectRoundTripTest.readAll(client.getObject("bkt", "all"))).isEqualTo(data);
  }

  @Test
  void conditionalGet_ifNoneMatchAndIfMatch() throws Exception {
    String etag = client.putObject("bkt", "c", new ByteArrayInputStream(new byte[5])).getETag();
    RawOss.Reply notModified =
        raw.get("/bkt/c", "/bkt/c", Map.of("If-None-Match", "\"" + etag + "\""));
    assertThat(notModified.status()).isEqualTo(304);
    RawOss.Reply failed = raw.get("/bkt/c", "/bkt/c", Map.of("If-Match", "\"0000\""));
    assertThat(failed.status()).isEqualTo(412);
    assertThat(failed.body()).contains("<Code>PreconditionFailed</Code>");
    assertThat(raw.get("/bkt/c", "/bkt/c", Map.of("If-Match", "\"" + etag + "\"")).status())
        .isEqualTo(200);
  }

  @Test
  void errorReply_hasOssShape() throws Exception {
    RawOss.Reply r = raw.get("/bkt/missing", "/bkt/missing", Map.of());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).startsWith("application/xml");
    assertThat(r.header("x-oss-request-id")).isNotEmpty();
    assertThat(r.header("x-oss-ec")).isEqualTo("0026-00000001");
    assertThat(r.body())
        .contains("<Code>NoSuchKey</Code>")
        .contains("<RequestId>" + r.header("x-oss-request-id") + "</RequestId>")
        .contains("<Key>missing</Key>")
        .contains("<EC>0026-00000001</EC>");
    RawOss.Reply head = raw.send("HEAD", "/nobucket/k", "/nobucket/k", Map.of(), null);
    assertThat(head.status()).isEqualTo(404);
    assertThat(
            new String(
                java.util.Base64.getDecoder().decode(head.header("x-oss-err")),
                java.nio.charset.StandardCharsets.UTF_8))
        .contains("<Code>NoSuchBucket</Code>");
  }

  @Test
  void responses_keepLowercaseUserMetadataNames() throws Exception {
    ObjectMetadata m = new ObjectMetadata();
    m.addUserMetadata("MixedCase-Name", "v");
    client.putObject("bkt", "lc", new ByteArrayInputStream(new byte[1]), m);
    RawOss.Reply r = raw.send("HEAD", "/bkt/lc", "/bkt/lc", Map.of(), null);
    assertThat(r.headers().names()).contains("x-oss-meta-mixedcase-name");
    assertThat(r.header("Content-Length")).isEqualTo("1");
  }
}
