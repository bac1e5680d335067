package dev.osscse.provider.internal.wrap;

/**
 * Branch-free helpers over {@code int} masks: {@code -1} means true, {@code 0} means false.
 *
 * <p>The JVM gives no timing guarantee, but these helpers avoid data-dependent branches and table
 * look-ups so that the JIT has nothing secret to branch on.
 */
final class ConstantTime {
  static final int TRUE = -1;
  static final int FALSE = 0;

  private ConstantTime() {}

  /** Returns {@code -1} if {@code x == 0}, else {@code 0}. */
  static int isZero(int x) {
    return ~((x | -x) >> 31);
  }

  /** Returns {@code -1} if {@code a == b}, else {@code 0}. */
  static int equal(int a, int b) {
    return isZero(a ^ b);
  }

  /** Returns {@code -1} if {@code a < b}; both must be in {@code [0, 2^30)}. */
  static int lessThan(int a, int b) {
    return (a - b) >> 31;
  }

  /** Returns {@code a} if {@code mask == -1}, {@code b} if {@code mask == 0}. */
  static int select(int mask, int a, int b) {
    return (a & mask) | (b & ~mask);
  }

  /** Returns {@code -1} if the two ranges hold equal bytes; reads every byte. */
  static int bytesEqual(byte[] a, int aOff, byte[] b, int bOff, int len) {
    int diff = 0;
    for (int i = 0; i < len; i++) {
      diff |= a[aOff + i] ^ b[bOff + i];
    }
    return isZero(diff & 0xff);
  }
}
