package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.local.oss.LocalOssServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What the OSS benchmarks set up and tear down: an endpoint with the {@link OssTransfer#BUCKET}
 * bucket, either the local OSS endpoint in this JVM over a temporary data directory or one in a JVM
 * process of its own ({@link ExternalEndpoint}), and the SDK client built on it. {@link #close()}
 * shuts the client down, stops the endpoint and deletes its files.
 */
final class OssFixture implements Closeable {
  private final Path dir;
  private final LocalOssServer server;
  private final ExternalEndpoint external;
  private OSS oss;

  private OssFixture(Path dir, LocalOssServer server, ExternalEndpoint external) {
    this.dir = dir;
    this.server = server;
    this.external = external;
  }

  /**
   * Starts the local endpoint in this JVM; {@code requestBodyRate} as in {@link
   * LocalOssServer.Builder#requestBodyRate(long)} (0: no pacing).
   */
  static OssFixture inProcess(long requestBodyRate) throws IOException {
    Path dir = Files.createTempDirectory("oss-cse-bench");
    LocalOssServer server =
        LocalOssServer.builder()
            .dataDirectory(dir)
            .credentials(OssTransfer.AK, OssTransfer.SK)
            .requestBodyRate(requestBodyRate)
            .build()
            .start();
    server.createBucket(OssTransfer.BUCKET);
    return new OssFixture(dir, server, null);
  }

  /** Starts the local endpoint in a JVM process of its own. */
  static OssFixture external() throws IOException {
    return new OssFixture(null, null, ExternalEndpoint.start(OssTransfer.BUCKET));
  }

  /** The endpoint URL. */
  String endpoint() {
    return server != null ? server.endpoint() : external.endpoint();
  }

  /** Builds the SDK's plain client for the endpoint; {@link #close()} shuts it down. */
  OSS plainClient() {
    oss = OssTransfer.plainClient(endpoint());
    return oss;
  }

  /** Builds the SDK client with its CRC-64 check off ({@link OssTransfer#ownCrcClient}). */
  OSS ownCrcClient() {
    oss = OssTransfer.ownCrcClient(endpoint());
    return oss;
  }

  /** Builds the SDK's {@code OSSEncryptionClient} for the endpoint with a fresh key pair. */
  OSS officialClient() throws GeneralSecurityException {
    oss = OssTransfer.officialClient(endpoint());
    return oss;
  }

  /**
   * Builds the SDK client that a {@code client} parameter of {@code plain}, {@code official} or
   * {@code OssCse} runs over: the SDK's default client for {@code plain}, the one with its CRC-64
   * check off for {@code OssCse}.
   *
   * @throws IllegalArgumentException for any other value
   */
  OSS sdkClientFor(String client) throws GeneralSecurityException {
    return switch (client) {
      case "plain" -> plainClient();
      case "OssCse" -> ownCrcClient();
      case "official" -> officialClient();
      default ->
          throw new IllegalArgumentException(
              "client must be plain, official or OssCse, got " + client);
    };
  }

  /** Shuts the client down, stops the endpoint and deletes its files. */
  @Override
  public void close() throws IOException {
    if (oss != null) {
      oss.shutdown();
    }
    if (server != null) {
      server.close();
    }
    if (external != null) {
      external.close();
    }
    if (dir != null) {
      OssTransfer.deleteTree(dir);
    }
  }

  /** Returns {@code size} bytes from a fixed seed, the same for every client. */
  static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    new SplittableRandom(9).nextBytes(data);
    return data;
  }

  /**
   * Returns 64 seeded start offsets of ranges of {@code range} bytes in an object of {@code size}.
   */
  static long[] rangeStarts(long size, int range) {
    SplittableRandom random = new SplittableRandom(10);
    long[] starts = new long[64];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = random.nextLong(Math.max(1, size - range));
    }
    return starts;
  }

  /** Returns a fresh RSA-2048 key pair. */
  static KeyPair rsaKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  /**
   * Reads {@code in} to its end and closes it.
   *
   * @throws IllegalStateException with {@code message} if what it read is not {@code data}
   */
  static void checkReadBack(InputStream in, byte[] data, String message) throws IOException {
    try (in) {
      if (!Arrays.equals(in.readAllBytes(), data)) {
        throw new IllegalStateException(message);
      }
    }
  }
}
