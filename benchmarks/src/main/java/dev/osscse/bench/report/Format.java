package dev.osscse.bench.report;

import java.util.Locale;

/** Number formatting for the report. */
final class Format {
  private Format() {}

  /** Formats a rate given in bytes per nanosecond (= GB/s) as MB/s or GB/s. */
  static String rate(double bytesPerNano) {
    if (Double.isNaN(bytesPerNano)) {
      return "-";
    }
    if (bytesPerNano >= 1) {
      return String.format(Locale.ROOT, "%.2f GB/s", bytesPerNano);
    }
    return String.format(Locale.ROOT, "%.0f MB/s", bytesPerNano * 1000);
  }

  /** Formats a duration in nanoseconds with a fitting unit. */
  static String nanos(double ns) {
    if (Double.isNaN(ns)) {
      return "-";
    }
    if (ns >= 1e6) {
      return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }
    if (ns >= 1e4) {
      return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
    }
    if (ns >= 1e3) {
      return String.format(Locale.ROOT, "%.2f us", ns / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f ns", ns);
  }

  /** Formats a result's median in its own terms. */
  static String score(JmhResult r) {
    double ns = r.medianNanos();
    if (!Double.isNaN(ns)) {
      return nanos(ns);
    }
    return String.format(Locale.ROOT, "%.3g %s", r.median(), r.unit());
  }

  /** Formats bytes per operation. */
  static String bytesPerOp(double b) {
    if (Double.isNaN(b)) {
      return "-";
    }
    if (b < 1) {
      return String.format(Locale.ROOT, "%.3f B/op", b);
    }
    if (b < 10) {
      return String.format(Locale.ROOT, "%.2f B/op", b);
    }
    return String.format(Locale.ROOT, "%,.0f B/op", b);
  }

  /**
   * Formats CPU time per operation as seconds of CPU per GiB processed, e.g. {@code 0.412 s/GiB};
   * {@code -} if either figure is unknown.
   */
  static String cpuPerGiB(double cpuNanosPerOp, long bytesPerOp) {
    if (Double.isNaN(cpuNanosPerOp) || bytesPerOp <= 0) {
      return "-";
    }
    double seconds = cpuNanosPerOp / 1e9 * (double) (1L << 30) / bytesPerOp;
    return String.format(Locale.ROOT, "%.3f s/GiB", seconds);
  }

  /** Formats a ratio. */
  static String ratio(double r) {
    if (Double.isNaN(r)) {
      return "-";
    }
    if (r < 0.1) {
      return String.format(Locale.ROOT, "%.3fx", r);
    }
    return String.format(Locale.ROOT, r >= 10 ? "%.1fx" : "%.2fx", r);
  }
}
