package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    String loadBefore = load();
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
        double plain = median(cpu[0]);
        for (int c = 0; c < 3; c++) {
          double m = median(cpu[c]);
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
                quantile(ratios, 0.5),
                quantile(ratios, 0.25),
                quantile(ratios, 0.75),
                ratios[0],
                ratios[rounds - 1]);
          }
          System.out.println();
        }
        System.out.printf(Locale.ROOT, "load average %s before, %s after%n", loadBefore, load());
      } finally {
        ownCrc.shutdown();
      }
    }
  }

  /** One of two ways compared in rounds; {@code first} is true in the first warm-up round. */
  interface Way {
    void run(int way, boolean first) throws Exception;
  }

  /**
   * Runs ways 0 and 1 back to back in every round, which goes first alternating, and returns their
   * times in the measured rounds ({@code [way][round]}, nanoseconds).
   */
  static long[][] alternate(int warmUpRounds, int rounds, Way way) throws Exception {
    long[][] wall = new long[2][rounds];
    for (int r = -warmUpRounds; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        int c = Math.floorMod(r + k, 2);
        long t0 = System.nanoTime();
        way.run(c, r == -warmUpRounds);
        long t = System.nanoTime() - t0;
        if (r >= 0) {
          wall[c][r] = t;
        }
      }
    }
    return wall;
  }

  /**
   * Prints two ways' median round times and the ratio of the first's time over the second's: of the
   * medians, and the median, quartiles and range of the per-round ratios.
   */
  static void printRatios(
      String header, String first, long[] a, String second, long[] b, String loadBefore) {
    System.out.println(header + " java=" + System.getProperty("java.runtime.version"));
    double[] ratios = new double[a.length];
    for (int r = 0; r < a.length; r++) {
      ratios[r] = (double) a[r] / b[r];
    }
    Arrays.sort(ratios);
    System.out.printf(
        Locale.ROOT,
        "%s median %.1f ms, %s median %.1f ms; ratio (%s time / %s time) of medians %.3f,"
            + " per-round median %.3f, quartiles %.3f..%.3f, range %.3f..%.3f%n",
        first,
        median(a) / 1e6,
        second,
        median(b) / 1e6,
        first,
        second,
        median(a) / median(b),
        quantile(ratios, 0.5),
        quantile(ratios, 0.25),
        quantile(ratios, 0.75),
        ratios[0],
        ratios[ratios.length - 1]);
    System.out.printf(Locale.ROOT, "load average %s before, %s after%n", loadBefore, load());
  }

  static double median(long[] values) {
    double[] d = Arrays.stream(values).asDoubleStream().sorted().toArray();
    return quantile(d, 0.5);
  }

  /** Linear interpolation between the closest ranks of sorted {@code d}. */
  static double quantile(double[] d, double q) {
    double pos = q * (d.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, d.length - 1);
    return d[lo] + (d[hi] - d[lo]) * (pos - lo);
  }

  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
