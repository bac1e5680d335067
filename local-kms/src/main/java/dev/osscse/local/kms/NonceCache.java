package dev.osscse.local.kms;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The {@code SignatureNonce} values of accepted requests, each kept until the request's {@code
 * Timestamp} would be refused as stale anyway, so that a captured request cannot be replayed in
 * between. Bounded: when full of unexpired entries, a new nonce is refused rather than an old one
 * forgotten (which would reopen its replay).
 */
final class NonceCache {
  /** The outcome of {@link #remember}. */
  enum Outcome {
    NEW,
    REPLAYED,
    FULL
  }

  private record Entry(Instant until, String nonce) {}

  private final int capacity;
  private final Map<String, Instant> seen = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>(Comparator.comparing(Entry::until));

  NonceCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Records {@code nonce} as used until {@code until}, after dropping every entry expired at {@code
   * now}.
   */
  synchronized Outcome remember(String nonce, Instant until, Instant now) {
    sweep(now);
    if (seen.containsKey(nonce)) {
      return Outcome.REPLAYED;
    }
    if (seen.size() >= capacity) {
      return Outcome.FULL;
    }
    seen.put(nonce, until);
    byExpiry.add(new Entry(until, nonce));
    return Outcome.NEW;
  }

  /** The number of nonces held. */
  synchronized int size() {
    return seen.size();
  }

  private void sweep(Instant now) {
    while (!byExpiry.isEmpty() && byExpiry.peek().until().isBefore(now)) {
      seen.remove(byExpiry.poll().nonce());
    }
  }
}
