package dev.osscse.local.oss;

/**
 * CRC-64/XZ (ECMA-182 polynomial, reflected, initial value and final XOR all ones), the checksum
 * OSS returns in {@code x-oss-hash-crc64ecma}.
 *
 * <p>Instances are mutable and not thread-safe. {@link #combine(long, long, long)} joins the CRCs
 * of two adjacent byte sequences, as the OSS SDK does for multipart uploads.
 */
final class Crc64 {
  private static final long POLY = 0xC96C5795D7870F42L;
  private static final long[][] TABLE = new long[8][256];

  static {
    for (int n = 0; n < 256; n++) {
      long crc = n;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
      }
      TABLE[0][n] = crc;
    }
    for (int n = 0; n < 256; n++) {
      long crc = TABLE[0][n];
      for (int k = 1; k < 8; k++) {
        crc = TABLE[0][(int) (crc & 0xff)] ^ (crc >>> 8);
        TABLE[k][n] = crc;
      }
    }
  }

  private long value;

  /** The CRC so far, as the unsigned 64-bit value stored in a {@code long}. */
  long getValue() {
    return value;
  }

  void update(byte[] b, int off, int len) {
    long crc = ~value;
    int i = off;
    int end = off + len;
    while (end - i >= 8) {
      crc ^=
          (b[i] & 0xffL)
              | (b[i + 1] & 0xffL) << 8
              | (b[i + 2] & 0xffL) << 16
              | (b[i + 3] & 0xffL) << 24
              | (b[i + 4] & 0xffL) << 32
              | (b[i + 5] & 0xffL) << 40
              | (b[i + 6] & 0xffL) << 48
              | (b[i + 7] & 0xffL) << 56;
      crc =
          TABLE[7][(int) (crc & 0xff)]
              ^ TABLE[6][(int) ((crc >>> 8) & 0xff)]
              ^ TABLE[5][(int) ((crc >>> 16) & 0xff)]
              ^ TABLE[4][(int) ((crc >>> 24) & 0xff)]
              ^ TABLE[3][(int) ((crc >>> 32) & 0xff)]
              ^ TABLE[2][(int) ((crc >>> 40) & 0xff)]
              ^ TABLE[1][(int) ((crc >>> 48) & 0xff)]
              ^ TABLE[0][(int) (crc >>> 56)];
      i += 8;
    }
    while (i < end) {
      crc = TABLE[0][(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
      i++;
    }
    value = ~crc;
  }

  /** Unsigned decimal text, the format of the {@code x-oss-hash-crc64ecma} header. */
  static String toUnsignedString(long crc) {
    return Long.toUnsignedString(crc);
  }

  /**
   * CRC of the concatenation A||B given crc(A), crc(B) and the length of B (zlib's crc32_combine,
   * widened to 64 bits).
   */
  static long combine(long crc1, long crc2, long len2) {
    if (len2 <= 0) {
      return crc1;
    }
    long[] even = new long[64];
    long[] odd = new long[64];
    odd[0] = POLY;
    long row = 1;
    for (int n = 1; n < 64; n++) {
      odd[n] = row;
      row <<= 1;
    }
    gf2MatrixSquare(even, odd);
    gf2MatrixSquare(odd, even);
    long len = len2;
    long c1 = crc1;
    do {
      gf2MatrixSquare(even, odd);
      if ((len & 1) != 0) {
        c1 = gf2MatrixTimes(even, c1);
      }
      len >>>= 1;
      if (len == 0) {
        break;
      }
      gf2MatrixSquare(odd, even);
      if ((len & 1) != 0) {
        c1 = gf2MatrixTimes(odd, c1);
      }
      len >>>= 1;
    } while (len != 0);
    return c1 ^ crc2;
  }

  private static long gf2MatrixTimes(long[] mat, long vec) {
    long sum = 0;
    int i = 0;
    long v = vec;
    while (v != 0) {
      if ((v & 1) != 0) {
        sum ^= mat[i];
      }
      v >>>= 1;
      i++;
    }
    return sum;
  }

  private static void gf2MatrixSquare(long[] square, long[] mat) {
    for (int n = 0; n < 64; n++) {
      square[n] = gf2MatrixTimes(mat, mat[n]);
    }
  }
}
