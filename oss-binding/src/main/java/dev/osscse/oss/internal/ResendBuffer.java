package dev.osscse.oss.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Lets a stream that can be read only once be rewound to a mark within its next {@code capacity}
 * bytes, as a {@link java.io.BufferedInputStream} of that size does, but copies only those bytes:
 * once a read passes the mark's limit the mark is dropped and every later read goes straight to the
 * source, into the caller's buffer. (A {@code BufferedInputStream} keeps copying every byte through
 * its buffer for as long as the reader asks for less than a buffer at a time.)
 *
 * <p>{@code reset()} after a dropped or absent mark fails with an {@link IOException}.
 */
public final class ResendBuffer extends BulkInputStream {
  private final InputStream in;
  private final int capacity;
  private byte[] kept; // the bytes read since the mark, while it holds
  private int keptLen;
  private int pos; // next byte of kept to return; == keptLen when reading from the source
  private int limit = -1; // bytes the mark holds; -1 = no mark

  /** Wraps {@code source}; a mark holds at most {@code capacity} (> 0) bytes. */
  public ResendBuffer(InputStream source, int capacity) {
    this.in = source;
    this.capacity = capacity;
  }

  @Override
  public boolean markSupported() {
    return true;
  }

  @Override
  public synchronized void mark(int readLimit) {
    if (kept != null) { // marked while replaying: keep what is still to come (nothing at the end)
      System.arraycopy(kept, pos, kept, 0, keptLen - pos);
    }
    keptLen -= pos;
    pos = 0;
    limit = Math.max(0, Math.min(readLimit, capacity));
    if (keptLen > limit) {
      limit = -1; // the bytes still to replay exceed the new mark: they are replayed, once
    }
  }

  @Override
  public synchronized void reset() throws IOException {
    if (limit < 0) {
      throw new IOException("resetting to an invalid mark");
    }
    pos = 0;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (pos < keptLen) {
      int n = Math.min(len, keptLen - pos);
      System.arraycopy(kept, pos, b, off, n);
      pos += n;
      if (pos == keptLen && limit < 0) {
        dropMark();
      }
      return n;
    }
    int n = in.read(b, off, len);
    if (n > 0 && limit >= 0) {
      if (keptLen + n > limit) {
        dropMark();
      } else {
        if (kept == null || kept.length < keptLen + n) {
          kept = Arrays.copyOf(kept == null ? new byte[0] : kept, grow(keptLen + n));
        }
        System.arraycopy(b, off, kept, keptLen, n);
        keptLen += n;
        pos = keptLen;
      }
    }
    return n;
  }

  @Override
  public synchronized int available() throws IOException {
    return (keptLen - pos) + in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private int grow(int needed) {
    int size = Math.max(needed, kept == null ? 8192 : kept.length * 2);
    return Math.min(size, limit);
  }

  private void dropMark() {
    limit = -1;
    kept = null;
    keptLen = 0;
    pos = 0;
  }
}
