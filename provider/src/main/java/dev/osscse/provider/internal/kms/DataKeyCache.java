package dev.osscse.provider.internal.kms;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Bounded LRU map from a wrapped blob to its unwrapped bytes, with a maximum age counted from
 * insertion. Values are copied in and out, and zeroed when evicted, expired or cleared. Thread-safe
 * (one lock; entries are tiny and operations O(1)).
 */
final class DataKeyCache {
  private static final class Entry {
    final byte[] value;
    final long insertedNanos;

    Entry(byte[] value, long insertedNanos) {
      this.value = value;
      this.insertedNanos = insertedNanos;
    }
  }

  private final int maxEntries;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>(16, 0.75f, true);

  DataKeyCache(int maxEntries, long maxAgeNanos, LongSupplier nanoClock) {
    this.maxEntries = maxEntries;
    this.maxAgeNanos = maxAgeNanos;
    this.nanoClock = nanoClock;
  }

  /** Returns a copy of the cached bytes, or null if absent or expired. */
  synchronized byte[] get(String blob) {
    Entry e = map.get(blob);
    if (e == null) {
      return null;
    }
    if (nanoClock.getAsLong() - e.insertedNanos >= maxAgeNanos) {
      map.remove(blob);
      Arrays.fill(e.value, (byte) 0);
      return null;
    }
    return e.value.clone();
  }

  /** Stores a copy of {@code value}. */
  synchronized void put(String blob, byte[] value) {
    Entry old = map.put(blob, new Entry(value.clone(), nanoClock.getAsLong()));
    if (old != null) {
      Arrays.fill(old.value, (byte) 0);
    }
    Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
    while (map.size() > maxEntries && it.hasNext()) {
      Entry eldest = it.next().getValue();
      it.remove();
      Arrays.fill(eldest.value, (byte) 0);
    }
  }

  synchronized int size() {
    return map.size();
  }

  synchronized void clear() {
    for (Entry e : map.values()) {
      Arrays.fill(e.value, (byte) 0);
    }
    map.clear();
  }
}
