package dev.osscse.oss.internal;

import java.io.IOException;

/** A response's {@code Content-Range: bytes first-last/total}. */
public record ContentRange(long first, long last, long total) {
  private static final int MAX_DIGITS = 18;

  /**
   * Parses an unverified {@code Content-Range} value.
   *
   * @throws IOException if it is not {@code bytes a-b/n} with {@code a <= b < n}
   */
  public static ContentRange parse(String value) throws IOException {
    String v = value.trim();
    if (v.length() > 80 || !v.regionMatches(true, 0, "bytes ", 0, 6)) {
      throw new IOException("malformed Content-Range in the response");
    }
    String rest = v.substring(6).trim();
    int dash = rest.indexOf('-');
    int slash = rest.indexOf('/');
    if (dash <= 0 || slash <= dash + 1 || slash == rest.length() - 1) {
      throw new IOException("malformed Content-Range in the response");
    }
    long a = number(rest.substring(0, dash));
    long b = number(rest.substring(dash + 1, slash));
    long n = number(rest.substring(slash + 1));
    if (a > b || b >= n) {
      throw new IOException("inconsistent Content-Range in the response");
    }
    return new ContentRange(a, b, n);
  }

  private static long number(String s) throws IOException {
    String t = s.trim();
    if (t.isEmpty() || t.length() > MAX_DIGITS || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IOException("malformed Content-Range in the response");
    }
    return Long.parseLong(t);
  }

  /** The number of bytes this range covers. */
  public long length() {
    return last - first + 1;
  }
}
