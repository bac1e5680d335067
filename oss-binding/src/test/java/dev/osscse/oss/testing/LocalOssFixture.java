package dev.osscse.oss.testing;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import dev.osscse.local.oss.LocalOssServer;
import java.nio.file.Path;

/**
 * A {@link LocalOssServer} on 127.0.0.1 plus a real aliyun-sdk-oss client pointed at it, for tests.
 * Close it after use.
 */
public final class LocalOssFixture implements AutoCloseable {
  /** Access key id the server accepts. */
  public static final String AK = "test-ak";

  /** Access key secret the server accepts. */
  public static final String SK = "test-sk";

  /** The bucket created at start. */
  public static final String BUCKET = "cse-bucket";

  private final LocalOssServer server;
  private final OSS client;

  /** Starts a server storing under {@code dir} and a plain client for it. */
  public LocalOssFixture(Path dir) {
    server = LocalOssServer.builder().dataDirectory(dir).credentials(AK, SK).build().start();
    server.createBucket(BUCKET);
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    client = new OSSClientBuilder().build(server.endpoint(), AK, SK, conf);
  }

  /** The server. */
  public LocalOssServer server() {
    return server;
  }

  /** The endpoint URL, {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return server.endpoint();
  }

  /** The plain SDK client. */
  public OSS client() {
    return client;
  }

  @Override
  public void close() {
    client.shutdown();
    server.close();
  }
}
