package dev.osscse.local.oss;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Hands out the bytes of a request body no faster than a link of {@code bytesPerSecond} would
 * deliver them. The pace is kept on the cumulative count: after {@code n} bytes the stream returns
 * no earlier than {@code n / bytesPerSecond} seconds after its first read, so the total time is
 * exact however the reads are chunked. Waiting is done by sleeping, never by spinning. Reads are
 * cut to about 10 ms worth of bytes, so a slow link is smooth rather than bursty.
 */
final class PacedInputStream extends FilterInputStream {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final int MAX_CHUNK = 64 * 1024;

  private final long bytesPerSecond;
  private final int maxChunk;
  private long startNanos;
  private boolean started;
  private long total;

  /**
   * @param in the body as received
   * @param bytesPerSecond the link rate, at least 1
   */
  PacedInputStream(InputStream in, long bytesPerSecond) {
    super(in);
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.maxChunk = (int) Math.max(1, Math.min(MAX_CHUNK, bytesPerSecond / 100));
  }

  @Override
  public int read() throws IOException {
    start();
    int b = in.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return in.read(b, off, 0);
    }
    start();
    int n = in.read(b, off, Math.min(len, maxChunk));
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  /** Skipped bytes cross the link too: they are read and paced like the others. */
  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), maxChunk)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // not supported: a replayed byte would not cross the link again
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void start() {
    if (!started) {
      started = true;
      startNanos = System.nanoTime();
    }
  }

  /** Counts {@code n} more bytes and sleeps until the link would have delivered them all. */
  private void advance(int n) throws InterruptedIOException {
    total += n;
    long due = startNanos + dueOffsetNanos(total, bytesPerSecond);
    try {
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pacing the request body");
    }
  }

  /** Nanoseconds a link of {@code rate} bytes per second needs for {@code bytes} bytes. */
  static long dueOffsetNanos(long bytes, long rate) {
    long whole = bytes / rate;
    long rest = bytes % rate;
    // rest < rate, so rest * 1e9 overflows a long only for rates above ~9.2e9 B/s; a double
    // is close enough there (well under a nanosecond per second).
    long fraction =
        rest <= Long.MAX_VALUE / NANOS_PER_SECOND
            ? rest * NANOS_PER_SECOND / rate
            : (long) ((double) rest * NANOS_PER_SECOND / rate);
    return Math.multiplyExact(whole, NANOS_PER_SECOND) + fraction;
  }
}
