package dev.osscse.cli;

import picocli.CommandLine.Option;

/**
 * Where OSS and KMS are: options override the environment ({@code OSS_ENDPOINT}, {@code
 * KMS_ENDPOINT}, {@code OSS_REGION}).
 */
public final class ConnectionOptions {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description =
          "OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:PORT"
              + " (default: $OSS_ENDPOINT, else derived from --region).")
  String endpoint;

  @Option(
      names = "--kms-endpoint",
      paramLabel = "URL",
      description =
          "KMS endpoint: a host such as kms.cn-hangzhou.aliyuncs.com, or http(s)://127.0.0.1:PORT"
              + " for a local one (default: $KMS_ENDPOINT, else derived from --region).")
  String kmsEndpoint;

  @Option(
      names = "--allow-insecure-http",
      description =
          "Accept a plain http:// OSS endpoint that is not on this machine (127.0.0.1, ::1,"
              + " localhost). Requests, credentials' signatures and the encrypted object bytes"
              + " then travel unprotected; the default refuses it.")
  boolean allowInsecureHttp;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "Region id such as cn-hangzhou (default: $OSS_REGION).")
  String region;
}
