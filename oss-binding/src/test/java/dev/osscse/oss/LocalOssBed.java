package dev.osscse.oss;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.aliyun.OssCseClient;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Random;

/**
 * Test bed for the multipart, channel and rewrap tests: a {@link LocalOssServer} on 127.0.0.1 that
 * refuses UploadParts without CSE headers, a real aliyun-sdk-oss client without SDK retries, and
 * two RSA master keys.
 */
final class LocalOssBed implements AutoCloseable {
  static final String AK = "bed-ak";
  static final String SK = "bed-sk";
  static final String BUCKET = "bed-bucket";
  static final Map<String, String> OLD_DESC = Map.of("gen", "1");
  static final Map<String, String> NEW_DESC = Map.of("gen", "2");

  private static KeyPair oldPair;
  private static KeyPair newPair;

  final LocalOssServer server;
  final OSS oss;

  LocalOssBed(Path dir) {
    this(dir, true);
  }

  /**
   * @param strictCseUploadPart refuse UploadParts without CSE headers (false for the official
   *     client, which sends none)
   */
  LocalOssBed(Path dir, boolean strictCseUploadPart) {
    server =
        LocalOssServer.builder()
            .dataDirectory(dir)
            .credentials(AK, SK)
            .strictCseUploadPart(strictCseUploadPart)
            .build()
            .start();
    server.createBucket(BUCKET);
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    oss = new OSSClientBuilder().build(server.endpoint(), AK, SK, conf);
  }

  static synchronized KeyPair oldPair() {
    if (oldPair == null) {
      oldPair = rsa();
    }
    return oldPair;
  }

  static synchronized KeyPair newPair() {
    if (newPair == null) {
      newPair = rsa();
    }
    return newPair;
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static MasterKey oldKey() {
    return MasterKey.rsa(oldPair(), OLD_DESC);
  }

  static MasterKey newKey() {
    return MasterKey.rsa(newPair(), NEW_DESC);
  }

  /** A client writing with the old key and reading with it only. */
  OssCseClient client() {
    return OssCseClient.builder(oss).encryptWith(oldKey()).build();
  }

  /** A client reading with exactly one key. */
  OssCseClient readerOf(MasterKey key) {
    return OssCseClient.builder(oss).decryptWith(MasterKeyRing.of(key)).build();
  }

  static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  byte[] readAll(OssCseClient c, String key) throws Exception {
    try (UnauthenticatedObjectStream in = c.getObject(BUCKET, key)) {
      return in.readAllBytes();
    }
  }

  @Override
  public void close() {
    oss.shutdown();
    server.close();
  }
}
