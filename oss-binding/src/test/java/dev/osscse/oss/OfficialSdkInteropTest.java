package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
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
 * Interop with the official {@code com.aliyun.oss.OSSEncryptionClient} 3.18.5 and {@code
 * SimpleRSAEncryptionMaterials}, both over real HTTP to the local endpoint.
 *
 * <p>Kept in its own class: loading the SDK's crypto classes registers Bouncy Castle globally. The
 * master key descriptions are equal on both sides, so the SDK never takes its reflection fallback
 * (which fails on JDK 16+, docs/format.md FMT-25).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialSdkInteropTest {
  static final String B = LocalOssFixture.BUCKET;
  static final int[] SIZES = {0, 1, 15, 16, 17, 100 * 1024 + 3, 3 * 1024 * 1024 + 7};
  static final Map<String, String> DESC = Map.of("desc", "interop");

  @TempDir static Path dir;
  LocalOssFixture oss;
  OSSEncryptionClient official;
  OssCseClient ours;

  @BeforeAll
  void start() {
    oss = new LocalOssFixture(dir);
    KeyPair pair = TestKeys.rsa();
    official =
        new OSSEncryptionClientBuilder()
            .build(
                oss.endpoint(),
                new DefaultCredentialProvider(LocalOssFixture.AK, LocalOssFixture.SK),
                new SimpleRSAEncryptionMaterials(pair, DESC));
    ours = OssCseClient.builder(oss.client()).encryptWith(MasterKey.rsa(pair, DESC)).build();
  }

  @AfterAll
  void stop() {
    official.shutdown();
    oss.close();
  }

  static byte[] data(int n) {
    byte[] b = new byte[n];
    new Random(31L * n + 1).nextBytes(b);
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

  byte[] ourRead(String key, ByteRange range) throws Exception {
    try (UnauthenticatedObjectStream in = ours.getObject(B, key, range)) {
      return in.readAllBytes();
    }
  }

  @Test
  void officialClient_readsWhatWeWrite_wholeAndRanged() throws Exception {
    Random r = new Random(11);
    for (int size : SIZES) {
      byte[] plain = data(size);
      String key = "ours/" + size;
      ours.putObject(B, key, plain, null);
      assertThat(officialRead(key, -1, -1)).as("whole %d", size).isEqualTo(plain);
      // The SDK refuses ranges ending at 0 (docs/format.md FMT-25), so ranges here end at >= 1.
      for (int i = 0; size > 2 && i < 8; i++) {
        int a = r.nextInt(size - 1);
        int b = Math.max(1, Math.min(size - 1, a + r.nextInt(70_000)));
        assertThat(officialRead(key, a, b))
            .as("%d: %d-%d", size, a, b)
            .isEqualTo(Arrays.copyOfRange(plain, a, b + 1));
      }
    }
  }

  @Test
  void weRead_whatOfficialClientWrites_wholeRangedAndSuffix() throws Exception {
    Random r = new Random(12);
    for (int size : SIZES) {
      byte[] plain = data(size);
      String key = "official/" + size;
      official.putObject(B, key, new ByteArrayInputStream(plain));
      assertThat(ourRead(key, null)).as("whole %d", size).isEqualTo(plain);
      for (int i = 0; size > 0 && i < 8; i++) {
        int a = r.nextInt(size);
        int b = Math.min(size - 1, a + r.nextInt(70_000));
        assertThat(ourRead(key, ByteRange.of(a, b)))
            .as("%d: %d-%d", size, a, b)
            .isEqualTo(Arrays.copyOfRange(plain, a, b + 1));
        int n = 1 + r.nextInt(size);
        assertThat(ourRead(key, ByteRange.suffix(n)))
            .as("%d: -%d", size, n)
            .isEqualTo(Arrays.copyOfRange(plain, size - n, size));
      }
      if (size > 0) {
        assertThat(ourRead(key, ByteRange.of(0, 0))).containsExactly(plain[0]);
        assertThat(ourRead(key, ByteRange.of(size - 1, size - 1))).containsExactly(plain[size - 1]);
      }
    }
  }
}
