package dev.osscse.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import dev.osscse.local.oss.LocalOssServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the RSA-only application on the classpath its module declares: the binding without the
 * Alibaba core or KMS SDKs, against the local OSS endpoint with the real OSS client.
 */
class RsaOnlyExampleTest {
  @TempDir Path dir;

  @Test
  void alibabaCoreAndKmsSdksAreNotOnTheClasspath() {
    assertThatThrownBy(() -> Class.forName("com.aliyuncs.DefaultAcsClient"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName("javax.xml.bind.JAXBContext"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void putRangedGetAndMultipartWorkWithoutThem() throws Exception {
    byte[] data = new byte[(3 << 20) + 7];
    new Random(7).nextBytes(data);
    Path file = dir.resolve("data.bin");
    Files.write(file, data);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    try (LocalOssServer server =
        LocalOssServer.builder()
            .dataDirectory(dir.resolve("oss"))
            .credentials("ak", "sk")
            .build()
            .start()) {
      server.createBucket("sample");
      RsaOnlyExample app = new RsaOnlyExample(server.endpoint(), "ak", "sk", v1(), pair);
      try {
        app.put("sample", "one", file);
        app.putMultipart("sample", "many", file, 1 << 20);
        assertThat(app.get("sample", "one", "100-"))
            .isEqualTo(Arrays.copyOfRange(data, 100, data.length));
        assertThat(app.get("sample", "many", "0-")).isEqualTo(data);
        byte[] stored = storedBytes(server, "sample", "one");
        assertThat(stored).hasSameSizeAs(data).isNotEqualTo(data);
      } finally {
        app.shutdown();
      }
    }
  }

  private static byte[] storedBytes(LocalOssServer server, String bucket, String key)
      throws Exception {
    OSS plain = new OSSClientBuilder().build(server.endpoint(), "ak", "sk", v1());
    try (InputStream in = plain.getObject(bucket, key).getObjectContent()) {
      return in.readAllBytes();
    } finally {
      plain.shutdown();
    }
  }

  private static ClientBuilderConfiguration v1() {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    return conf;
  }
}
