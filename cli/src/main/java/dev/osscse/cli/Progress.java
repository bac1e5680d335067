package dev.osscse.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on standard error for one transfer. It appears only when standard error is a
 * terminal, {@code --quiet} is off and the transfer has lasted more than a second; it is redrawn in
 * place five times a second and erased at the end.
 */
final class Progress implements AutoCloseable {
  private static final long DELAY_NANOS = 1_000_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final String label;
  private volatile long total;
  private final AtomicLong done = new AtomicLong();
  private final long start = System.nanoTime();
  private final Thread painter;
  private volatile boolean closed;
  private boolean drawn;

  private Progress(PrintStream err, String label, long total, boolean enabled) {
    this.err = err;
    this.label = label;
    this.total = total;
    if (enabled) {
      painter = new Thread(this::paintLoop, "oss-cse-progress");
      painter.setDaemon(true);
      painter.start();
    } else {
      painter = null;
    }
  }

  /** A bar for {@code total} bytes ({@code -1} if unknown); inert unless shown on a terminal. */
  static Progress start(CliContext ctx, boolean quiet, String label, long total) {
    return new Progress(ctx.err(), label, total, ctx.interactive() && !quiet);
  }

  /** Sets the total once it is known (e.g. from a response's Content-Length). */
  void total(long total) {
    this.total = total;
  }

  /** Counts transferred bytes. */
  void add(long n) {
    if (n > 0) {
      done.addAndGet(n);
    }
  }

  /** Bytes counted so far. */
  long done() {
    return done.get();
  }

  /** Wraps a stream so bytes read through it are counted. */
  InputStream counting(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          add(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        add(n);
        return n;
      }
    };
  }

  private void paintLoop() {
    try {
      Thread.sleep(DELAY_NANOS / 1_000_000);
      while (!closed) {
        paint();
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void paint() {
    if (closed) {
      return;
    }
    long d = done.get();
    long total = this.total;
    double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    StringBuilder sb = new StringBuilder("\r").append(label).append(' ');
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, d * WIDTH / total);
      sb.append('[')
          .append("=".repeat(filled))
          .append(filled < WIDTH ? ">" : "")
          .append(" ".repeat(Math.max(0, WIDTH - filled - 1)))
          .append("] ")
          .append(String.format(Locale.ROOT, "%3d%% ", d * 100 / total));
    }
    sb.append(Format.bytes(d));
    if (total > 0) {
      sb.append(" / ").append(Format.bytes(total));
    }
    sb.append("  ").append(Format.bytes((long) (d / secs))).append("/s   ");
    err.print(sb);
    err.flush();
    drawn = true;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (painter != null) {
      painter.interrupt();
    }
    if (drawn) {
      err.print("\r" + " ".repeat(label.length() + WIDTH + 60) + "\r");
      err.flush();
    }
  }
}
