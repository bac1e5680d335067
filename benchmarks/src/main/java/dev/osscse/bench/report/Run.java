package dev.osscse.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The results of one benchmark run (one JDK), grouped into cases that compare providers. */
public final class Run {
  /** The baseline every ratio is taken against. */
  public static final String BASELINE = "SunJCE";

  /** The provider under test. */
  public static final String SUBJECT = "OssCse";

  /** Providers in column order. */
  public static final List<String> PROVIDERS = List.of(SUBJECT, BASELINE, "BC");

  private static final List<String> ORDER =
      List.of(
          "AesCtrUpdate.outOfPlace",
          "AesCtrUpdate.inPlace",
          "MemoryBound.rotatingRounds",
          "AesCtrFreshJvm.oneShot64MiB",
          "AesCtrSeekRead.seekThenRead4KiB",
          "AesCtrSetup.getInstanceAndInit",
          "RsaUnwrap.unwrap",
          "OssTransfer.put",
          "OssTransfer.get",
          "OssTransfer.rangedGet1MiB",
          "OssMultipart.upload",
          "OssMultipart.pairedRounds",
          "OssClientCost.put",
          "OssClientCost.get",
          "OssRandomRead.randomReads",
          "OssRandomRead.pairedRounds");

  private final String label;
  private final List<JmhResult> results;

  /**
   * Creates a run.
   *
   * @param label a short column label, e.g. {@code JDK 17}
   * @param results the parsed results of one or more JMH JSON files
   */
  public Run(String label, List<JmhResult> results) {
    this.label = label;
    this.results = List.copyOf(results);
  }

  /** Returns the column label. */
  public String label() {
    return label;
  }

  /** Returns all results. */
  public List<JmhResult> results() {
    return results;
  }

  /** Returns the distinct JDK and VM versions seen in the results, joined. */
  public String jdk() {
    Set<String> seen = new LinkedHashSet<>();
    for (JmhResult r : results) {
      seen.add(r.jdkVersion() + " (" + r.vmVersion() + ")");
    }
    return String.join(", ", seen);
  }

  /** Returns the cases in report order: known benchmarks first, then parameters in file order. */
  public List<Case> cases() {
    Map<Case, Boolean> cases = new LinkedHashMap<>();
    for (JmhResult r : results) {
      cases.put(new Case(r.benchmark(), r.caseParams()), Boolean.TRUE);
    }
    List<Case> sorted = new ArrayList<>(cases.keySet());
    sorted.sort(Comparator.comparingInt(Run::rank).thenComparingLong(c -> c.bytes().orElse(0L)));
    return sorted;
  }

  /** Returns true for the OSS binding benchmarks, which compare clients rather than providers. */
  public static boolean isBinding(Case c) {
    return c.benchmark().startsWith("Oss");
  }

  /**
   * Returns how many times faster {@code subject} is than {@code baseline} in one case, by medians,
   * or empty if either is missing.
   */
  public Optional<Double> speedup(Case c, String subject, String baseline) {
    Optional<JmhResult> s = find(c, subject);
    Optional<JmhResult> b = find(c, baseline);
    if (s.isEmpty() || b.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(speedup(s.get(), b.get()));
  }

  private static int rank(Case c) {
    int i = ORDER.indexOf(c.benchmark());
    return i < 0 ? ORDER.size() : i;
  }

  /** Returns the result of one provider in one case. */
  public Optional<JmhResult> find(Case c, String provider) {
    for (JmhResult r : results) {
      if (r.benchmark().equals(c.benchmark())
          && r.provider().equals(provider)
          && r.caseParams().equals(c.params())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns how many times faster {@code provider} is than SunJCE in this case (SunJCE's time over
   * the provider's, by medians), or empty if either is missing.
   */
  public Optional<Double> speedupOverBaseline(Case c, String provider) {
    Optional<JmhResult> p = find(c, provider);
    Optional<JmhResult> b = find(c, BASELINE);
    if (p.isEmpty() || b.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(speedup(p.get(), b.get()));
  }

  /** Returns how many times faster {@code subject} is than {@code baseline}, by medians. */
  public static double speedup(JmhResult subject, JmhResult baseline) {
    if (subject.higherIsBetter()) {
      return subject.median() / baseline.median();
    }
    return baseline.median() / subject.median();
  }
}
