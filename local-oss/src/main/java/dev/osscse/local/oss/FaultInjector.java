package dev.osscse.local.oss;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault hooks of a {@link LocalOssServer}, for reliability tests. Obtain it with {@link
 * LocalOssServer#faults()}.
 *
 * <p>Each hook adds a rule that applies to the next {@code count} requests selected by a {@link
 * RequestMatcher} (use {@link Integer#MAX_VALUE} for "every request"), or, for the random variant,
 * to each selected request with a given probability drawn from a seeded {@link Random}. Rules are
 * checked in the order they were added; a request consumes at most one rule of each fault type.
 * Body faults ({@link FaultType#RESET}, {@link FaultType#TRUNCATE}) only apply to GET object
 * replies that carry a body; {@link FaultType#WRONG_CRC} applies to replies that carry {@code
 * x-oss-hash-crc64ecma} (PutObject, GetObject, HeadObject, UploadPart, Complete).
 *
 * <p>Every injected fault is counted; see {@link #injectedCount()} and {@link
 * #injectedCount(FaultType)}. Thread-safe.
 */
public final class FaultInjector {

  private static final class Rule {
    final FaultType type;
    final RequestMatcher matcher;
    int remaining;
    final Random random; // null: count-based
    final double probability;
    final int status;
    final long afterBytes;
    final Duration delay;

    Rule(
        FaultType type,
        RequestMatcher matcher,
        int remaining,
        Random random,
        double probability,
        int status,
        long afterBytes,
        Duration delay) {
      this.type = type;
      this.matcher = matcher;
      this.remaining = remaining;
      this.random = random;
      this.probability = probability;
      this.status = status;
      this.afterBytes = afterBytes;
      this.delay = delay;
    }
  }

  /** A fault chosen for one request. */
  static final class Decision {
    final FaultType type;
    final int status;
    final long afterBytes;
    final Duration delay;

    Decision(FaultType type, int status, long afterBytes, Duration delay) {
      this.type = type;
      this.status = status;
      this.afterBytes = afterBytes;
      this.delay = delay;
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private final Map<FaultType, AtomicLong> counts = new EnumMap<>(FaultType.class);

  FaultInjector() {
    for (FaultType t : FaultType.values()) {
      counts.put(t, new AtomicLong());
    }
  }

  /**
   * The next {@code count} selected requests get an error reply with {@code httpStatus} (for
   * example 500 or 503) and an OSS error XML body ({@code InternalError} for 500, {@code
   * ServiceUnavailable} for 503, {@code InjectedFault} otherwise). The SDK retries 500/502/503.
   */
  public FaultInjector failNext(int count, int httpStatus, RequestMatcher matcher) {
    checkStatus(httpStatus);
    return add(
        new Rule(FaultType.ERROR_STATUS, matcher, count(count), null, 0, httpStatus, 0, null));
  }

  /**
   * Each selected request gets an error reply with {@code httpStatus} with probability {@code
   * probability}, drawn from {@code new Random(seed)}; repeatable for a fixed request sequence.
   */
  public FaultInjector failRandomly(
      double probability, long seed, int httpStatus, RequestMatcher matcher) {
    checkStatus(httpStatus);
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1]: " + probability);
    }
    return add(
        new Rule(
            FaultType.ERROR_STATUS,
            matcher,
            Integer.MAX_VALUE,
            new Random(seed),
            probability,
            httpStatus,
            0,
            null));
  }

  /** The next {@code count} selected requests are held for {@code delay} before being handled. */
  public FaultInjector delayNext(int count, Duration delay, RequestMatcher matcher) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return add(new Rule(FaultType.DELAY, matcher, count(count), null, 0, 0, 0, delay));
  }

  /**
   * The next {@code count} selected GET object replies send status, headers and the first {@code
   * afterBytes} body bytes, then reset the connection (TCP RST).
   */
  public FaultInjector resetGetBodyAfter(long afterBytes, int count, RequestMatcher matcher) {
    return add(
        new Rule(FaultType.RESET, matcher, count(count), null, 0, 0, bytes(afterBytes), null));
  }

  /**
   * The next {@code count} selected GET object replies send status, headers (with the full {@code
   * Content-Length}) and only the first {@code afterBytes} body bytes, then close the connection
   * normally.
   */
  public FaultInjector truncateGetBodyAfter(long afterBytes, int count, RequestMatcher matcher) {
    return add(
        new Rule(FaultType.TRUNCATE, matcher, count(count), null, 0, 0, bytes(afterBytes), null));
  }

  /**
   * The next {@code count} selected replies that carry {@code x-oss-hash-crc64ecma} carry a wrong
   * value (the true CRC with its lowest bit flipped).
   */
  public FaultInjector wrongCrcNext(int count, RequestMatcher matcher) {
    return add(new Rule(FaultType.WRONG_CRC, matcher, count(count), null, 0, 0, 0, null));
  }

  /**
   * The next {@code count} selected GET object replies carry the right headers (including the true
   * CRC) but the body byte at reply offset {@code atByte} is inverted, simulating silent corruption
   * in transit. Replies shorter than {@code atByte + 1} are sent unchanged but still consume the
   * rule.
   */
  public FaultInjector corruptGetBodyAt(long atByte, int count, RequestMatcher matcher) {
    return add(
        new Rule(FaultType.CORRUPT_BODY, matcher, count(count), null, 0, 0, bytes(atByte), null));
  }

  /** Removes every rule; the counters are kept. */
  public synchronized void clear() {
    rules.clear();
  }

  /** Sets every counter back to zero. */
  public void resetCounts() {
    counts.values().forEach(c -> c.set(0));
  }

  /** Total number of faults injected so far, of every type. */
  public long injectedCount() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Number of faults of one type injected so far. */
  public long injectedCount(FaultType type) {
    return counts.get(Objects.requireNonNull(type, "type")).get();
  }

  private synchronized FaultInjector add(Rule rule) {
    Objects.requireNonNull(rule.matcher, "matcher");
    rules.add(rule);
    return this;
  }

  /** Picks (and consumes) the first applicable rule of this type, or returns null. */
  synchronized Decision take(FaultType type, String method, String bucket, String key) {
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (r.type != type || r.remaining <= 0 || !r.matcher.matches(method, bucket, key)) {
        continue;
      }
      if (r.random != null && r.random.nextDouble() >= r.probability) {
        continue;
      }
      if (r.remaining != Integer.MAX_VALUE) {
        r.remaining--;
        if (r.remaining == 0) {
          rules.remove(i);
        }
      }
      counts.get(type).incrementAndGet();
      return new Decision(r.type, r.status, r.afterBytes, r.delay);
    }
    return null;
  }

  private static int count(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    return count;
  }

  private static long bytes(long afterBytes) {
    if (afterBytes < 0) {
      throw new IllegalArgumentException("afterBytes must not be negative: " + afterBytes);
    }
    return afterBytes;
  }

  private static void checkStatus(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("httpStatus must be 4xx or 5xx: " + status);
    }
  }
}
