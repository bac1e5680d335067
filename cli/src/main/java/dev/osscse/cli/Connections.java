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

  /**
   * The OSS endpoint URL in use, with its scheme: a host without one is reached over https, or over
   * http when it is a loopback address. A plain http endpoint on another host is refused unless
   * {@code --allow-insecure-http} was given.
   */
  String ossEndpoint() {
    String source = options.endpoint != null ? "--endpoint" : "OSS_ENDPOINT";
    String e = options.endpoint != null ? options.endpoint : ctx.env("OSS_ENDPOINT");
    if (e != null) {
      return checkedOssEndpoint(e.trim(), source);
    }
    String region = region();
    if (region == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "no OSS endpoint: pass --endpoint URL or --region REGION, or set OSS_ENDPOINT"
              + " (e.g. https://oss-cn-hangzhou.aliyuncs.com)");
    }
    return "https://oss-" + region + ".aliyuncs.com";
  }

  private String checkedOssEndpoint(String endpoint, String source) {
    if (!endpoint.contains("://")) {
      String host = hostOf("//" + endpoint);
      return (host != null && isLoopback(host) ? "http://" : "https://") + endpoint;
    }
    String scheme = endpoint.substring(0, endpoint.indexOf("://")).toLowerCase(Locale.ROOT);
    String host = hostOf(endpoint);
    if (host == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new CliException(
          ExitCodes.USAGE,
          source
              + " "
              + endpoint
              + ": not an OSS endpoint URL; use https://HOST (e.g."
              + " https://oss-cn-hangzhou.aliyuncs.com) or http://127.0.0.1:PORT for a local one");
    }
    if (scheme.equals("http") && !isLoopback(host) && !options.allowInsecureHttp) {
      throw new CliException(
          ExitCodes.USAGE,
          source
              + " "
              + endpoint
              + ": plain http to a host other than this machine sends every request and the"
              + " object data unprotected on the network; use https://"
              + endpoint.substring(endpoint.indexOf("://") + 3)
              + ", or pass --allow-insecure-http to accept it");
    }
    return endpoint;
  }

  /** The host of {@code scheme://host[:port][/...]} or {@code //host...}, or null. */
  private static String hostOf(String url) {
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * True for a host that names this machine without a DNS lookup: {@code localhost}, an IPv4
   * address in 127.0.0.0/8, or {@code ::1}.
   */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] octets = h.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String o : octets) {
      if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return true;
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
      oss = newOss();
    }
    return oss;
  }

  /** A new OSS client configured as {@link #oss()}, owned by the caller (who shuts it down). */
  OSS newOss() {
    String endpoint = ossEndpoint();
    String[] c = credentials();
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setMaxErrorRetry(2);
    conf.setConnectionTimeout(10_000);
    conf.setSocketTimeout(60_000);
    // Every object goes through the binding, which compares its own CRC-64 of each body with the
    // server's (computed in the encryption pass, several times faster than the SDK's).
    conf.setCrcCheckEnabled(false);
    DefaultCredentialProvider creds =
        c[2] == null
            ? new DefaultCredentialProvider(c[0], c[1])
            : new DefaultCredentialProvider(c[0], c[1], c[2]);
    return new OSSClientBuilder().build(endpoint, creds, conf);
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
    boolean loopback = !host.isEmpty() && isLoopback(host);
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
