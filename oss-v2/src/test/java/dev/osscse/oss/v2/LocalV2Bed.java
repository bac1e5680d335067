package dev.osscse.oss.v2;

import com.aliyun.sdk.service.oss2.OSSClient;
import com.aliyun.sdk.service.oss2.credentials.StaticCredentialsProvider;
import dev.osscse.local.oss.LocalOssServer;
import java.nio.file.Path;

/**
 * A {@link LocalOssServer} on 127.0.0.1 and a real, unchanged V2 {@link OSSClient} pointed at it
 * over HTTP: V4 signatures (the V2 default), path style, region {@code cn-hangzhou}, no SDK retries
 * (so a failure reaches the code under test). Close it after use.
 */
final class LocalV2Bed implements AutoCloseable {
  static final String AK = "v2-ak";
  static final String SK = "v2-sk";
  static final String BUCKET = "v2-bucket";
  static final String REGION = "cn-hangzhou";

  private final LocalOssServer server;
  private final OSSClient client;

  LocalV2Bed(Path dir) {
    server = LocalOssServer.builder().dataDirectory(dir).credentials(AK, SK).build().start();
    server.createBucket(BUCKET);
    client = client(server.endpoint());
  }

  /** A V2 client for {@code endpoint} with this bed's credentials. */
  static OSSClient client(String endpoint) {
    return OSSClient.newBuilder()
        .credentialsProvider(new StaticCredentialsProvider(AK, SK))
        .region(REGION)
        .endpoint(endpoint)
        .usePathStyle(true)
        .retryMaxAttempts(1)
        .build();
  }

  LocalOssServer server() {
    return server;
  }

  String endpoint() {
    return server.endpoint();
  }

  OSSClient client() {
    return client;
  }

  @Override
  public void close() throws Exception {
    client.close();
    server.close();
  }
}
