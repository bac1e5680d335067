package dev.osscse.cli;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Locale;

/**
 * The OSS client and KMS key service of one command run, configured from {@link ConnectionOptions}
 * and the environment, created on first use and closed at the end.
 *
 * <p>Environment: {@code OSS_ENDPOINT}, {@code KMS_ENDPOINT}, {@code OSS_REGION}, {@code
 * OSS_ACCESS_KEY_ID}, {@code OSS_ACCESS_KEY_SECRET}, {@code OSS_SESSION_TOKEN}, {@code
 * KMS_TRUSTSTORE}, {@code KMS_TRUSTSTORE_PASSWORD}. Secrets are read, never printed.
 */
final class Connections implements AutoCloseable {
  private final CliContext ctx;
  private final ConnectionOptions options;
  private OSS oss;
  private AliyunKmsKeyService kms;

  Connections(CliContext ctx, ConnectionOptions options) {
    this.ctx = ctx;
    this.options = options == null ? new ConnectionOptions() : options;
  }

  /** The OSS endpoint URL in use. */
  String ossEndpoint() {
    String e = options.endpoint != null ? options.endpoint : ctx.env("OSS_ENDPOINT");
    if (e == null) {
      String region = region();
      if (region == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "no OSS endpoint: pass --endpoint URL or --region REGION, or set OSS_ENDPOINT"
                + " (e.g. https://oss-cn-hangzhou.aliyuncs.com)");
      }
      e = "https://oss-" + region + ".aliyuncs.com";
    }
    return e;
  }

  private String region() {
    return options.region != null ? options.region : ctx.env("OSS_REGION");
  }

  private String[] credentials() {
    String id = ctx.env("OSS_ACCESS_KEY_ID");
    String secret = ctx.env("OSS_ACCESS_KEY_SECRET");
    if (id == null || secret == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "no credentials: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET"
              + " (and OSS_SESSION_TOKEN for STS credentials)");
    }
    return new String[] {id, secret, ctx.env("OSS_SESSION_TOKEN")};
  }

  /** The plain OSS client (created on first call). */
  OSS oss() {
    if (oss == null) {
      String endpoint = ossEndpoint();
      String[] c = credentials();
      ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
      conf.setMaxErrorRetry(2);
      conf.setConnectionTimeout(10_000);
      conf.setSocketTimeout(60_000);
      DefaultCredentialProvider creds =
          c[2] == null
              ? new DefaultCredentialProvider(c[0], c[1])
              : new DefaultCredentialProvider(c[0], c[1], c[2]);
      oss = new OSSClientBuilder().build(endpoint, creds, conf);
    }
    return oss;
  }

  /** The KMS key service (created on first call). */
  AliyunKmsKeyService kms() {
    if (kms == null) {
      String[] c = credentials();
      AliyunKmsKeyService.Builder b = AliyunKmsKeyService.builder().maxRetries(2);
      String endpoint = options.kmsEndpoint != null ? options.kmsEndpoint : ctx.env("KMS_ENDPOINT");
      String region = region();
      if (region != null) {
        b.region(region);
      }
      if (endpoint != null) {
        configureEndpoint(b, endpoint);
      } else if (region == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "no KMS endpoint: pass --kms-endpoint or --region REGION, or set KMS_ENDPOINT"
                + " (e.g. kms.cn-hangzhou.aliyuncs.com)");
      }
      b.credentials(c[0], c[1], c[2]);
      kms = b.build();
    }
    return kms;
  }

  private void configureEndpoint(AliyunKmsKeyService.Builder b, String endpoint) {
    if (!endpoint.contains("://")) {
      b.endpoint(endpoint);
      return;
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "KMS endpoint is not a valid URL: " + endpoint, e);
    }
    String host = uri.getHost() == null ? "" : uri.getHost();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    if (!loopback) {
      if (!scheme.equals("https")) {
        throw new CliException(
            ExitCodes.USAGE,
            "KMS endpoint " + endpoint + ": a remote KMS is reached over https only");
      }
      b.endpoint(uri.getPort() > 0 ? host + ":" + uri.getPort() : host);
      return;
    }
    b.localEndpoint(uri);
    if (scheme.equals("https")) {
      String store = ctx.env("KMS_TRUSTSTORE");
      if (store != null) {
        String pw = ctx.env("KMS_TRUSTSTORE_PASSWORD");
        try {
          b.trustStore(Path.of(store), pw == null ? new char[0] : pw.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
          throw new CliException(
              Files.exists(Path.of(store)) ? ExitCodes.KEY : ExitCodes.NOT_FOUND,
              "KMS_TRUSTSTORE "
                  + store
                  + " cannot be loaded ("
                  + e.getClass().getSimpleName()
                  + "); check the file and KMS_TRUSTSTORE_PASSWORD",
              e);
        }
      }
    }
  }

  @Override
  public void close() {
    if (oss != null) {
      oss.shutdown();
      oss = null;
    }
    if (kms != null) {
      kms.close();
      kms = null;
    }
  }
}
