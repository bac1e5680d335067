package dev.osscse.provider;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bounded LRU map from a wrapped blob to its unwrapped bytes, with a maximum age counted from
 * insertion. Values are copied in and out, and zeroed when evicted, expired or cleared. Thread-safe
 * (one lock; entries are tiny and operations amortised O(1)).
 *
 * <p><b>Expiry.</b> Expired entries are zeroed and dropped by a sweep, not only when their blob is
 * asked for again: every access ({@code get}, {@code put}, {@code size}) first sweeps, and while
 * the cache holds entries a sweep is scheduled on the {@link Sweeper} for the moment the oldest one
 * expires (in production one shared daemon thread, {@code osscse-kms-cache-sweeper}, that ends when
 * no cache has entries). An idle cache therefore holds no key longer than its maximum age plus the
 * scheduling delay. Entries expire in insertion order, so a sweep only looks at the oldest.
 */
final class DataKeyCache {
  /** Runs a task after a delay; the production one is a shared daemon thread. */
  interface Sweeper {
    void schedule(Runnable task, long delayNanos);
  }

  /** The shared daemon sweeper. */
  static final Sweeper DAEMON =
      (task, delay) -> DaemonSweeper.EXECUTOR.schedule(task, delay, TimeUnit.NANOSECONDS);

  /** Sweeps only on access; for tests that drive the clock by hand. */
  static final Sweeper ON_ACCESS_ONLY = (task, delay) -> {};

  private static final long MIN_SWEEP_DELAY_NANOS = 1_000_000;

  private static final class DaemonSweeper {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor e =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "osscse-kms-cache-sweeper");
                t.setDaemon(true);
                return t;
              });
      e.setKeepAliveTime(10, TimeUnit.SECONDS);
      e.allowCoreThreadTimeOut(true);
      e.setRemoveOnCancelPolicy(true);
      return e;
    }
  }

  private static final class Entry {
    final String blob;
    final byte[] value;
    final long insertedNanos;
    boolean live = true;

    Entry(String blob, byte[] value, long insertedNanos) {
      this.blob = blob;
      this.value = value;
      this.insertedNanos = insertedNanos;
    }

    void kill() {
      live = false;
      Arrays.fill(value, (byte) 0);
    }
  }

  private final int maxEntries;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private final Sweeper sweeper;
  private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>(16, 0.75f, true);
  // Every entry put, oldest first; dead ones (replaced, evicted) are skipped and compacted away.
  private final ArrayDeque<Entry> byAge = new ArrayDeque<>();
  private boolean sweepScheduled;

  DataKeyCache(int maxEntries, long maxAgeNanos, LongSupplier nanoClock, Sweeper sweeper) {
    this.maxEntries = maxEntries;
    this.maxAgeNanos = maxAgeNanos;
    this.nanoClock = nanoClock;
    this.sweeper = sweeper;
  }

  /** Returns a copy of the cached bytes, or null if absent or expired. */
  synchronized byte[] get(String blob) {
    sweep();
    Entry e = map.get(blob);
    return e == null ? null : e.value.clone();
  }

  /** Stores a copy of {@code value}. */
  synchronized void put(String blob, byte[] value) {
    sweep();
    Entry added = new Entry(blob, value.clone(), nanoClock.getAsLong());
    Entry old = map.put(blob, added);
    if (old != null) {
      old.kill();
    }
    byAge.addLast(added);
    Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
    while (map.size() > maxEntries && it.hasNext()) {
      Entry eldest = it.next().getValue();
      it.remove();
      eldest.kill();
    }
    if (byAge.size() > 2 * maxEntries + 16) {
      byAge.removeIf(e -> !e.live);
    }
    scheduleSweep();
  }

  synchronized int size() {
    sweep();
    return map.size();
  }

  synchronized void clear() {
    for (Entry e : map.values()) {
      e.kill();
    }
    map.clear();
    byAge.clear();
  }

  /** Zeroes and drops every expired entry. */
  synchronized void sweep() {
    long now = nanoClock.getAsLong();
    for (Entry e = byAge.peekFirst(); e != null; e = byAge.peekFirst()) {
      if (e.live && now - e.insertedNanos < maxAgeNanos) {
        return;
      }
      byAge.pollFirst();
      if (e.live) {
        map.remove(e.blob);
        e.kill();
      }
    }
  }

  /** Schedules a sweep for when the oldest live entry expires, unless one is pending. */
  private void scheduleSweep() {
    if (sweepScheduled) {
      return;
    }
    Entry oldest = null;
    for (Entry e : byAge) {
      if (e.live) {
        oldest = e;
        break;
      }
    }
    if (oldest == null) {
      return;
    }
    // Never earlier than 1 ms from now, so a clock that stands still cannot spin the sweeper.
    long age = nanoClock.getAsLong() - oldest.insertedNanos;
    long delay = Math.max(MIN_SWEEP_DELAY_NANOS, maxAgeNanos - age);
    // The task holds the cache weakly: a cache nobody uses any more is not kept alive by it.
    WeakReference<DataKeyCache> self = new WeakReference<>(this);
    sweepScheduled = true;
    sweeper.schedule(
        () -> {
          DataKeyCache c = self.get();
          if (c != null) {
            c.scheduledSweep();
          }
        },
        delay);
  }

  private synchronized void scheduledSweep() {
    sweepScheduled = false;
    sweep();
    scheduleSweep();
  }

  /** The stored array of {@code blob}'s entry (not a copy), for the test that checks zeroing. */
  synchronized byte[] storedArrayForTest(String blob) {
    Entry e = map.get(blob);
    return e == null ? null : e.value;
  }
}
