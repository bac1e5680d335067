package dev.osscse.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve-local}: local OSS and KMS endpoints until killed. */
@Command(
    name = "serve-local",
    mixinStandardHelpOptions = true,
    header = "Start local OSS and KMS endpoints and print their variables.",
    description = {
      "Start a local OSS endpoint and a local KMS endpoint (HTTP and HTTPS) on 127.0.0.1,"
          + " create the named buckets, print NAME=VALUE lines for OSS_ENDPOINT, KMS_ENDPOINT,"
          + " KMS_TLS_ENDPOINT, KMS_TRUSTSTORE, KMS_TRUSTSTORE_PASSWORD, OSS_ACCESS_KEY_ID and"
          + " OSS_ACCESS_KEY_SECRET, then serve until killed.",
      "Credentials are taken from OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET when set,"
          + " generated otherwise. Data persists in --dir across restarts."
    })
final class ServeLocalCommand extends BaseCommand {
  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".oss-cse-local",
      description = "Data directory (objects, KMS keys, trust store). Default: ${DEFAULT-VALUE}.")
  Path dir;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "0",
      description = "OSS port; 0 = any free port (default).")
  int port;

  @Option(
      names = "--kms-port",
      paramLabel = "N",
      defaultValue = "0",
      description = "KMS HTTP port; 0 = any free port (default).")
  int kmsPort;

  @Option(
      names = "--kms-tls-port",
      paramLabel = "N",
      defaultValue = "0",
      description = "KMS HTTPS port; 0 = any free port (default).")
  int kmsTlsPort;

  @Option(names = "--bucket", paramLabel = "NAME", description = "Bucket to create (repeatable).")
  List<String> buckets = new ArrayList<>();

  @Option(
      names = "--create-kms-key",
      description =
          "Also create a master key on the local KMS and print its id as KMS_KEY_ID=... (last"
              + " line).")
  boolean createKmsKey;

  ServeLocalCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() throws Exception {
    for (int p : new int[] {port, kmsPort, kmsTlsPort}) {
      if (p < 0 || p > 65535) {
        throw new CliException(ExitCodes.USAGE, "ports must be 0..65535, got " + p);
      }
    }
    LocalEndpoints ends =
        LocalEndpoints.start(
            dir,
            port,
            kmsPort,
            kmsTlsPort,
            ctx.env("OSS_ACCESS_KEY_ID"),
            ctx.env("OSS_ACCESS_KEY_SECRET"),
            buckets);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ends.close();
                  stopped.countDown();
                },
                "oss-cse-serve-local-stop"));
    for (Map.Entry<String, String> v : ends.variables().entrySet()) {
      ctx.out().println(v.getKey() + "=" + v.getValue());
    }
    if (createKmsKey) {
      ctx.out().println("KMS_KEY_ID=" + ends.kms.createKey());
    }
    ctx.out().flush();
    note(
        "oss-cse: serving local OSS at "
            + ends.oss.endpoint()
            + " and KMS at "
            + ends.kms.httpEndpoint()
            + " / "
            + ends.kms.httpsEndpoint()
            + " (data in "
            + dir.toAbsolutePath()
            + "); stop with Ctrl-C");
    stopped.await();
    return ExitCodes.OK;
  }
}
