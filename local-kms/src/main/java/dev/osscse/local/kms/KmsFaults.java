package dev.osscse.local.kms;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault hooks of a {@link LocalKmsServer}, applied to the next requests that pass signature checks,
 * plus counters of the faults served. Thread-safe.
 *
 * <p>Order for one request: a pending gathering is served first, then a pending delay, then a
 * pending throttle, then a pending failure; a request consumes at most one throttle or failure.
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
  private final Object gatherLock = new Object();
  private int gatherLeft; // guarded by gatherLock, like the four fields below
  private int gatherSize;
  private int gatherWaiting;
  private long gatherRound;
  private long gatherTimeoutNanos;
  private final AtomicLong gathered = new AtomicLong();
  private final AtomicLong gatherTimeouts = new AtomicLong();

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

  /**
   * Holds each of the next {@code requests} requests (at least 2) until that many are held at the
   * same time, then releases them together. A request held longer than {@code timeout} goes on
   * alone and is counted by {@link #gatherTimeouts()}. This shows without any timing assertion that
   * a client sends requests concurrently: requests sent one after the other each time out.
   */
  public void gatherNext(int requests, Duration timeout) {
    if (requests < 2) {
      throw new IllegalArgumentException("requests must be at least 2, got " + requests);
    }
    synchronized (gatherLock) {
      gatherSize = requests;
      gatherLeft = requests;
      gatherWaiting = 0;
      gatherRound++;
      gatherTimeoutNanos = timeout.toNanos();
      gatherLock.notifyAll();
    }
  }

  /** Returns how many groups of requests {@link #gatherNext} released together. */
  public long gathered() {
    return gathered.get();
  }

  /** Returns how many gathered requests gave up waiting for the others. */
  public long gatherTimeouts() {
    return gatherTimeouts.get();
  }

  /** Cancels every pending fault and releases held requests (counters are kept). */
  public void reset() {
    throttleLeft.set(0);
    failLeft.set(0);
    delayLeft.set(0);
    synchronized (gatherLock) {
      gatherLeft = 0;
      gatherWaiting = 0;
      gatherRound++;
      gatherLock.notifyAll();
    }
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
    gather();
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

  private void gather() throws InterruptedException {
    synchronized (gatherLock) {
      if (gatherLeft <= 0) {
        return;
      }
      gatherLeft--;
      gatherWaiting++;
      long round = gatherRound;
      if (gatherWaiting >= gatherSize) {
        gatherWaiting = 0;
        gatherRound++;
        gathered.incrementAndGet();
        gatherLock.notifyAll();
        return;
      }
      long deadline = System.nanoTime() + gatherTimeoutNanos;
      while (gatherRound == round) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          gatherWaiting--;
          gatherTimeouts.incrementAndGet();
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(gatherLock, left);
        } catch (InterruptedException e) {
          gatherWaiting--;
          throw e;
        }
      }
    }
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
