package dev.osscse.provider;

import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The one retry policy of this project: which failures are retried, how long to wait, and how many
 * retries one operation may spend. The OSS binding uses it for reads and parts, and key-service
 * adapters (such as the Alibaba KMS adapter) for their calls; it lives here, at the root of the
 * module graph, so that both share it without depending on each other.
 *
 * <p>A failure is retried only if the predicate calls it transient (the store's or the key
 * service's adapter decides: 5xx, throttling, network). The pause before retry {@code k} is uniform
 * in {@code [0, min(cap, base * 2^(k-1))]} ("full jitter"), so clients that failed together do not
 * retry together. One {@link Budget} covers one operation (a read with all its resumes, one part):
 * every retry of any kind spends from it.
 */
public final class RetryPolicy {
  private final int maxRetries;
  private final long baseMillis;
  private final long capMillis;
  private final Predicate<Throwable> transientFailure;

  private RetryPolicy(
      int maxRetries, long baseMillis, long capMillis, Predicate<Throwable> transientFailure) {
    if (maxRetries < 0 || baseMillis < 0 || capMillis < baseMillis) {
      throw new IllegalArgumentException("retry policy needs retries >= 0 and 0 <= base <= cap");
    }
    this.maxRetries = maxRetries;
    this.baseMillis = baseMillis;
    this.capMillis = capMillis;
    this.transientFailure = Objects.requireNonNull(transientFailure, "transientFailure");
  }

  /**
   * A policy.
   *
   * @param maxRetries retries one operation may spend (0 = none)
   * @param baseMillis pause bound of the first retry
   * @param capMillis largest pause bound
   * @param transientFailure which failures a retry may cure
   */
  public static RetryPolicy of(
      int maxRetries, long baseMillis, long capMillis, Predicate<Throwable> transientFailure) {
    return new RetryPolicy(maxRetries, baseMillis, capMillis, transientFailure);
  }

  /** A policy that never retries. */
  public static RetryPolicy none() {
    return new RetryPolicy(0, 0, 0, t -> false);
  }

  /** The same policy with another retry budget. */
  public RetryPolicy withMaxRetries(int retries) {
    return new RetryPolicy(retries, baseMillis, capMillis, transientFailure);
  }

  /** The same policy with another pause base and cap. */
  public RetryPolicy withBackoff(long base, long cap) {
    return new RetryPolicy(maxRetries, base, cap, transientFailure);
  }

  /** Retries one operation may spend. */
  public int maxRetries() {
    return maxRetries;
  }

  /** True if a retry may cure {@code failure}. */
  public boolean isTransient(Throwable failure) {
    return transientFailure.test(failure);
  }

  /** The bound of the pause before retry {@code attempt} (1-based). */
  public long pauseBound(int attempt) {
    if (baseMillis == 0) {
      return 0;
    }
    int shift = Math.min(Math.max(attempt, 1) - 1, 30);
    return Math.min(capMillis, baseMillis << shift);
  }

  /** Sleeps a jittered pause before retry {@code attempt}. */
  public void pause(int attempt) throws InterruptedIOException {
    long bound = pauseBound(attempt);
    if (bound == 0) {
      return;
    }
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** A fresh budget for one operation. */
  public Budget budget() {
    return new Budget();
  }

  /** The retries one operation has spent. Not thread-safe. */
  public final class Budget {
    private int used;

    private Budget() {}

    /**
     * Spends one retry on {@code failure} and pauses, or returns false (nothing spent) if the
     * failure is not transient or the budget is used up.
     */
    public boolean retry(Throwable failure) throws InterruptedIOException {
      if (used >= maxRetries || !isTransient(failure)) {
        return false;
      }
      used++;
      pause(used);
      return true;
    }

    /** Retries spent so far. */
    public int used() {
      return used;
    }
  }
}
