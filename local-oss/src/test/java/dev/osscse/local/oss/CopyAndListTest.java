package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CopyObjectResult;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.ListObjectsV2Request;
import com.aliyun.oss.model.ListObjectsV2Result;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.ObjectMetadata;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyAndListTest {
  @TempDir Path dir;
  TestBed bed;
  LocalOssServer server;
  OSS client;

  @BeforeEach
  void start() {
    bed = TestBed.start(dir, b -> b);
    server = bed.server();
    client = bed.client();
    server.createBucket("other");
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  private void put(String key, byte[] data, String... meta) {
    ObjectMetadata m = new ObjectMetadata();
    for (int i = 0; i < meta.length; i += 2) {
      m.addUserMetadata(meta[i], meta[i + 1]);
    }
    client.putObject("bkt", key, new ByteArrayInputStream(data), m);
  }

  @Test
  void copy_defaultDirective_copiesDataAndMetadata() throws Exception {
    byte[] data = ObjectRoundTripTest.bytes(5000, 3);
    put("dir/src obj.bin", data, "a", "1", "client-side-encryption-key", "K");
    CopyObjectResult r = client.copyObject("bkt", "dir/src obj.bin", "other", "dst/x.bin");
    assertThat(r.getETag()).isNotEmpty();
    assertThat(r.getLastModified()).isNotNull();
    var got = client.getObject("other", "dst/x.bin");
    assertThat(ObjectRoundTripTest.readAll(got)).isEqualTo(data);
    assertThat(got.getObjectMetadata().getUserMetadata())
        .containsEntry("a", "1")
        .containsEntry("client-side-encryption-key", "K");
  }

  @Test
  void copy_replaceDirective_replacesUserMetadataButKeepsCse() {
    put(
        "src",
        new byte[100],
        "a",
        "1",
        "client-side-encryption-key",
        "K",
        "client-side-encryption-start",
        "S");
    ObjectMetadata nm = new ObjectMetadata();
    nm.addUserMetadata("b", "2");
    nm.setContentType("text/plain");
    CopyObjectRequest req = new CopyObjectRequest("bkt", "src", "bkt", "dst");
    req.setNewObjectMetadata(nm);
    client.copyObject(req);
    ObjectMetadata m = client.getObjectMetadata("bkt", "dst");
    assertThat(m.getUserMetadata())
        .containsEntry("b", "2")
        .doesNotContainKey("a")
        .containsEntry("client-side-encryption-key", "K")
        .containsEntry("client-side-encryption-start", "S");
    assertThat(m.getContentType()).isEqualTo("text/plain");
  }

  @Test
  void copy_replaceSettingCseMetadata_refused() {
    put("src", new byte[100], "client-side-encryption-key", "K");
    ObjectMetadata nm = new ObjectMetadata();
    nm.addUserMetadata("client-side-encryption-key", "OTHER");
    CopyObjectRequest req = new CopyObjectRequest("bkt", "src", "bkt", "dst");
    req.setNewObjectMetadata(nm);
    assertThatThrownBy(() -> client.copyObject(req))
        .isInstanceOfSatisfying(
            OSSException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo("InvalidEncryptionRequest"));
    assertThat(client.doesObjectExist("bkt", "dst")).isFalse();
  }

  @Test
  void copy_missingSource_noSuchKey() {
    assertThatThrownBy(() -> client.copyObject("bkt", "nope", "bkt", "dst"))
        .isInstanceOfSatisfying(
            OSSException.class, e -> assertThat(e.getErrorCode()).isEqualTo("NoSuchKey"));
  }

  @Test
  void listV2_prefixDelimiterAndPaging() {
    for (String k : List.of("a/1", "a/2", "a/b/3", "b/1", "c", "d", "e")) {
      put(k, new byte[] {1});
    }
    ListObjectsV2Result r =
        client.listObjectsV2(new ListObjectsV2Request("bkt").withDelimiter("/"));
    assertThat(r.getCommonPrefixes()).containsExactly("a/", "b/");
    assertThat(r.getObjectSummaries())
        .extracting(OSSObjectSummary::getKey)
        .containsExactly("c", "d", "e");
    assertThat(r.getKeyCount()).isEqualTo(5);

    ListObjectsV2Result a =
        client.listObjectsV2(new ListObjectsV2Request("bkt").withPrefix("a/").withDelimiter("/"));
    assertThat(a.getObjectSummaries())
        .extracting(OSSObjectSummary::getKey)
        .containsExactly("a/1", "a/2");
    assertThat(a.getCommonPrefixes()).containsExactly("a/b/");

    List<String> all = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      ListObjectsV2Request req = new ListObjectsV2Request("bkt").withMaxKeys(3);
      req.setContinuationToken(token);
      ListObjectsV2Result page = client.listObjectsV2(req);
      page.getObjectSummaries().forEach(s -> all.add(s.getKey()));
      assertThat(page.getObjectSummaries()).allSatisfy(s -> assertThat(s.getSize()).isEqualTo(1));
      token = page.isTruncated() ? page.getNextContinuationToken() : null;
      pages++;
    } while (token != null);
    assertThat(all).containsExactly("a/1", "a/2", "a/b/3", "b/1", "c", "d", "e");
    assertThat(pages).isEqualTo(3);

    ListObjectsV2Result after =
        client.listObjectsV2(new ListObjectsV2Request("bkt").withStartAfter("c"));
    assertThat(after.getObjectSummaries())
        .extracting(OSSObjectSummary::getKey)
        .containsExactly("d", "e");
  }

  @Test
  void listV2_delimiterPagingAcrossCommonPrefix() {
    for (String k : List.of("a/1", "a/2", "b", "c/1", "d")) {
      put(k, new byte[] {1});
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Request req = new ListObjectsV2Request("bkt").withMaxKeys(1).withDelimiter("/");
      req.setContinuationToken(token);
      ListObjectsV2Result page = client.listObjectsV2(req);
      seen.addAll(page.getCommonPrefixes());
      page.getObjectSummaries().forEach(s -> seen.add(s.getKey()));
      token = page.isTruncated() ? page.getNextContinuationToken() : null;
    } while (token != null);
    assertThat(seen).containsExactly("a/", "b", "c/", "d");
  }

  @Test
  void listV1_markerPaging_andSpecialKeysUrlEncoded() {
    for (String k : List.of("x y", "x+y", "x&y<z>", "中文")) {
      put(k, new byte[] {1});
    }
    ObjectListing first = client.listObjects(new ListObjectsRequest("bkt").withMaxKeys(2));
    assertThat(first.isTruncated()).isTrue();
    ObjectListing second =
        client.listObjects(
            new ListObjectsRequest("bkt").withMarker(first.getNextMarker()).withMaxKeys(10));
    List<String> keys = new ArrayList<>();
    first.getObjectSummaries().forEach(s -> keys.add(s.getKey()));
    second.getObjectSummaries().forEach(s -> keys.add(s.getKey()));
    assertThat(keys).containsExactly("x y", "x&y<z>", "x+y", "中文");
  }

  @Test
  void bucket_createListDelete_viaSdk() {
    client.createBucket("made-by-sdk");
    assertThat(client.doesBucketExist("made-by-sdk")).isTrue();
    assertThat(client.listBuckets()).extracting(b -> b.getName()).contains("made-by-sdk", "bkt");
    client.deleteBucket("made-by-sdk");
    assertThat(client.doesBucketExist("made-by-sdk")).isFalse();
  }
}
