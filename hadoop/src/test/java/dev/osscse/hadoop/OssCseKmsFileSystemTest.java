package dev.osscse.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import dev.osscse.local.kms.LocalKmsServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** osscse:// with a KMS master key from fs.osscse.kms.*, against the local KMS endpoint. */
class OssCseKmsFileSystemTest {
  private static final String BUCKET = "kms-tests";
  private static LocalKmsServer kms;
  private static FileSystem fs;
  private static OSS plain;

  @BeforeAll
  static void start() throws IOException {
    LocalEndpoint endpoint = LocalEndpoint.get();
    Path dir = Files.createTempDirectory(endpoint.dir, "kms");
    kms =
        LocalKmsServer.builder()
            .dir(dir)
            .credentials(LocalEndpoint.ACCESS_KEY_ID, LocalEndpoint.ACCESS_KEY_SECRET)
            .build()
            .start();
    String keyId = kms.createKey();
    Configuration conf = endpoint.configuration(BUCKET);
    conf.unset(OssCseFsSettings.RSA_PUBLIC_KEY_FILE);
    conf.unset(OssCseFsSettings.RSA_PRIVATE_KEY_FILES);
    conf.set(OssCseFsSettings.KMS_KEY_ID, keyId);
    conf.set(OssCseFsSettings.KMS_REGION, "cn-hangzhou");
    conf.set(OssCseFsSettings.KMS_ENDPOINT, kms.httpEndpoint().toString());
    fs = FileSystem.newInstance(URI.create("osscse://" + BUCKET + "/"), conf);
    plain = endpoint.plainClient();
  }

  @AfterAll
  static void stop() throws IOException {
    fs.close();
    plain.shutdown();
    kms.close();
  }

  @Test
  void kmsKey_writesAndReads_singlePutAndMultipart() throws IOException {
    for (int size : new int[] {5000, (300 << 10) + 3}) {
      byte[] data = new byte[size];
      new Random(size).nextBytes(data);
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path("/kms/f" + size);
      try (FSDataOutputStream out = fs.create(p, true)) {
        out.write(data);
      }
      assertThat(plain.getObjectMetadata(BUCKET, "kms/f" + size).getUserMetadata())
          .containsEntry("client-side-encryption-wrap-alg", "KMS/ALICLOUD");
      try (FSDataInputStream in = fs.open(p)) {
        byte[] back = new byte[size];
        in.readFully(0, back);
        assertThat(back).isEqualTo(data);
      }
    }
    assertThat(kms.requestCount()).isPositive();
  }
}
