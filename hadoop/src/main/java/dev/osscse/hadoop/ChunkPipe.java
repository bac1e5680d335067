package dev.osscse.hadoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-off of byte chunks from one writer thread to one reader thread: the writer's
 * {@link #put} blocks while {@code capacity} chunks wait. Either side can fail the pipe; the other
 * side then gets an {@link IOException} instead of blocking for ever.
 */
final class ChunkPipe {
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> queue;
  private volatile IOException failure;

  ChunkPipe(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Hands one chunk (not copied: the caller gives it up) to the reader. */
  void put(byte[] chunk) throws IOException {
    offer(chunk);
  }

  /** Tells the reader that no more chunks come. */
  void finish() throws IOException {
    offer(END);
  }

  private void offer(byte[] chunk) throws IOException {
    try {
      while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
        checkFailure();
      }
      checkFailure();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
  }

  private void checkFailure() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw new IOException(f.getMessage(), f);
    }
  }

  /** Fails the pipe: both sides throw from now on, and waiting chunks are dropped. */
  void fail(IOException cause) {
    if (failure == null) {
      failure = cause;
    }
    queue.clear();
  }

  /** The reading side, read once by one thread. */
  InputStream reader() {
    return new InputStream() {
      private byte[] current = new byte[0];
      private int offset;
      private boolean ended;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        while (offset == current.length) {
          if (ended) {
            return -1;
          }
          checkFailure();
          byte[] next;
          try {
            next = queue.poll(100, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
          }
          if (next == END) {
            ended = true;
          } else if (next != null) {
            current = next;
            offset = 0;
          }
        }
        int n = Math.min(len, current.length - offset);
        System.arraycopy(current, offset, b, off, n);
        offset += n;
        return n;
      }
    };
  }
}
