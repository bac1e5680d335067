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

  /** MiB/s for {@code n} bytes in {@code nanos}. */
  static String rate(long n, long nanos) {
    if (nanos <= 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f MiB/s", n / (1024.0 * 1024) / (nanos / 1e9));
  }
}
