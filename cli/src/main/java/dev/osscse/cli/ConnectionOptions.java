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
      names = "--region",
      paramLabel = "REGION",
      description = "Region id such as cn-hangzhou (default: $OSS_REGION).")
  String region;
}
