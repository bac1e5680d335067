package dev.osscse.bench.oss;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the paired-rounds runners share ({@link PairedPutCost}, {@link PairedRandomRead}, {@link
 * PairedMultipart}): running two ways back to back in every round of one JVM, and the medians,
 * quantiles and load average they print.
 */
final class PairedRounds {
  private PairedRounds() {}

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
