package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.oss.aliyun.OssCseClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Client CPU of a PUT, plain SDK client against OssCse, measured in pairs: one JVM, one SDK client
 * (OssCse runs over it), the local OSS endpoint in a process of its own ({@link ExternalEndpoint}),
 * and the two uploads of each round back to back, their order alternating, so that both see the
 * same load on a shared machine. Each upload's cost is the CPU time of the whole client process
 * over it ({@link ProcessCpuProfiler#threadTimes()}, ns).
 *
 * <pre>
 * java -cp benchmarks.jar dev.osscse.bench.oss.PairedPutCost [size [rounds]]
 * </pre>
 *
 * <p>Prints the median CPU per upload of each client, the median and the quartiles of the per-round
 * ratio OssCse / plain, and the load average before and after. Not run by {@code run.sh}.
 */
public final class PairedPutCost {
  private static final int WARM_UP_ROUNDS = 6;

  private PairedPutCost() {}

  /**
   * Runs the comparison.
   *
   * @param args object size in bytes (default 268435456) and measured rounds (default 30)
   */
  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 256 << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    String loadBefore = load();
    try (OssFixture fixture = OssFixture.external()) {
      OSS oss = fixture.plainClient();
      OssCseClient cse = OssTransfer.cseClient(oss);
      byte[] data = OssFixture.randomBytes(size);
      long[][] cpu = new long[2][rounds];
      for (int r = -WARM_UP_ROUNDS; r < rounds; r++) {
        for (int k = 0; k < 2; k++) {
          int c = (r & 1) == 0 ? k : 1 - k; // 0 plain, 1 OssCse; who goes first alternates
          Map<String, Long> start = ProcessCpuProfiler.threadTimes();
          OssTransfer.upload(oss, c == 1 ? cse : null, OssTransfer.BUCKET, "put", data);
          long t = ProcessCpuProfiler.between(start, ProcessCpuProfiler.threadTimes());
          if (r >= 0) {
            cpu[c][r] = t;
          }
        }
      }
      double[] ratios = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratios[r] = (double) cpu[1][r] / cpu[0][r];
      }
      double gib = size / (double) (1L << 30);
      double plain = median(cpu[0]);
      double ours = median(cpu[1]);
      Arrays.sort(ratios);
      System.out.printf(
          Locale.ROOT,
          "size=%d rounds=%d java=%s%nplain  median %.1f ms/op (%.3f s/GiB)%nOssCse median %.1f"
              + " ms/op (%.3f s/GiB)%nratio of medians %.3f; per-round ratio median %.3f,"
              + " quartiles %.3f..%.3f, range %.3f..%.3f%nload average %s before, %s after%n",
          size,
          rounds,
          System.getProperty("java.runtime.version"),
          plain / 1e6,
          plain / 1e9 / gib,
          ours / 1e6,
          ours / 1e9 / gib,
          ours / plain,
          quantile(ratios, 0.5),
          quantile(ratios, 0.25),
          quantile(ratios, 0.75),
          ratios[0],
          ratios[rounds - 1],
          loadBefore,
          load());
    }
  }

  private static double median(long[] values) {
    double[] d = Arrays.stream(values).asDoubleStream().sorted().toArray();
    return quantile(d, 0.5);
  }

  /** Linear interpolation between the closest ranks of sorted {@code d}. */
  private static double quantile(double[] d, double q) {
    double pos = q * (d.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, d.length - 1);
    return d[lo] + (d[hi] - d[lo]) * (pos - lo);
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
