package dev.osscse.bench.oss;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * Pseudo-random object content that need not be held in memory: block {@code b} (64 KiB) is the
 * output of {@code SplittableRandom(seed + b)}, so any range can be regenerated to check what a
 * read returned.
 */
final class SeededObject {
  private static final int BLOCK = 64 * 1024;

  private final long seed;
  private final long size;

  SeededObject(long seed, long size) {
    this.seed = seed;
    this.size = size;
  }

  /** Returns the content from {@code offset}, {@code length} bytes. */
  byte[] bytes(long offset, int length) {
    byte[] out = new byte[length];
    byte[] block = new byte[BLOCK];
    int done = 0;
    while (done < length) {
      long pos = offset + done;
      long b = pos / BLOCK;
      fill(b, block);
      int from = (int) (pos % BLOCK);
      int n = Math.min(BLOCK - from, length - done);
      System.arraycopy(block, from, out, done, n);
      done += n;
    }
    return out;
  }

  /** Returns a stream of the whole content, generated as it is read. */
  InputStream stream() {
    return new InputStream() {
      private final byte[] block = new byte[BLOCK];
      private long pos;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= size) {
          return -1;
        }
        if (len == 0) {
          return 0;
        }
        int from = (int) (pos % BLOCK);
        if (from == 0) {
          fill(pos / BLOCK, block);
        }
        int n = (int) Math.min(Math.min(len, BLOCK - from), size - pos);
        System.arraycopy(block, from, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  private void fill(long block, byte[] into) {
    new SplittableRandom(seed + block).nextBytes(into);
  }
}
