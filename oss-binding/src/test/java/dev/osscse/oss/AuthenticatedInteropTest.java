package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.internal.auth.AuthRecord;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * FMT-26: the official {@code OSSEncryptionClient} 3.18.5 reads authenticated objects exactly as
 * untagged ones, whole and ranged, single-put and multipart, over real HTTP to the local endpoint.
 * Its own class: the SDK's crypto classes register Bouncy Castle globally.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatedInteropTest {
  static final String B = LocalOssFixture.BUCKET;
  static final int C = AuthRecord.CHUNK_SIZE;
  static final Map<String, String> DESC = Map.of("desc", "auth-interop");

  @TempDir static Path dir;
  LocalOssFixture oss;
  OSSEncryptionClient official;
  OssCseClient writer;

  @BeforeAll
  void start() {
    oss = new LocalOssFixture(dir.resolve("store"));
    KeyPair pair = TestKeys.rsa();
    official =
        new OSSEncryptionClientBuilder()
            .build(
                oss.endpoint(),
                new DefaultCredentialProvider(LocalOssFixture.AK, LocalOssFixture.SK),
                new SimpleRSAEncryptionMaterials(pair, DESC));
    writer =
        OssCseClient.builder(oss.client())
            .encryptWith(MasterKey.rsa(pair, DESC))
            .authenticate(true)
            .build();
  }

  @AfterAll
  void stop() {
    official.shutdown();
    oss.close();
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  byte[] officialRead(String key, long a, long b) throws Exception {
    GetObjectRequest r = new GetObjectRequest(B, key);
    if (a >= 0) {
      r.setRange(a, b);
    }
    try (OSSObject o = official.getObject(r);
        InputStream in = o.getObjectContent()) {
      return in.readAllBytes();
    }
  }

  @Test
  void officialClient_readsAuthenticatedSinglePutObjects_wholeAndRanged() throws Exception {
    for (int size : new int[] {1, 17, 100_000, C + 33}) {
      String key = "interop/put-" + size;
      byte[] plain = data(size, size);
      writer.putObject(B, key, plain, null);
      assertThat(oss.client().getObjectMetadata(B, key).getUserMetadata())
          .containsEntry(MetadataKeys.AUTH, "v1");
      assertThat(officialRead(key, -1, -1)).as("size %d", size).isEqualTo(plain);
      if (size > 2) {
        int a = size / 3;
        int b = size - 2;
        assertThat(officialRead(key, a, b)).isEqualTo(Arrays.copyOfRange(plain, a, b + 1));
      }
    }
  }

  @Test
  void officialClient_readsAuthenticatedMultipartObjects_wholeAndRanged() throws Exception {
    byte[] plain = data(3 * C + 11, 7);
    Path f = dir.resolve("mp.bin");
    Files.write(f, plain);
    MultipartUploader.builder(writer.core())
        .partSize(C)
        .parallelism(2)
        .build()
        .upload(B, "interop/mp", f, null);
    assertThat(officialRead("interop/mp", -1, -1)).isEqualTo(plain);
    assertThat(officialRead("interop/mp", C - 5, 2L * C + 5))
        .isEqualTo(Arrays.copyOfRange(plain, C - 5, 2 * C + 6));
  }
}
