package dev.osscse.cli;

import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.local.oss.LocalOssServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The local OSS and KMS endpoints together, as {@code serve-local} and {@code demo} run them. */
final class LocalEndpoints implements AutoCloseable {
  final LocalOssServer oss;
  final LocalKmsServer kms;
  final String accessKeyId;
  final String accessKeySecret;

  private LocalEndpoints(
      LocalOssServer oss, LocalKmsServer kms, String accessKeyId, String accessKeySecret) {
    this.oss = oss;
    this.kms = kms;
    this.accessKeyId = accessKeyId;
    this.accessKeySecret = accessKeySecret;
  }

  /**
   * Starts both endpoints under {@code dir} ({@code dir/oss}, {@code dir/kms}).
   *
   * @param accessKeyId null to generate a pair (never taken from the environment here)
   */
  static LocalEndpoints start(
      Path dir,
      int ossPort,
      int kmsPort,
      int kmsTlsPort,
      String accessKeyId,
      String accessKeySecret,
      List<String> buckets)
      throws IOException {
    String id = accessKeyId;
    String secret = accessKeySecret;
    if (id == null || secret == null) {
      SecureRandom r = new SecureRandom();
      byte[] a = new byte[8];
      byte[] b = new byte[15];
      r.nextBytes(a);
      r.nextBytes(b);
      id = "LTAIlocal" + HexFormat.of().formatHex(a);
      secret = HexFormat.of().formatHex(b);
    }
    LocalOssServer oss =
        LocalOssServer.builder()
            .dataDirectory(dir.resolve("oss"))
            .port(ossPort)
            .credentials(id, secret)
            .build()
            .start();
    LocalKmsServer kms;
    try {
      kms =
          LocalKmsServer.builder()
              .dir(dir.resolve("kms"))
              .httpPort(kmsPort)
              .httpsPort(kmsTlsPort)
              .credentials(id, secret)
              .build()
              .start();
    } catch (IOException | RuntimeException e) {
      oss.close();
      throw e;
    }
    LocalEndpoints ends = new LocalEndpoints(oss, kms, id, secret);
    try {
      for (String bucket : buckets) {
        oss.createBucket(bucket);
      }
    } catch (IllegalArgumentException e) {
      ends.close();
      throw new CliException(ExitCodes.USAGE, "--bucket: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      ends.close();
      throw e;
    }
    return ends;
  }

  /** The variables a client needs, in the order {@code serve-local} prints them. */
  Map<String, String> variables() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("OSS_ENDPOINT", oss.endpoint());
    m.put("KMS_ENDPOINT", kms.httpEndpoint().toString());
    m.put("KMS_TLS_ENDPOINT", kms.httpsEndpoint().toString());
    m.put("KMS_TRUSTSTORE", kms.trustStorePath().toAbsolutePath().toString());
    m.put("KMS_TRUSTSTORE_PASSWORD", kms.trustStorePassword());
    m.put("OSS_ACCESS_KEY_ID", accessKeyId);
    m.put("OSS_ACCESS_KEY_SECRET", accessKeySecret);
    return m;
  }

  /**
   * Writes {@code NAME=VALUE} lines to {@code file}, readable and writable by the owner only
   * (0600), through a temporary file in the same directory moved into place, so that a reader never
   * sees a partial file nor one that others may read.
   */
  static void writeEnvFile(Path file, Map<String, String> variables) throws IOException {
    Path target = file.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp;
    try {
      tmp =
          Files.createTempFile(
              parent,
              ".local-env-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      tmp = Files.createTempFile(parent, ".local-env-", ".tmp"); // not POSIX: the platform default
    }
    try {
      StringBuilder sb = new StringBuilder();
      variables.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
      Files.writeString(tmp, sb, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void close() {
    try {
      kms.close();
    } finally {
      oss.close();
    }
  }
}
