package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Client CPU of a PUT (or a GET), plain SDK client against OssCse, measured in rounds: one JVM, the
 * local OSS endpoint in a process of its own ({@link ExternalEndpoint}), and the three transfers of
 * each round back to back, their order rotating, so that all see the same load on a shared machine:
 * {@code plain} (the SDK's default client), {@code OssCse} over an SDK client with its CRC-64 check
 * off ({@link OssTransfer#ownCrcClient}: the binding's own CRC-64 in the encryption pass) and
 * {@code OssCse/sdk-crc} over the plain client (the SDK's CRC-64). Each transfer's cost is the CPU
 * time of the whole client process over it ({@link ProcessCpuProfiler#threadTimes()}, ns).
 *
 * <pre>
 * java -cp benchmarks.jar dev.osscse.bench.oss.PairedPutCost [size [rounds [put|get]]]
 * </pre>
 *
 * <p>Prints the median CPU per transfer of each client, the median and the quartiles of the
 * per-round ratio to plain, and the load average before and after. Not run by {@code run.sh}.
 */
public final class PairedPutCost {
  private static final int WARM_UP_ROUNDS = 6;
  private static final String[] NAMES = {"plain", "OssCse", "OssCse/sdk-crc"};

  private PairedPutCost() {}

  /** One transfer of one client. */
  private interface Transfer {
    void run() throws Exception;
  }

  /**
   * Runs the comparison.
   *
   * @param args object size in bytes (default 268435456), measured rounds (default 30) and {@code
   *     put} (default) or {@code get}
   */
  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 256 << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    boolean get = args.length > 2 && args[2].equals("get");
    String loadBefore = PairedRounds.load();
    try (OssFixture fixture = OssFixture.external()) {
      OSS oss = fixture.plainClient();
      OSS ownCrc = OssTransfer.ownCrcClient(fixture.endpoint());
      try {
        OssCseClient[] cse = {
          null, OssTransfer.cseClient(ownCrc), OssTransfer.cseClient(oss),
        };
        byte[] data = OssFixture.randomBytes(size);
        byte[] sink = new byte[1 << 16];
        Transfer[] transfers = new Transfer[3];
        for (int c = 0; c < 3; c++) {
          OssCseClient client = cse[c];
          String key = "object-" + c;
          if (get) {
            OssTransfer.upload(oss, client, OssTransfer.BUCKET, key, data);
            transfers[c] =
                () -> {
                  try (InputStream in =
                      OssTransfer.open(oss, client, OssTransfer.BUCKET, key, null)) {
                    OssTransfer.drain(in, sink);
                  }
                };
          } else {
            transfers[c] = () -> OssTransfer.upload(oss, client, OssTransfer.BUCKET, key, data);
          }
        }
        long[][] cpu = new long[3][rounds];
        for (int r = -WARM_UP_ROUNDS; r < rounds; r++) {
          for (int k = 0; k < 3; k++) {
            int c = Math.floorMod(r + k, 3); // who goes first rotates
            Map<String, Long> start = ProcessCpuProfiler.threadTimes();
            transfers[c].run();
            long t = ProcessCpuProfiler.between(start, ProcessCpuProfiler.threadTimes());
            if (r >= 0) {
              cpu[c][r] = t;
            }
          }
        }
        double gib = size / (double) (1L << 30);
        System.out.printf(
            Locale.ROOT,
            "%s size=%d rounds=%d java=%s%n",
            get ? "GET" : "PUT",
            size,
            rounds,
            System.getProperty("java.runtime.version"));
        double plain = PairedRounds.median(cpu[0]);
        for (int c = 0; c < 3; c++) {
          double m = PairedRounds.median(cpu[c]);
          System.out.printf(
              Locale.ROOT,
              "%-15s median %.1f ms/op (%.3f s/GiB)",
              NAMES[c],
              m / 1e6,
              m / 1e9 / gib);
          if (c > 0) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
              ratios[r] = (double) cpu[c][r] / cpu[0][r];
            }
            Arrays.sort(ratios);
            System.out.printf(
                Locale.ROOT,
                "; ratio of medians %.3f, per-round ratio median %.3f, quartiles %.3f..%.3f,"
                    + " range %.3f..%.3f",
                m / plain,
                PairedRounds.quantile(ratios, 0.5),
                PairedRounds.quantile(ratios, 0.25),
                PairedRounds.quantile(ratios, 0.75),
                ratios[0],
                ratios[rounds - 1]);
          }
          System.out.println();
        }
        System.out.printf(
            Locale.ROOT, "load average %s before, %s after%n", loadBefore, PairedRounds.load());
      } finally {
        ownCrc.shutdown();
      }
    }
  }
}
