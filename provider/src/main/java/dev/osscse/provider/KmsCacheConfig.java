package dev.osscse.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the read-side data-key cache that each {@link KmsKeyReference} keeps.
 *
 * <p><b>What it is.</b> After a {@code KMS/ALICLOUD} unwrap (or decrypt) succeeds, the unwrapped
 * bytes are kept in memory keyed by the wrapped blob, so reading the same object again, or a range
 * of it, needs no KMS call. An entry lives at most {@link #maxAge()} from the KMS call that filled
 * it (not from its last use), and at most {@link #maxEntries()} entries are kept (least recently
 * used goes first). Evicted bytes are overwritten with zeros.
 *
 * <p><b>Security.</b> While an entry lives, revoking the caller's KMS permission or disabling the
 * master key does not stop this process from decrypting that object; the bound is {@code maxAge}.
 * The defaults ({@value #DEFAULT_MAX_ENTRIES} entries, {@value #DEFAULT_MAX_AGE_SECONDS} seconds)
 * keep that window short and the memory small (each entry is a 16 or 32-byte key plus its blob
 * string).
 */
public final class KmsCacheConfig {
  /** Default maximum number of cached unwrapped keys. */
  public static final int DEFAULT_MAX_ENTRIES = 128;

  /** Default maximum age of a cached unwrapped key, in seconds. */
  public static final long DEFAULT_MAX_AGE_SECONDS = 60;

  /** Largest {@code maxEntries} accepted. */
  public static final int MAX_ENTRIES_LIMIT = 100_000;

  /** Largest {@code maxAge} accepted. */
  public static final Duration MAX_AGE_LIMIT = Duration.ofHours(24);

  private static final KmsCacheConfig DEFAULTS =
      new KmsCacheConfig(DEFAULT_MAX_ENTRIES, Duration.ofSeconds(DEFAULT_MAX_AGE_SECONDS));
  private static final KmsCacheConfig DISABLED = new KmsCacheConfig(0, Duration.ZERO);

  private final int maxEntries;
  private final Duration maxAge;

  private KmsCacheConfig(int maxEntries, Duration maxAge) {
    this.maxEntries = maxEntries;
    this.maxAge = maxAge;
  }

  /** Returns the default bounds: 128 entries, 60 seconds. */
  public static KmsCacheConfig defaults() {
    return DEFAULTS;
  }

  /** Returns a configuration that caches nothing: every unwrap calls the KMS. */
  public static KmsCacheConfig disabled() {
    return DISABLED;
  }

  /**
   * Returns custom bounds.
   *
   * @param maxEntries 1 to {@value #MAX_ENTRIES_LIMIT}
   * @param maxAge more than zero, at most 24 hours
   * @throws IllegalArgumentException if a bound is out of range
   */
  public static KmsCacheConfig of(int maxEntries, Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxEntries < 1 || maxEntries > MAX_ENTRIES_LIMIT) {
      throw new IllegalArgumentException(
          "maxEntries must be 1.." + MAX_ENTRIES_LIMIT + ", got " + maxEntries);
    }
    if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
      throw new IllegalArgumentException("maxAge must be > 0 and <= 24h, got " + maxAge);
    }
    return new KmsCacheConfig(maxEntries, maxAge);
  }

  /** Returns true if this configuration caches anything. */
  public boolean enabled() {
    return maxEntries > 0;
  }

  /** Returns the maximum number of entries (0 when disabled). */
  public int maxEntries() {
    return maxEntries;
  }

  /** Returns the maximum age of an entry (zero when disabled). */
  public Duration maxAge() {
    return maxAge;
  }

  @Override
  public String toString() {
    return enabled()
        ? "KmsCacheConfig[maxEntries=" + maxEntries + ", maxAge=" + maxAge + "]"
        : "KmsCacheConfig[disabled]";
  }
}
