package dev.osscse.local.oss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LocalOssServer} until the process is stopped.
 *
 * <pre>
 * java dev.osscse.local.oss.LocalOssMain [--dir DATA] [--port N]
 *     (--credentials AK:SK | --credentials-file FILE)... | --anonymous
 *     [--bucket NAME]... [--min-part-size BYTES] [--request-body-rate BYTES_PER_SECOND]
 * </pre>
 *
 * Prints {@code endpoint=http://127.0.0.1:PORT} once listening. Without {@code --dir} the data
 * lives in a temporary directory removed at exit. A credentials file holds {@code AK:SK} lines
 * (keeps the secret out of the process list); a server with no credentials needs {@code
 * --anonymous} and then accepts every request unsigned.
 */
public final class LocalOssMain {
  private LocalOssMain() {}

  public static void main(String[] args) throws InterruptedException, IOException {
    LocalOssServer.Builder b = LocalOssServer.builder();
    List<String> buckets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--anonymous")) {
        b.allowAnonymous();
        continue;
      }
      if (i + 1 >= args.length) {
        usage("missing value for " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--dir" -> b.dataDirectory(Path.of(v));
        case "--port" -> b.port(Integer.parseInt(v));
        case "--credentials" -> {
          int colon = v.indexOf(':');
          if (colon <= 0) {
            usage("--credentials takes AK:SK");
          }
          b.credentials(v.substring(0, colon), v.substring(colon + 1));
        }
        case "--credentials-file" -> {
          for (String line : Files.readAllLines(Path.of(v), StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (line.isBlank() || line.startsWith("#")) {
              continue;
            }
            if (colon <= 0) {
              usage("--credentials-file: each line is AK:SK");
            }
            b.credentials(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
          }
        }
        case "--bucket" -> buckets.add(v);
        case "--min-part-size" -> b.minPartSize(Long.parseLong(v));
        case "--request-body-rate" -> b.requestBodyRate(Long.parseLong(v));
        default -> usage("unknown option " + a);
      }
    }
    LocalOssServer server;
    try {
      server = b.build().start();
    } catch (IllegalStateException e) {
      usage(e.getMessage());
      return;
    }
    buckets.forEach(server::createBucket);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    System.out.println("endpoint=" + server.endpoint());
    System.out.flush();
    stopped.await();
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: LocalOssMain [--dir DATA] [--port N]"
            + " (--credentials AK:SK | --credentials-file FILE)... | --anonymous"
            + " [--bucket NAME]... [--min-part-size BYTES] [--request-body-rate BYTES_PER_SECOND]");
    System.exit(2);
  }
}
