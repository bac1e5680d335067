package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
  @TempDir Path dir;

  @Test
  void restart_sameDirectory_keepsBucketsObjectsAndUploads() throws Exception {
    byte[] data = ObjectRoundTripTest.bytes(3000, 4);
    String uploadId;
    String etag;
    try (LocalOssServer s =
        LocalOssServer.builder().dataDirectory(dir).credentials("ak", "sk").build().start()) {
      s.createBucket("bkt");
      OSS c = new OSSClientBuilder().build(s.endpoint(), "ak", "sk");
      ObjectMetadata m = new ObjectMetadata();
      m.addUserMetadata("Kept", "yes");
      etag = c.putObject("bkt", "a/b", new ByteArrayInputStream(data), m).getETag();
      c.putObject("bkt", "gone", new ByteArrayInputStream(data));
      c.deleteObject("bkt", "gone");
      uploadId = MultipartTest.initiate(c, "mp", Map.of());
      MultipartTest.upload(c, "mp", uploadId, 1, data, 0, data.length);
      c.shutdown();
    }
    Files.writeString(dir.resolve("tmp").resolve("leftover.tmp"), "x");
    try (LocalOssServer s =
        LocalOssServer.builder().dataDirectory(dir).credentials("ak", "sk").build().start()) {
      assertThat(s.createBucket("bkt")).isFalse();
      OSS c = new OSSClientBuilder().build(s.endpoint(), "ak", "sk");
      var o = c.getObject("bkt", "a/b");
      assertThat(ObjectRoundTripTest.readAll(o)).isEqualTo(data);
      assertThat(o.getObjectMetadata().getUserMetadata()).containsEntry("kept", "yes");
      assertThat(o.getObjectMetadata().getETag()).isEqualTo(etag);
      assertThat(c.doesObjectExist("bkt", "gone")).isFalse();
      List<PartETag> tags = new ArrayList<>();
      c.listParts(new ListPartsRequest("bkt", "mp", uploadId))
          .getParts()
          .forEach(p -> tags.add(new PartETag(p.getPartNumber(), p.getETag())));
      assertThat(tags).hasSize(1);
      c.completeMultipartUpload(new CompleteMultipartUploadRequest("bkt", "mp", uploadId, tags));
      assertThat(ObjectRoundTripTest.readAll(c.getObject("bkt", "mp"))).isEqualTo(data);
      c.shutdown();
    }
    assertThat(dir.resolve("tmp").resolve("leftover.tmp")).doesNotExist();
  }

  @Test
  void noDataDirectory_usesTemporaryDirectory_removedAtClose() throws Exception {
    Path used;
    try (LocalOssServer s = LocalOssServer.builder().allowAnonymous().build().start()) {
      used = s.dataDirectory();
      s.createBucket("bkt");
      OSS c = new OSSClientBuilder().build(s.endpoint(), "any", "thing");
      c.putObject("bkt", "k", new ByteArrayInputStream(new byte[10]));
      assertThat(c.getObjectMetadata("bkt", "k").getContentLength()).isEqualTo(10);
      c.shutdown();
      assertThat(used).isDirectory();
    }
    assertThat(used).doesNotExist();
  }
}
