package dev.osscse.local.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A started local endpoint storing under a test's directory, with credentials {@code ak}/{@code
 * sk}, a bucket {@code bkt} and the SDK's plain client for it. Closing shuts both down.
 */
record TestBed(LocalOssServer server, OSS client) implements AutoCloseable {
  /** Starts an endpoint built with the defaults plus what {@code configure} adds. */
  static TestBed start(Path dir, UnaryOperator<LocalOssServer.Builder> configure) {
    LocalOssServer server =
        configure
            .apply(LocalOssServer.builder().dataDirectory(dir).credentials("ak", "sk"))
            .build()
            .start();
    server.createBucket("bkt");
    return new TestBed(server, new OSSClientBuilder().build(server.endpoint(), "ak", "sk"));
  }

  @Override
  public void close() {
    client.shutdown();
    server.close();
  }
}
