package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartRequest;
import dev.osscse.oss.aliyun.EncryptionRefusedException;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The OSS-interface view: routing, refusals and pass-through, over the local endpoint. */
@SuppressWarnings("JavaUtilDate") // the SDK's presigned-URL API takes java.util.Date
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptingOssTest {
  static final String B = LocalOssFixture.BUCKET;
  @TempDir static Path dir;
  LocalOssFixture fixture;
  OSS oss;

  @BeforeAll
  void start() {
    fixture = new LocalOssFixture(dir.resolve("store"));
    oss =
        OssCseClient.builder(fixture.client())
            .encryptWith(MasterKey.rsa(TestKeys.rsa(), Map.of()))
            .build()
            .asOss();
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  static byte[] data(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void putAndGet_throughOssInterface_encryptAndDecrypt() throws Exception {
    byte[] plain = data(5000);
    oss.putObject(B, "a", new ByteArrayInputStream(plain));
    oss.putObject(
        new PutObjectRequest(B, "b", new ByteArrayInputStream(plain), new ObjectMetadata()));
    Path f = dir.resolve("plain.bin");
    Files.write(f, plain);
    oss.putObject(B, "c", f.toFile());
    for (String k : new String[] {"a", "b", "c"}) {
      try (OSSObject o = oss.getObject(B, k);
          InputStream in = o.getObjectContent()) {
        assertThat(in.readAllBytes()).as(k).isEqualTo(plain);
      }
      // Stored ciphertext differs and carries the envelope.
      try (OSSObject raw = fixture.client().getObject(B, k)) {
        assertThat(raw.getObjectContent().readAllBytes()).isNotEqualTo(plain);
        assertThat(EnvelopeCodec.hasEnvelope(raw.getObjectMetadata().getUserMetadata())).isTrue();
      }
    }
  }

  @Test
  void getObjectRequest_withRangesAndFile_decrypts() throws Exception {
    byte[] plain = data(3000);
    oss.putObject(B, "r", new ByteArrayInputStream(plain));
    GetObjectRequest req = new GetObjectRequest(B, "r");
    req.setRange(-1, 7);
    try (OSSObject o = oss.getObject(req)) {
      assertThat(o.getObjectContent().readAllBytes())
          .isEqualTo(Arrays.copyOfRange(plain, 2993, 3000));
      assertThat(o.getObjectMetadata().getContentLength()).isEqualTo(7);
    }
    GetObjectRequest req2 = new GetObjectRequest(B, "r");
    req2.setRange(100, -1);
    File out = dir.resolve("out.bin").toFile();
    oss.getObject(req2, out);
    assertThat(Files.readAllBytes(out.toPath())).isEqualTo(Arrays.copyOfRange(plain, 100, 3000));
  }

  @Test
  void plaintextObject_getThroughOss_isRefusedWithTypedCause() {
    fixture.client().putObject(B, "p", new ByteArrayInputStream(new byte[3]));
    assertThatThrownBy(() -> oss.getObject(B, "p"))
        .isInstanceOf(ClientException.class)
        .hasCauseInstanceOf(UnencryptedObjectException.class);
  }

  @Test
  void contentOperationsThatCannotBeEncrypted_areRefused() throws Exception {
    assertThatThrownBy(
            () ->
                oss.appendObject(
                    new AppendObjectRequest(B, "ap", new ByteArrayInputStream(new byte[1]))))
        .isInstanceOf(EncryptionRefusedException.class);
    assertThatThrownBy(() -> oss.uploadPartCopy(new UploadPartCopyRequest(B, "a", B, "x")))
        .isInstanceOf(EncryptionRefusedException.class);
    assertThatThrownBy(
            () -> oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(B, "mp")))
        .isInstanceOf(EncryptionRefusedException.class)
        .hasMessageContaining("MultipartUploader");
    assertThatThrownBy(() -> oss.uploadPart(new UploadPartRequest(B, "mp")))
        .isInstanceOf(EncryptionRefusedException.class)
        .hasMessageContaining("MultipartUploader");
    assertThatThrownBy(
            () ->
                oss.generatePresignedUrl(
                    B, "a", new Date(System.currentTimeMillis() + 60_000), HttpMethod.PUT))
        .isInstanceOf(EncryptionRefusedException.class);
    GeneratePresignedUrlRequest put = new GeneratePresignedUrlRequest(B, "a", HttpMethod.PUT);
    assertThatThrownBy(() -> oss.generatePresignedUrl(put))
        .isInstanceOf(EncryptionRefusedException.class);
    URL url = new URL(fixture.endpoint() + "/" + B + "/x");
    assertThatThrownBy(() -> oss.putObject(url, new ByteArrayInputStream(new byte[1]), 1, Map.of()))
        .isInstanceOf(EncryptionRefusedException.class);
    assertThat(fixture.client().doesObjectExist(B, "ap")).isFalse();
    assertThat(fixture.client().doesObjectExist(B, "x")).isFalse();
  }

  @Test
  void metadataListDeleteAndPresignedGet_passThrough() throws Exception {
    oss.putObject(B, "list/1", new ByteArrayInputStream(new byte[10]));
    assertThat(oss.listObjects(B, "list/").getObjectSummaries()).hasSize(1);
    assertThat(oss.getObjectMetadata(B, "list/1").getContentLength()).isEqualTo(10);
    assertThat(oss.doesObjectExist(B, "list/1")).isTrue();
    assertThat(oss.generatePresignedUrl(B, "list/1", new Date(System.currentTimeMillis() + 60_000)))
        .isNotNull();
    oss.deleteObject(B, "list/1");
    assertThat(oss.doesObjectExist(B, "list/1")).isFalse();
    assertThat(oss.toString()).startsWith("EncryptingOss[");
  }
}
