package dev.osscse.oss.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counts faults by kind from two independent sources: how many the endpoints injected (their own
 * counters), and what the client observably received ({@link WireTap}) with how each client
 * operation ended. A fault is <i>effective</i> only if the client received something different
 * (bytes differ, connection cut, status or CRC header changed); each effective fault is
 * <i>survived</i> (its operation ended with exactly the right plaintext) or <i>refused</i> (its
 * operation ended with a typed error and no output). Any other ending fails the test that reports
 * it, so these counters never come from the injector.
 */
final class FaultLedger {
  /** Fault kinds as the client sees them. */
  enum Kind {
    ERROR_STATUS("OSS 500/503 reply"),
    RESET("connection reset in a GET body"),
    TRUNCATE("GET body cut short (clean close)"),
    WRONG_CRC("wrong CRC-64 header"),
    CORRUPT_BODY("flipped body byte"),
    DELAY("delayed reply (timing only)"),
    KMS_ERROR("KMS throttling or 5xx reply");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** How one client operation ended. */
  enum Outcome {
    SURVIVED,
    REFUSED
  }

  private final Map<Kind, long[]> counts = new EnumMap<>(Kind.class); // injected effective surv ref
  private long operations;
  private long operationsWithEffectiveFaults;

  FaultLedger() {
    for (Kind k : Kind.values()) {
      counts.put(k, new long[4]);
    }
  }

  synchronized void injected(Kind kind, long n) {
    counts.get(kind)[0] += n;
  }

  /** One client operation: the fault effects observed on the wire and how the operation ended. */
  synchronized void operation(List<Kind> effects, Outcome outcome) {
    operations++;
    if (!effects.isEmpty()) {
      operationsWithEffectiveFaults++;
    }
    for (Kind k : effects) {
      long[] c = counts.get(k);
      c[1]++;
      c[outcome == Outcome.SURVIVED ? 2 : 3]++;
    }
  }

  synchronized long injected(Kind k) {
    return counts.get(k)[0];
  }

  synchronized long effective(Kind k) {
    return counts.get(k)[1];
  }

  synchronized long survived(Kind k) {
    return counts.get(k)[2];
  }

  synchronized long refused(Kind k) {
    return counts.get(k)[3];
  }

  synchronized long total(int column) {
    return counts.values().stream().mapToLong(c -> c[column]).sum();
  }

  /**
   * The client never saw more faults of a kind than were injected, and a delay never changed what
   * the client received.
   */
  synchronized void checkConsistent() {
    for (Kind k : Kind.values()) {
      long[] c = counts.get(k);
      assertThat(c[1]).as("effective %s <= injected", k).isLessThanOrEqualTo(c[0]);
      assertThat(c[2] + c[3]).as("%s survived + refused", k).isEqualTo(c[1]);
    }
    assertThat(effective(Kind.DELAY)).isZero();
  }

  /** A Markdown table: kind, injected, effective, no effect, survived, refused; and a total row. */
  synchronized String table() {
    List<String> rows = new ArrayList<>();
    rows.add("| fault | injected | effective | no effect | survived | refused |");
    rows.add("|---|---:|---:|---:|---:|---:|");
    for (Kind k : Kind.values()) {
      long[] c = counts.get(k);
      rows.add(row(k.label, c));
    }
    long[] t = new long[4];
    for (int i = 0; i < 4; i++) {
      t[i] = total(i);
    }
    rows.add(row("**all**", t));
    return String.join(System.lineSeparator(), rows);
  }

  private static String row(String label, long[] c) {
    return String.format(
        Locale.ROOT, "| %s | %d | %d | %d | %d | %d |", label, c[0], c[1], c[0] - c[1], c[2], c[3]);
  }

  synchronized String summary() {
    return String.format(
        Locale.ROOT,
        "operations=%d (with an effective fault: %d) faults injected=%d effective=%d no-effect=%d"
            + " survived=%d refused=%d",
        operations,
        operationsWithEffectiveFaults,
        total(0),
        total(1),
        total(0) - total(1),
        total(2),
        total(3));
  }

  @Override
  public synchronized String toString() {
    StringBuilder b = new StringBuilder();
    counts.forEach((k, v) -> b.append(k).append(Arrays.toString(v)).append(' '));
    return b.toString();
  }
}
