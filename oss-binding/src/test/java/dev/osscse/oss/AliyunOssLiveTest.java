package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.TestKeys;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against real Alibaba Cloud OSS. Runs only when {@code OSSCSE_IT_OSS_ENDPOINT} (for example {@code
 * https://oss-cn-hangzhou.aliyuncs.com}), {@code OSSCSE_IT_OSS_BUCKET} and {@code
 * OSS_ACCESS_KEY_ID}/{@code OSS_ACCESS_KEY_SECRET} (and {@code OSS_SESSION_TOKEN} for STS) are set;
 * otherwise every test is skipped with a message. Objects go under a random prefix and are deleted
 * afterwards.
 */
class AliyunOssLiveTest {
  private static final Map<String, String> DESC = Map.of("desc", "oss-cse-live-test");

  private String endpoint;
  private String bucket;
  private String prefix;
  private OSS plain;
  private final List<String> written = new ArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void requireEnvironment() {
    endpoint = System.getenv("OSSCSE_IT_OSS_ENDPOINT");
    bucket = System.getenv("OSSCSE_IT_OSS_BUCKET");
    String ak = System.getenv("OSS_ACCESS_KEY_ID");
    String sk = System.getenv("OSS_ACCESS_KEY_SECRET");
    if (endpoint == null || bucket == null || ak == null || sk == null) {
      Assumptions.abort(
          "real Alibaba Cloud OSS test skipped: set OSSCSE_IT_OSS_ENDPOINT, OSSCSE_IT_OSS_BUCKET and"
              + " OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET to run it");
    }
    String token = System.getenv("OSS_SESSION_TOKEN");
    plain =
        token == null
            ? new OSSClientBuilder().build(endpoint, ak, sk)
            : new OSSClientBuilder().build(endpoint, ak, sk, token);
    prefix = "oss-cse-live-test/" + UUID.randomUUID() + "/";
  }

  @AfterEach
  void cleanUp() {
    if (plain != null) {
      for (String key : written) {
        plain.deleteObject(bucket, key);
      }
      plain.shutdown();
    }
  }

  private OssCseClient ours() {
    return OssCseClient.builder(plain).encryptWith(MasterKey.rsa(TestKeys.rsa(), DESC)).build();
  }

  private static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void realOss_putThenWholeAndRangedGet_returnPlaintext() throws Exception {
    byte[] content = data(300_007, 1);
    String key = prefix + "single.bin";
    written.add(key);
    OssCseClient cse = ours();
    cse.putObject(bucket, key, content, null);
    try (InputStream in = cse.getObject(bucket, key)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    try (InputStream in = cse.getObject(bucket, key, ByteRange.of(12_345, 99_999))) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 12_345, 100_000));
    }
    try (InputStream in = cse.getObject(bucket, key, ByteRange.suffix(17))) {
      assertThat(in.readAllBytes())
          .isEqualTo(Arrays.copyOfRange(content, content.length - 17, content.length));
    }
  }

  @Test
  void realOss_multipartUpload_isReadByUsAndByTheOfficialClient() throws Exception {
    byte[] content = data(3 * 102_400 + 33, 2);
    String key = prefix + "multipart.bin";
    written.add(key);
    Path file = Files.write(dir.resolve("mp"), content);
    OssCseClient cse = ours();
    MultipartUploader.builder(cse.core())
        .partSize(102_400)
        .parallelism(2)
        .build()
        .upload(bucket, key, file, null);
    try (InputStream in = cse.getObject(bucket, key)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    OSSEncryptionClient official =
        new OSSEncryptionClientBuilder()
            .build(
                endpoint,
                new DefaultCredentialProvider(
                    System.getenv("OSS_ACCESS_KEY_ID"),
                    System.getenv("OSS_ACCESS_KEY_SECRET"),
                    System.getenv("OSS_SESSION_TOKEN")),
                new SimpleRSAEncryptionMaterials(TestKeys.rsa(), DESC));
    try (OSSObject o = official.getObject(new GetObjectRequest(bucket, key));
        InputStream in = o.getObjectContent()) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    } finally {
      official.shutdown();
    }
  }
}
