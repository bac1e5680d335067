package dev.osscse.local.kms;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault hooks of a {@link LocalKmsServer}, applied to the next requests that pass signature checks,
 * plus counters of the faults served. Thread-safe.
 *
 * <p>Order for one request: a pending delay is served first, then a pending throttle, then a
 * pending failure; a request consumes at most one throttle or failure.
 */
public final class KmsFaults {
  private final AtomicInteger throttleLeft = new AtomicInteger();
  private volatile int throttleStatus = 400;
  private final AtomicInteger failLeft = new AtomicInteger();
  private volatile int failStatus = 500;
  private final AtomicInteger delayLeft = new AtomicInteger();
  private volatile long delayMillis;
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong delayed = new AtomicLong();

  KmsFaults() {}

  /**
   * Makes the next {@code count} requests fail with code {@code Throttling}, HTTP 400, as the real
   * service does ("Request was denied due to request throttling.").
   */
  public void throttleNext(int count) {
    throttleNext(count, 400);
  }

  /** Like {@link #throttleNext(int)} with another HTTP status (e.g. 503). */
  public void throttleNext(int count, int status) {
    throttleStatus = status;
    throttleLeft.set(count);
  }

  /**
   * Makes the next {@code count} requests fail with a server error: 500 gives code {@code
   * InternalFailure}, 503 gives {@code ServiceUnavailable}.
   */
  public void failNext(int count, int status) {
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("status must be 5xx, got " + status);
    }
    failStatus = status;
    failLeft.set(count);
  }

  /** Delays the next {@code count} requests by {@code delay} before answering. */
  public void delayNext(int count, Duration delay) {
    delayMillis = delay.toMillis();
    delayLeft.set(count);
  }

  /** Cancels every pending fault (counters are kept). */
  public void reset() {
    throttleLeft.set(0);
    failLeft.set(0);
    delayLeft.set(0);
  }

  /** Returns how many throttling errors were served. */
  public long throttled() {
    return throttled.get();
  }

  /** Returns how many injected server errors were served. */
  public long failed() {
    return failed.get();
  }

  /** Returns how many requests were delayed. */
  public long delayed() {
    return delayed.get();
  }

  /** Applies pending faults to one request; returns the error to send, or null. */
  KmsError apply() throws InterruptedException {
    if (takeOne(delayLeft)) {
      delayed.incrementAndGet();
      Thread.sleep(delayMillis);
    }
    if (takeOne(throttleLeft)) {
      throttled.incrementAndGet();
      return new KmsError(
          throttleStatus, "Throttling", "Request was denied due to request throttling.");
    }
    if (takeOne(failLeft)) {
      failed.incrementAndGet();
      return failStatus == 503
          ? new KmsError(
              503,
              "ServiceUnavailable",
              "The request has failed due to a temporary failure of the server.")
          : new KmsError(
              failStatus,
              "InternalFailure",
              "The request processing has failed due to some unknown error.");
    }
    return null;
  }

  private static boolean takeOne(AtomicInteger left) {
    while (true) {
      int n = left.get();
      if (n <= 0) {
        return false;
      }
      if (left.compareAndSet(n, n - 1)) {
        return true;
      }
    }
  }
}
