package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUpload;
import com.aliyun.sdk.service.oss2.models.CompleteMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectRequest;
import com.aliyun.sdk.service.oss2.models.GetObjectResult;
import com.aliyun.sdk.service.oss2.models.InitiateMultipartUploadRequest;
import com.aliyun.sdk.service.oss2.models.ListPartsRequest;
import com.aliyun.sdk.service.oss2.models.ListPartsResult;
import com.aliyun.sdk.service.oss2.models.Part;
import com.aliyun.sdk.service.oss2.models.PutObjectRequest;
import com.aliyun.sdk.service.oss2.models.UploadPartRequest;
import com.aliyun.sdk.service.oss2.models.UploadPartResult;
import com.aliyun.sdk.service.oss2.transport.BinaryData;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Alibaba OSS Java SDK V2 ({@code alibabacloud-oss-v2}), unchanged, against the local endpoint
 * with V1 and V4 signatures: put with user metadata, ranged get, and a multipart upload started
 * with {@code ?uploads} (which V1 signs as {@code ?uploads}, not {@code ?uploads=}), listed and
 * completed.
 */
class OssSdkV2ClientTest {
  private static final int PART = 100 * 1024;

  @TempDir Path dir;
  LocalOssServer server;

  @BeforeEach
  void start() {
    server = LocalOssServer.builder().dataDirectory(dir).credentials("ak", "sk").build().start();
    server.createBucket("bkt");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OSSClient client(String signatureVersion) {
    return OSSClient.newBuilder()
        .credentialsProvider(new StaticCredentialsProvider("ak", "sk"))
        .region("cn-hangzhou")
        .endpoint(server.endpoint())
        .signatureVersion(signatureVersion)
        .retryMaxAttempts(1)
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v4"})
  void putAndRangedGetWithUserMetadata(String signatureVersion) throws Exception {
    byte[] data = bytes(10_000, 1);
    try (OSSClient v2 = client(signatureVersion)) {
      v2.putObject(
          PutObjectRequest.newBuilder()
              .bucket("bkt")
              .key("dir/one.bin")
              .metadata(Map.of("owner", "v2-test"))
              .body(BinaryData.fromBytes(data))
              .build());
      try (GetObjectResult r =
          v2.getObject(
              GetObjectRequest.newBuilder()
                  .bucket("bkt")
                  .key("dir/one.bin")
                  .range("bytes=100-199")
                  .build())) {
        assertThat(readAll(r)).isEqualTo(Arrays.copyOfRange(data, 100, 200));
        assertThat(r.metadata()).containsEntry("owner", "v2-test");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v4"})
  void multipartUploadStartsListsAndCompletes(String signatureVersion) throws Exception {
    byte[] data = bytes(2 * PART + 7, 2);
    try (OSSClient v2 = client(signatureVersion)) {
      String uploadId =
          v2.initiateMultipartUpload(
                  InitiateMultipartUploadRequest.newBuilder().bucket("bkt").key("big.bin").build())
              .initiateMultipartUpload()
              .uploadId();
      assertThat(uploadId).isNotBlank();
      List<Part> parts = new ArrayList<>();
      for (int n = 1, off = 0; off < data.length; n++, off += PART) {
        byte[] part = Arrays.copyOfRange(data, off, Math.min(data.length, off + PART));
        UploadPartResult up =
            v2.uploadPart(
                UploadPartRequest.newBuilder()
                    .bucket("bkt")
                    .key("big.bin")
                    .uploadId(uploadId)
                    .partNumber((long) n)
                    .body(BinaryData.fromBytes(part))
                    .build());
        parts.add(Part.newBuilder().partNumber((long) n).eTag(up.eTag()).build());
      }
      ListPartsResult listed =
          v2.listParts(
              ListPartsRequest.newBuilder()
                  .bucket("bkt")
                  .key("big.bin")
                  .uploadId(uploadId)
                  .build());
      assertThat(listed.parts()).hasSize(3);
      v2.completeMultipartUpload(
          CompleteMultipartUploadRequest.newBuilder()
              .bucket("bkt")
              .key("big.bin")
              .uploadId(uploadId)
              .completeMultipartUpload(CompleteMultipartUpload.newBuilder().parts(parts).build())
              .build());
      try (GetObjectResult r =
          v2.getObject(GetObjectRequest.newBuilder().bucket("bkt").key("big.bin").build())) {
        assertThat(readAll(r)).isEqualTo(data);
      }
    }
  }

  private static byte[] readAll(GetObjectResult r) throws Exception {
    try (InputStream in = r.body()) {
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
