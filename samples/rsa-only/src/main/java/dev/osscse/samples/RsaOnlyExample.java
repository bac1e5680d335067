package dev.osscse.samples;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Map;

/**
 * The smallest application of the binding with an RSA master key: an encrypted put, a ranged get
 * and a parallel multipart upload. Its module's build proves the dependency set stays lean.
 */
public final class RsaOnlyExample {
  private final OSS oss;
  private final OssCseClient cse;

  /** A client for {@code endpoint} that encrypts under {@code masterKey}. */
  public RsaOnlyExample(
      String endpoint,
      String accessKeyId,
      String accessKeySecret,
      ClientBuilderConfiguration conf,
      KeyPair masterKey) {
    this.oss = new OSSClientBuilder().build(endpoint, accessKeyId, accessKeySecret, conf);
    this.cse =
        OssCseClient.builder(oss)
            .encryptWith(MasterKey.rsa(masterKey, Map.of("app", "rsa-only")))
            .build();
  }

  /** Encrypts {@code file} and uploads it as one object. */
  public void put(String bucket, String key, Path file)
      throws IOException, GeneralSecurityException {
    cse.putObject(bucket, key, file, null);
  }

  /** Encrypts {@code file} and uploads it in parts of {@code partSize}, two at a time. */
  public void putMultipart(String bucket, String key, Path file, long partSize)
      throws IOException, GeneralSecurityException {
    MultipartUploader.builder(cse.core())
        .partSize(partSize)
        .parallelism(2)
        .build()
        .upload(bucket, key, file, null);
  }

  /** Reads and decrypts {@code range} (for example {@code "100-"}) of an object. */
  public byte[] get(String bucket, String key, String range)
      throws IOException, GeneralSecurityException {
    try (InputStream in = cse.getObject(bucket, key, ByteRange.parse(range))) {
      return in.readAllBytes();
    }
  }

  /** Releases the HTTP client. */
  public void shutdown() {
    oss.shutdown();
  }
}
