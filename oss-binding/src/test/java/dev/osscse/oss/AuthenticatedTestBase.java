package dev.osscse.oss;

import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.auth.AuthRecord;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bed of the authenticated-object tests: a local OSS endpoint and three clients over one RSA
 * master key, {@link #writer} ({@code authenticate(true)}), {@link #strict} ({@code
 * requireAuthentication(true)}) and {@link #lenient} (neither). Subclasses run with one instance
 * per class, so the bed is built once for all their tests.
 */
abstract class AuthenticatedTestBase {
  static final String B = LocalOssFixture.BUCKET;
  static final int C = AuthRecord.CHUNK_SIZE;

  private final String desc;
  Path dir; // the class's temporary directory, from start()
  LocalOssFixture oss;
  MasterKey master;
  OssCseClient writer;
  OssCseClient strict;
  OssCseClient lenient;

  /** {@code desc} is the master key's description, so each test class writes its own matdesc. */
  AuthenticatedTestBase(String desc) {
    this.desc = desc;
  }

  @BeforeAll
  void start(@TempDir Path tmp) {
    dir = tmp;
    oss = new LocalOssFixture(dir.resolve("store"));
    master = MasterKey.rsa(TestKeys.rsa(), Map.of("desc", desc));
    writer = OssCseClient.builder(oss.client()).encryptWith(master).authenticate(true).build();
    strict =
        OssCseClient.builder(oss.client()).encryptWith(master).requireAuthentication(true).build();
    lenient = OssCseClient.builder(oss.client()).encryptWith(master).build();
  }

  @AfterAll
  void stop() {
    oss.close();
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
