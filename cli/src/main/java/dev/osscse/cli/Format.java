package dev.osscse.cli;

import java.util.Locale;

/** Human-readable sizes, durations and rates. */
final class Format {
  private Format() {}

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 24.0 MiB}, {@code 2.00 GiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
  }

  /** Seconds with milliseconds, e.g. {@code 1.234 s}. */
  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  /**
   * The rate of {@code n} bytes in {@code nanos}, in the unit that fits ({@code 812 B/s}, {@code
   * 3.4 KiB/s}, {@code 95.1 MiB/s}), or {@code -} when nothing was moved or no time was measured: a
   * rate that would round to zero is never printed.
   */
  static String rate(long n, long nanos) {
    if (n <= 0 || nanos <= 0) {
      return "-";
    }
    double perSecond = n / (nanos / 1e9);
    return bytes(perSecond >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, Math.round(perSecond)))
        + "/s";
  }

  /** {@code in 1.234 s (95.1 MiB/s)}, or {@code in 0.003 s} when there is no rate to show. */
  static String took(long n, long nanos) {
    String r = rate(n, nanos);
    return "in " + seconds(nanos) + (r.equals("-") ? "" : " (" + r + ")");
  }
}
