package dev.osscse.oss;

import java.lang.ref.WeakReference;
import java.security.Provider;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The opt-in RSA content-key cache ({@code EncryptedStore.Builder#cacheRsaContentKeys} gives its
 * rules): a bounded LRU map from an envelope's {@link #idOf id} to copies of its unwrapped CEK and
 * IV, each kept at most {@code maxAge} from insertion. Every access sweeps expired entries first,
 * and while entries are held a sweep is scheduled on the {@link Sweeper} for when the oldest
 * expires. Thread-safe (one lock; each access looks at every entry for expiry, at most {@value
 * #MAX_ENTRIES_LIMIT} of 48 bytes).
 */
final class ContentKeyCache {
  /** Largest {@code maxEntries} accepted. */
  static final int MAX_ENTRIES_LIMIT = 10_000;

  /** Runs a task after a delay; the production one is a shared daemon thread. */
  interface Sweeper {
    void schedule(Runnable task, long delayNanos);
  }

  /** The shared daemon sweeper. */
  static final Sweeper DAEMON = daemonSweeper();

  private static final long MIN_SWEEP_DELAY_NANOS = 1_000_000;

  private static Sweeper daemonSweeper() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "osscse-rsa-key-cache-sweeper");
              t.setDaemon(true);
              return t;
            });
    e.setKeepAliveTime(10, TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true);
    e.setRemoveOnCancelPolicy(true);
    return (task, delay) -> e.schedule(task, delay, TimeUnit.NANOSECONDS);
  }

  record Entry(byte[] cek, byte[] iv, long insertedNanos) {
    void zero() {
      Arrays.fill(cek, (byte) 0);
      Arrays.fill(iv, (byte) 0);
    }
  }

  private final int maxEntries;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private final Sweeper sweeper;
  private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>(16, 0.75f, true);
  private boolean sweepScheduled;

  ContentKeyCache(int maxEntries, long maxAgeNanos, LongSupplier nanoClock, Sweeper sweeper) {
    if (maxAgeNanos <= 0) {
      throw new IllegalArgumentException("maxAge must be > 0");
    }
    this.maxEntries = checkMaxEntries(maxEntries);
    this.maxAgeNanos = maxAgeNanos;
    this.nanoClock = nanoClock;
    this.sweeper = sweeper;
  }

  /** Returns {@code maxEntries} if it is 1..{@value #MAX_ENTRIES_LIMIT}, else throws. */
  static int checkMaxEntries(int maxEntries) {
    if (maxEntries < 1 || maxEntries > MAX_ENTRIES_LIMIT) {
      throw new IllegalArgumentException(
          "maxEntries must be 1.." + MAX_ENTRIES_LIMIT + ", got " + maxEntries);
    }
    return maxEntries;
  }

  /** The entry key of an envelope: everything that decides what its unwrap returns. */
  static String idOf(Envelope envelope) {
    Base64.Encoder b64 = Base64.getEncoder();
    return envelope.wrapAlgorithm().name()
        + '/'
        + envelope.format().name()
        + '/'
        + b64.encodeToString(envelope.wrappedKey())
        + '/'
        + b64.encodeToString(envelope.wrappedIv());
  }

  /** A new content key from the cached bytes of {@code id}, or null if absent or expired. */
  synchronized ContentKey get(String id, Provider provider) {
    sweep();
    Entry e = map.get(id);
    return e == null ? null : new ContentKey(e.cek, e.iv, provider); // ContentKey copies them
  }

  /** Stores copies of the key's CEK and IV under {@code id}. */
  synchronized void put(String id, ContentKey key) {
    sweep();
    Entry added = key.withBytes((c, i) -> new Entry(c.clone(), i.clone(), nanoClock.getAsLong()));
    Entry old = map.put(id, added);
    if (old != null) {
      old.zero();
    }
    Iterator<Entry> it = map.values().iterator();
    while (map.size() > maxEntries && it.hasNext()) {
      Entry eldest = it.next();
      it.remove();
      eldest.zero();
    }
    scheduleSweep();
  }

  synchronized int size() {
    sweep();
    return map.size();
  }

  /** Zeroes and drops every entry. */
  synchronized void clear() {
    map.values().forEach(Entry::zero);
    map.clear();
  }

  /** Zeroes and drops every expired entry. */
  private void sweep() {
    long now = nanoClock.getAsLong();
    Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
    while (it.hasNext()) {
      Entry e = it.next().getValue();
      if (now - e.insertedNanos >= maxAgeNanos) {
        it.remove();
        e.zero();
      }
    }
  }

  /** Schedules a sweep for when the oldest entry expires, unless one is pending. */
  private void scheduleSweep() {
    if (sweepScheduled || map.isEmpty()) {
      return;
    }
    long oldest = map.values().stream().mapToLong(Entry::insertedNanos).min().getAsLong();
    long now = nanoClock.getAsLong();
    // Never earlier than 1 ms from now, so a clock that stands still cannot spin the sweeper.
    long delay = Math.max(MIN_SWEEP_DELAY_NANOS, maxAgeNanos - (now - oldest));
    // The task holds the cache weakly: a cache nobody uses any more is not kept alive by it.
    WeakReference<ContentKeyCache> self = new WeakReference<>(this);
    sweepScheduled = true;
    sweeper.schedule(
        () -> {
          ContentKeyCache c = self.get();
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

  /** The entry of {@code id} as stored, without counting as a use (for the zeroing tests). */
  synchronized Entry storedForTest(String id) {
    return map.entrySet().stream()
        .filter(e -> e.getKey().equals(id))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }
}
