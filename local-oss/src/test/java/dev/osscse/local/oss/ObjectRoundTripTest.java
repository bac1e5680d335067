package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.utils.IOUtils;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectResult;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectRoundTripTest {
  @TempDir Path dir;
  TestBed bed;
  LocalOssServer server;
  OSS client;

  @BeforeEach
  void start() {
    bed = TestBed.start(dir, b -> b);
    server = bed.server();
    client = bed.client();
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] readAll(OSSObject o) throws Exception {
    try (InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  @Test
  void putGetHeadDelete_withUserMetadata_roundTrips() throws Exception {
    byte[] data = bytes(10_000, 1);
    ObjectMetadata meta = new ObjectMetadata();
    meta.addUserMetadata("Client-Side-Encryption-Key", "S0VZ");
    meta.addUserMetadata("plain", "v");
    meta.setContentType("application/x-test");
    PutObjectResult put =
        client.putObject("bkt", "dir/a b+c.bin", new ByteArrayInputStream(data), meta);
    assertThat(put.getETag()).hasSize(32);
    assertThat(put.getRequestId()).isNotEmpty();
    assertThat(put.getServerCRC()).isNotNull();

    OSSObject got = client.getObject("bkt", "dir/a b+c.bin");
    byte[] back = readAll(got);
    assertThat(back).isEqualTo(data);
    assertThat(got.getObjectMetadata().getUserMetadata())
        .containsEntry("client-side-encryption-key", "S0VZ")
        .containsEntry("plain", "v");
    assertThat(got.getObjectMetadata().getContentType()).isEqualTo("application/x-test");
    assertThat(got.getObjectMetadata().getETag()).isEqualTo(put.getETag());

    ObjectMetadata head = client.getObjectMetadata("bkt", "dir/a b+c.bin");
    assertThat(head.getContentLength()).isEqualTo(data.length);
    assertThat(head.getContentMD5())
        .isEqualTo(
            java.util.Base64.getEncoder()
                .encodeToString(java.security.MessageDigest.getInstance("MD5").digest(data)));
    assertThat(head.getUserMetadata()).containsEntry("plain", "v");
    assertThat(head.getServerCRC()).isEqualTo(put.getServerCRC());
    assertThat(client.doesObjectExist("bkt", "dir/a b+c.bin")).isTrue();

    client.deleteObject("bkt", "dir/a b+c.bin");
    assertThat(client.doesObjectExist("bkt", "dir/a b+c.bin")).isFalse();
    assertThatThrownBy(() -> client.getObject("bkt", "dir/a b+c.bin"))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchKey"));
  }

  @Test
  void getObject_missingBucket_isNoSuchBucket() {
    assertThatThrownBy(() -> client.getObject("nobucket", "k"))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchBucket"));
  }

  @Test
  void getObject_streamingCrc_matchesServerCrc() throws Exception {
    client.putObject("bkt", "c", new ByteArrayInputStream(bytes(100_000, 2)));
    OSSObject o = client.getObject("bkt", "c");
    readAll(o);
    assertThat(IOUtils.getCRCValue(o.getObjectContent())).isEqualTo(o.getServerCRC());
  }

  @Test
  void putObject_emptyBody_roundTrips() throws Exception {
    client.putObject("bkt", "empty", new ByteArrayInputStream(new byte[0]));
    assertThat(readAll(client.getObject("bkt", "empty"))).isEmpty();
    assertThat(client.getObjectMetadata("bkt", "empty").getContentLength()).isZero();
  }

  @Test
  void putObject_withContentMd5_checked() {
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    ObjectMetadata meta = new ObjectMetadata();
    meta.setContentMD5("AAAAAAAAAAAAAAAAAAAAAA==");
    assertThatThrownBy(() -> client.putObject("bkt", "md5", new ByteArrayInputStream(data), meta))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("InvalidDigest"));
    ObjectMetadata good = new ObjectMetadata();
    good.setContentMD5("XUFAKrxLKna5cZ2REBfFkg==");
    client.putObject("bkt", "md5", new ByteArrayInputStream(data), good);
    assertThat(client.doesObjectExist("bkt", "md5")).isTrue();
  }

  @Test
  void keys_specialCharacters_roundTrip() throws Exception {
    String[] keys = {
      "a//b",
      "dir/./x",
      "p%41q",
      "sp ace/tab\tx",
      "中文/ключ",
      "q?x=1&y",
      "#hash",
      "semi;colon",
      "plus+sign",
      "tilde~star*",
      "trailing/"
    };
    for (String k : keys) {
      byte[] d = k.getBytes(StandardCharsets.UTF_8);
      client.putObject("bkt", k, new ByteArrayInputStream(d));
      assertThat(readAll(client.getObject("bkt", k))).as(k).isEqualTo(d);
    }
    assertThat(client.listObjectsV2("bkt").getObjectSummaries())
        .extracting(com.aliyun.oss.model.OSSObjectSummary::getKey)
        .containsExactlyInAnyOrder(keys);
  }

  @Test
  void head_missingBucketAndKey_mappedCodes() {
    assertThatThrownBy(() -> client.getObjectMetadata("nobucket", "k"))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchBucket"));
    assertThatThrownBy(() -> client.getObjectMetadata("bkt", "nokey"))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchKey"));
  }

  @Test
  void concurrentOverwritesAndReads_alwaysSeeACompleteVersion() throws Exception {
    byte[][] versions = new byte[4][];
    for (int i = 0; i < versions.length; i++) {
      versions[i] = bytes(50_000 + i, 100 + i);
    }
    client.putObject("bkt", "hot", new ByteArrayInputStream(versions[0]));
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        final int id = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10; i++) {
                    if (id % 2 == 0) {
                      client.putObject(
                          "bkt", "hot", new ByteArrayInputStream(versions[(id + i) % 4]));
                    } else {
                      byte[] got = readAll(client.getObject("bkt", "hot"));
                      boolean known = false;
                      for (byte[] v : versions) {
                        known |= java.util.Arrays.equals(v, got);
                      }
                      assertThat(known).isTrue();
                    }
                  }
                  return null;
                }));
      }
      for (var f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    try (var files = java.nio.file.Files.list(dir.resolve("buckets/bkt/data"))) {
      assertThat(files.count()).isEqualTo(1);
    }
  }
}
