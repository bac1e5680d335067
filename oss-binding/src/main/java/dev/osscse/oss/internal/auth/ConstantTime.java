package dev.osscse.oss.internal.auth;

import java.util.Objects;

/** Comparisons whose running time does not depend on where two secrets-derived values differ. */
public final class ConstantTime {
  private ConstantTime() {}

  /**
   * True when both arrays have the same length and bytes. Time depends only on the lengths: every
   * byte is compared, whatever the first difference.
   */
  public static boolean equal(byte[] a, byte[] b) {
    return a.length == b.length && equal(a, 0, b, 0, a.length);
  }

  /** As {@link #equal(byte[], byte[])} for {@code a[aOff, aOff+len)} and {@code b[bOff, ...)}. */
  public static boolean equal(byte[] a, int aOff, byte[] b, int bOff, int len) {
    Objects.checkFromIndexSize(aOff, len, a.length);
    Objects.checkFromIndexSize(bOff, len, b.length);
    int diff = 0;
    for (int i = 0; i < len; i++) {
      diff |= a[aOff + i] ^ b[bOff + i];
    }
    return diff == 0;
  }
}
