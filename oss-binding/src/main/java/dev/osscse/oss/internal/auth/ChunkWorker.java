package dev.osscse.oss.internal.auth;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs the chunk MACs of one stream beside the transfer, in the order they were submitted, one at a
 * time (so one {@link ChunkMac} serves the stream). The tasks of all streams share one pool of
 * daemon threads, one per processor, that end after {@value #IDLE_SECONDS} s without work: a stream
 * owns no thread, so a stream that is dropped without being closed leaves none behind. Each stream
 * bounds its own backlog by the chunk buffers it hands over (two or three, of at most 1 MiB). Not
 * thread-safe: one submitting thread per stream.
 */
final class ChunkWorker {
  static final int IDLE_SECONDS = 5;

  /**
   * Bodies and reads of at least this many chunks are hashed beside the transfer; shorter ones
   * inline, where the hand-over would cost more than the overlap saves.
   */
  static final int MIN_CHUNKS = 3;

  /** Whether {@code [start, end)} (end -1: unknown) is long enough to hash beside the transfer. */
  static boolean beside(long start, long end) {
    return end < 0 || end - start > (MIN_CHUNKS - 1L) * AuthRecord.CHUNK_SIZE;
  }

  private static final ThreadPoolExecutor POOL = newPool();

  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private static ThreadPoolExecutor newPool() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "oss-cse-chunk-mac-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Runs {@code task} after every task submitted before it has ended (normally or not); a task that
   * throws is remembered as this worker's failure ({@link #awaitAll}).
   */
  <T> CompletableFuture<T> submit(Supplier<T> task) {
    CompletableFuture<T> f =
        tail.handleAsync(
            (v, t) -> {
              try {
                return task.get();
              } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
                throw e;
              }
            },
            POOL);
    tail = f;
    return f;
  }

  /** Waits for every task submitted so far; throws if any of them failed. */
  void awaitAll() throws IOException {
    await(tail.handle((v, t) -> null));
    Throwable t = failure.get();
    if (t != null) {
      throw new IOException("chunk tagging failed", t);
    }
  }

  /** The result of {@code f}, a task of this worker; failures and interrupts as IOException. */
  static <T> T await(CompletableFuture<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while chunks were being hashed");
    } catch (ExecutionException e) {
      throw new IOException("chunk MAC failed", e.getCause());
    }
  }
}
