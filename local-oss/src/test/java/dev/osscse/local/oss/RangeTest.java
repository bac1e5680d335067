package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeTest {
  static final int SIZE = 1000;
  @TempDir static Path dir;
  static LocalOssServer server;
  static OSS client;
  static RawOss raw;
  static byte[] data;

  @BeforeAll
  static void start() {
    server = LocalOssServer.builder().dataDirectory(dir).credentials("ak", "sk").build().start();
    server.createBucket("bkt");
    client = new OSSClientBuilder().build(server.endpoint(), "ak", "sk");
    raw = new RawOss(server.endpoint(), "ak", "sk");
    data = ObjectRoundTripTest.bytes(SIZE, 7);
    client.putObject("bkt", "obj", new ByteArrayInputStream(data));
  }

  @AfterAll
  static void stop() {
    raw.close();
    client.shutdown();
    server.close();
  }

  @SuppressWarnings("ArrayRecordComponent") // test-local value, never compared as a whole
  record Got(int status, String contentRange, byte[] body) {}

  static Got get(long start, long end, boolean standard) throws Exception {
    GetObjectRequest r = new GetObjectRequest("bkt", "obj");
    r.setRange(start, end);
    if (standard) {
      r.addHeader("x-oss-range-behavior", "standard");
    }
    try (OSSObject o = client.getObject(r);
        InputStream in = o.getObjectContent()) {
      byte[] b = in.readAllBytes();
      Object cr = o.getObjectMetadata().getRawMetadata().get("Content-Range");
      return new Got(cr == null ? 200 : 206, cr == null ? null : cr.toString(), b);
    }
  }

  static byte[] slice(int from, int toInclusive) {
    return Arrays.copyOfRange(data, from, toInclusive + 1);
  }

  @Test
  void range_valid_is206WithContentRange() throws Exception {
    for (boolean standard : new boolean[] {false, true}) {
      Got g = get(10, 19, standard);
      assertThat(g.status()).isEqualTo(206);
      assertThat(g.contentRange()).isEqualTo("bytes 10-19/1000");
      assertThat(g.body()).isEqualTo(slice(10, 19));
    }
  }

  @Test
  void range_openEnded_servesTail() throws Exception {
    Got g = get(990, -1, false);
    assertThat(g.contentRange()).isEqualTo("bytes 990-999/1000");
    assertThat(g.body()).isEqualTo(slice(990, 999));
  }

  @Test
  void range_suffix_servesLastBytes() throws Exception {
    Got g = get(-1, 5, false);
    assertThat(g.contentRange()).isEqualTo("bytes 995-999/1000");
    assertThat(g.body()).isEqualTo(slice(995, 999));
  }

  @Test
  void range_endPastEof_legacyWholeObject_standardClamped() throws Exception {
    Got legacy = get(500, 2000, false);
    assertThat(legacy.status()).isEqualTo(200);
    assertThat(legacy.body()).isEqualTo(data);
    Got standard = get(500, 2000, true);
    assertThat(standard.contentRange()).isEqualTo("bytes 500-999/1000");
    assertThat(standard.body()).isEqualTo(slice(500, 999));
  }

  @Test
  void range_startPastEof_legacyWholeObject_standard416() throws Exception {
    Got legacy = get(1000, 2000, false);
    assertThat(legacy.status()).isEqualTo(200);
    assertThat(legacy.body()).isEqualTo(data);
    assertThatThrownBy(() -> get(1000, 2000, true))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InvalidRange"));
  }

  @Test
  void range_reversedOrMalformed_ignored() throws Exception {
    for (String range : new String[] {"bytes=20-10", "byte=0-1", "bytes=a-b", "bytes=-", "bytes"}) {
      RawOss.Reply r = raw.get("/bkt/obj", "/bkt/obj", Map.of("Range", range));
      assertThat(r.status()).as(range).isEqualTo(200);
      assertThat(r.header("Content-Length")).as(range).isEqualTo("1000");
    }
  }

  @Test
  void range_multiRange_legacyIgnored_standard416() throws Exception {
    RawOss.Reply legacy = raw.get("/bkt/obj", "/bkt/obj", Map.of("Range", "bytes=0-1,5-6"));
    assertThat(legacy.status()).isEqualTo(200);
    RawOss.Reply standard =
        raw.get(
            "/bkt/obj",
            "/bkt/obj",
            Map.of("Range", "bytes=0-1,5-6", "x-oss-range-behavior", "standard"));
    assertThat(standard.status()).isEqualTo(416);
    assertThat(standard.body()).contains("<Code>InvalidRange</Code>");
  }

  @Test
  void range_suffixLongerThanObject_legacyWhole_standardWhole206() throws Exception {
    RawOss.Reply legacy = raw.get("/bkt/obj", "/bkt/obj", Map.of("Range", "bytes=-5000"));
    assertThat(legacy.status()).isEqualTo(200);
    RawOss.Reply standard =
        raw.get(
            "/bkt/obj",
            "/bkt/obj",
            Map.of("Range", "bytes=-5000", "x-oss-range-behavior", "standard"));
    assertThat(standard.status()).isEqualTo(206);
    assertThat(standard.header("Content-Range")).isEqualTo("bytes 0-999/1000");
  }

  @Test
  void rangeParser_table() {
    assertThat(ObjectHandler.range("bytes=0-0", null, 10)).containsExactly(0, 0);
    assertThat(ObjectHandler.range("bytes=9-", null, 10)).containsExactly(9, 9);
    assertThat(ObjectHandler.range("bytes=-10", null, 10)).containsExactly(0, 9);
    assertThat(ObjectHandler.range("bytes=0-9", null, 10)).containsExactly(0, 9);
    assertThat(ObjectHandler.range("bytes=0-10", null, 10)).isNull();
    assertThat(ObjectHandler.range("bytes=0-10", "standard", 10)).containsExactly(0, 9);
    assertThat(ObjectHandler.range("bytes=0-0", null, 0)).isNull();
    assertThatThrownBy(() -> ObjectHandler.range("bytes=0-0", "standard", 0))
        .isInstanceOf(OssError.class);
    assertThat(ObjectHandler.range("bytes=99999999999999999999-", null, 10)).isNull();
  }
}
