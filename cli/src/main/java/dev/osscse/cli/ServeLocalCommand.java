package dev.osscse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
          + " OSS_ACCESS_KEY_SECRET, write them to an env file readable by the owner only (DIR/"
          + ServeLocalCommand.ENV_FILE
          + " unless --env-file), then serve until killed.",
      "The local credentials are generated at each start, or read from --credentials-file;"
          + " never from the environment, so credentials exported for real OSS are neither"
          + " printed nor used. A secret read from a file is not printed, only written to the"
          + " env file. Data persists in --dir across restarts."
    })
final class ServeLocalCommand extends BaseCommand {
  /** The env file's name under {@code --dir}. */
  static final String ENV_FILE = "local.env";

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

  @Option(
      names = "--credentials-file",
      paramLabel = "FILE",
      description =
          "Take the local credentials from FILE (lines OSS_ACCESS_KEY_ID=... and"
              + " OSS_ACCESS_KEY_SECRET=..., as in an env file this command wrote) instead of"
              + " generating them.")
  Path credentialsFile;

  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description = "Where to write the variables (mode 0600). Default: DIR/" + ENV_FILE + ".")
  Path envFile;

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
    String[] given = credentialsFile == null ? null : readCredentials(credentialsFile);
    DataDirectoryLock lock = DataDirectoryLock.acquire(dir); // one server per directory
    Path env = envFile != null ? envFile : dir.resolve(ENV_FILE);
    LocalEndpoints ends;
    try {
      Files.deleteIfExists(env); // a reader waiting for the file must not see a previous run's
      ends =
          LocalEndpoints.start(
              dir,
              port,
              kmsPort,
              kmsTlsPort,
              given == null ? null : given[0],
              given == null ? null : given[1],
              buckets);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ends.close();
                  stopped.countDown();
                },
                "oss-cse-serve-local-stop"));
    Map<String, String> variables = new LinkedHashMap<>(ends.variables());
    if (createKmsKey) {
      variables.put("KMS_KEY_ID", ends.kms.createKey());
    }
    LocalEndpoints.writeEnvFile(env, variables);
    for (Map.Entry<String, String> v : variables.entrySet()) {
      if (given != null && v.getKey().equals("OSS_ACCESS_KEY_SECRET")) {
        continue; // the caller's own secret: in the env file only
      }
      ctx.out().println(v.getKey() + "=" + v.getValue());
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
            + ", variables in "
            + env.toAbsolutePath()
            + "); stop with Ctrl-C");
    stopped.await();
    lock.close();
    return ExitCodes.OK;
  }

  /** {id, secret} from a file of NAME=VALUE lines; names the file, never a value, on error. */
  private static String[] readCredentials(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE, "--credentials-file: cannot read " + file + ": " + e.getMessage(), e);
    }
    String id = null;
    String secret = null;
    for (String line : lines) {
      String l = line.strip();
      if (l.startsWith("export ")) {
        l = l.substring("export ".length()).strip();
      }
      if (l.startsWith("OSS_ACCESS_KEY_ID=")) {
        id = l.substring("OSS_ACCESS_KEY_ID=".length()).strip();
      } else if (l.startsWith("OSS_ACCESS_KEY_SECRET=")) {
        secret = l.substring("OSS_ACCESS_KEY_SECRET=".length()).strip();
      }
    }
    if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE,
          "--credentials-file: "
              + file
              + " must hold non-empty OSS_ACCESS_KEY_ID= and OSS_ACCESS_KEY_SECRET= lines");
    }
    return new String[] {id, secret};
  }
}
