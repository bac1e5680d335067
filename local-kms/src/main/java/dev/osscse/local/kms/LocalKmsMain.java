package dev.osscse.local.kms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LocalKmsServer} until the process is stopped.
 *
 * <pre>
 * java dev.osscse.local.kms.LocalKmsMain [--dir DIR] [--http-port N] [--https-port N]
 *     [(--credentials AK:SK | --credentials-file FILE)... | --anonymous] [--create-key]
 * </pre>
 *
 * Prints {@code http=URL}, {@code https=URL}, {@code truststore=PATH}, {@code
 * truststore-password=...}, {@code access-key-id=...} and, with {@code --create-key} or when the
 * directory holds no key yet, {@code key-id=UUID}, once listening. Without {@code --dir} the keys
 * live in a new temporary directory. A credentials file holds {@code AK:SK} lines (keeping the
 * secret out of the process list). Without credentials a random pair is made and required, unless
 * {@code --anonymous} turns every check off.
 */
public final class LocalKmsMain {
  private LocalKmsMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    LocalKmsServer.Builder b = LocalKmsServer.builder();
    Path dir = null;
    boolean createKey = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--create-key")) {
        createKey = true;
        continue;
      }
      if (a.equals("--anonymous")) {
        b.allowAnonymous();
        continue;
      }
      if (i + 1 >= args.length) {
        usage("missing value for " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--dir" -> dir = Path.of(v);
        case "--http-port" -> b.httpPort(Integer.parseInt(v));
        case "--https-port" -> b.httpsPort(Integer.parseInt(v));
        case "--credentials" -> {
          int colon = v.indexOf(':');
          if (colon <= 0) {
            usage("--credentials takes AK:SK");
          }
          b.credentials(v.substring(0, colon), v.substring(colon + 1));
        }
        case "--credentials-file" -> {
          for (String line : Files.readAllLines(Path.of(v), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
              continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
              usage("--credentials-file: each line is AK:SK");
            }
            b.credentials(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
          }
        }
        default -> usage("unknown option " + a);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("local-kms");
    }
    boolean empty = !Files.isDirectory(dir.resolve("keys")) || isEmpty(dir.resolve("keys"));
    LocalKmsServer server;
    try {
      server = b.dir(dir).build().start();
    } catch (IllegalStateException e) {
      usage(e.getMessage());
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    System.out.println("http=" + server.httpEndpoint());
    try {
      System.out.println("https=" + server.httpsEndpoint());
      System.out.println("truststore=" + server.trustStorePath());
      System.out.println("truststore-password=" + server.trustStorePassword());
    } catch (IllegalStateException e) {
      // HTTPS disabled
    }
    System.out.println("access-key-id=" + server.accessKeyId());
    if (createKey || empty) {
      System.out.println("key-id=" + server.createKey());
    }
    System.out.flush();
    stopped.await();
  }

  private static boolean isEmpty(Path keys) throws IOException {
    try (var s = Files.list(keys)) {
      return s.findAny().isEmpty();
    }
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: LocalKmsMain [--dir DIR] [--http-port N] [--https-port N|-1]"
            + " [(--credentials AK:SK | --credentials-file FILE)... | --anonymous]"
            + " [--create-key]");
    System.exit(2);
  }
}
