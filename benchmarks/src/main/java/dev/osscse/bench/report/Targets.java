package dev.osscse.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The performance targets of the provider and of the OSS binding, evaluated against one run.
 * Targets are reported, never asserted: a miss is a finding, not a build failure.
 */
public final class Targets {
  /** Outcome of one target check. */
  public enum Verdict {
    PASS,
    MISS,
    NOT_MEASURED;

    /** Returns the word shown in the report. */
    public String word() {
      return switch (this) {
        case PASS -> "pass";
        case MISS -> "**miss**";
        default -> "not measured";
      };
    }
  }

  /**
   * One evaluated target.
   *
   * @param target what is measured
   * @param criterion the threshold
   * @param measured the measured value, with the figures it comes from
   * @param value the measured number the verdict is based on (NaN if not measured)
   * @param verdict pass, miss or not measured
   * @param binding true for the OSS binding targets, which only the main run measures
   */
  public record Row(
      String target,
      String criterion,
      String measured,
      double value,
      Verdict verdict,
      boolean binding) {}

  static final String OUT_OF_PLACE = "AesCtrUpdate.outOfPlace";
  static final String IN_PLACE = "AesCtrUpdate.inPlace";
  static final String FRESH = "AesCtrFreshJvm.oneShot64MiB";
  static final String SEEK = "AesCtrSeekRead.seekThenRead4KiB";
  static final String PUT = "OssTransfer.put";
  static final String GET = "OssTransfer.get";
  static final String MULTIPART = "OssMultipart.upload";
  static final String PAIRED_MULTIPART = "OssMultipart.pairedRounds";
  static final String COST_PUT = "OssClientCost.put";
  static final String COST_GET = "OssClientCost.get";
  static final String SETUP = "AesCtrSetup.getInstanceAndInit";
  static final String COPY = "MemoryCopy.arraycopy";
  static final String ROUNDS = "MemoryBound.rotatingRounds";
  static final String COLD_CALL = "ColdStart.oneShot64MiBCall";
  static final String COLD_SLOWEST = "ColdStart.oneShot64MiBCallSlowest";
  static final String COLD_SPAN = "ColdStart.span64MiBSpan";
  static final String COLD_256 = "ColdStart.first256MiBCall";
  static final String REPEATED = "OssRepeatedRangedGet.rangedGet1MiB";
  static final String LAYER_SEEK = "JcaLayer.initAndUpdate4KiB";
  static final String LAYER_SETUP = "JcaLayer.getInstanceAndInit";

  /** Smallest rate of a 64 MiB out-of-place call as a share of System.arraycopy's. */
  static final double COPY_SHARE = 0.95;

  /** Smallest speed-up of one 64 MiB call in a fresh JVM over SunJCE's (medians of 10 JVMs). */
  static final double COLD_CALL_SPEEDUP = 10;

  /** Smallest speed-up of the first 256 MiB in 1 MiB calls in a fresh JVM over SunJCE's. */
  static final double COLD_256_SPEEDUP = 5;

  /** Largest span from provider creation through the first 64 MiB call, as a share of SunJCE's. */
  static final double COLD_SPAN_SHARE = 0.5;

  /** Largest time of a repeated ranged GET with the RSA key cache, as a multiple of a plain one. */
  static final double REPEATED_OVER_PLAIN = 1.3;

  /** Largest client CPU time of OssCse as a share of the plain client's, PUT or GET. */
  static final double CPU_OVER_PLAIN = 1.05;

  /** Largest client CPU time of OssCse as a share of the official client's, PUT or GET. */
  static final double CPU_OVER_OFFICIAL = 0.5;

  /** Smallest rate of random reads through the encrypted channel, as a share of plain GETs'. */
  static final double RANDOM_SHARE = 0.8;

  /** Smallest encrypted rate, as a share of the plain client's, for a whole-object PUT or GET. */
  static final double PLAIN_SHARE = 0.9;

  /** Smallest speed-up over the official encryption client for a whole-object PUT or GET. */
  static final double OVER_OFFICIAL = 2;

  /** Smallest speed-up of a multipart upload with 2 parts in flight over 1. */
  static final double IN_FLIGHT = 1.6;

  /** Largest seek + 4 KiB read time, in nanoseconds. */
  static final double SEEK_LIMIT_NS = 1000;

  /** Largest ratio between the slowest and fastest seek region that still counts as flat. */
  static final double FLAT_LIMIT = 1.25;

  private Targets() {}

  /** Evaluates every target against a run. */
  public static List<Row> evaluate(Run run) {
    List<Row> rows = new ArrayList<>();
    bulkRate(run, rows);
    copyBound(run, rows);
    copyBoundRounds(run, rows);
    inPlace(run, rows);
    freshJvm(run, rows);
    smallCalls(run, rows);
    coldPath(run, rows);
    seek(run, rows);
    againstSunJce(run, rows);
    allocation(run, rows);
    binding(run, rows);
    return rows;
  }

  /**
   * The OSS binding targets, from the {@code OssTransfer} and {@code OssMultipart} results; none
   * when the run has no such results. Ratios are of times, so they are ratios of rates too: "0.9x
   * plain" is the plain client's time over OssCse's.
   */
  private static void binding(Run run, List<Row> rows) {
    List<Case> puts = new ArrayList<>();
    List<Case> gets = new ArrayList<>();
    List<Case> twoInFlight = new ArrayList<>();
    for (Case c : run.cases()) {
      switch (c.benchmark()) {
        case PUT -> puts.add(c);
        case GET -> gets.add(c);
        case MULTIPART, PAIRED_MULTIPART -> {
          if ("2".equals(c.params().get("parallelism"))) {
            twoInFlight.add(c);
          }
        }
        default -> {}
      }
    }
    for (Case c : puts) {
      rows.add(clientRow(run, c, "PUT", "plain", PLAIN_SHARE, ">= 0.9x plain PUT rate"));
    }
    for (Case c : gets) {
      rows.add(clientRow(run, c, "GET", "plain", PLAIN_SHARE, ">= 0.9x plain GET rate"));
    }
    for (Case c : puts) {
      rows.add(clientRow(run, c, "PUT", "official", OVER_OFFICIAL, ">= 2x official PUT rate"));
    }
    for (Case c : gets) {
      rows.add(clientRow(run, c, "GET", "official", OVER_OFFICIAL, ">= 2x official GET rate"));
    }
    clientCost(run, rows);
    randomReads(run, rows);
    repeatedRangedGet(run, rows);
    for (Case c : twoInFlight) {
      Map<String, String> oneParams = new LinkedHashMap<>(c.params());
      oneParams.put("parallelism", "1");
      Case one = new Case(c.benchmark(), oneParams);
      String target =
          "Multipart "
              + size(c)
              + ", 2 in flight vs 1 (OssCse)"
              + c.linkSuffix()
              + (c.benchmark().equals(PAIRED_MULTIPART) ? ", paired rounds" : "");
      String criterion = ">= 1.6x one in flight";
      Optional<JmhResult> two = run.find(c, Run.SUBJECT);
      Optional<JmhResult> single = run.find(one, Run.SUBJECT);
      if (two.isEmpty() || single.isEmpty()) {
        rows.add(missingBinding(target, criterion));
        continue;
      }
      rows.add(ratioRow(target, criterion, two.get(), single.get(), IN_FLIGHT));
    }
  }

  /**
   * The client CPU targets, from {@code OssClientCost} run with the process CPU profiler: OssCse's
   * CPU time per operation over the other client's, PUT and GET, against the plain client and the
   * official one.
   */
  private static void clientCost(Run run, List<Row> rows) {
    List<Case> cost = new ArrayList<>();
    for (Case c : run.cases()) {
      if (c.benchmark().equals(COST_PUT) || c.benchmark().equals(COST_GET)) {
        cost.add(c);
      }
    }
    for (String other : List.of("plain", "official")) {
      double limit = other.equals("plain") ? CPU_OVER_PLAIN : CPU_OVER_OFFICIAL;
      String criterion = String.format(Locale.ROOT, "<= %sx %s client's CPU", trim(limit), other);
      for (Case c : cost) {
        String op = c.benchmark().equals(COST_PUT) ? "PUT" : "GET";
        String target = "Client CPU, " + op + " " + size(c) + " (OssCse vs " + other + ")";
        Optional<JmhResult> ours = run.find(c, Run.SUBJECT);
        Optional<JmhResult> theirs = run.find(c, other);
        if (ours.isEmpty()
            || theirs.isEmpty()
            || Double.isNaN(ours.get().cpuNorm())
            || Double.isNaN(theirs.get().cpuNorm())) {
          rows.add(missingBinding(target, criterion));
          continue;
        }
        long bytes = c.bytes().orElse(0);
        double ratio = ours.get().cpuNorm() / theirs.get().cpuNorm();
        rows.add(
            new Row(
                target,
                criterion,
                String.format(
                    Locale.ROOT,
                    "%.2fx (%s vs %s)",
                    ratio,
                    Format.cpuPerGiB(ours.get().cpuNorm(), bytes),
                    Format.cpuPerGiB(theirs.get().cpuNorm(), bytes)),
                ratio,
                ratio <= limit ? Verdict.PASS : Verdict.MISS,
                true));
      }
    }
  }

  /** The random-read target: plain ranged GETs' time over the encrypted channel's. */
  private static void randomReads(Run run, List<Row> rows) {
    for (Case c : run.cases()) {
      if (c.isRandomReads()) {
        rows.add(
            compareRow(
                run,
                c,
                "Random reads, " + c.label() + " (OssCse channel vs plain ranged GETs)",
                "plain",
                RANDOM_SHARE,
                ">= 0.8x plain rate"));
      }
    }
  }

  /** Repeated ranged GETs of one RSA object with the content-key cache, against plain ones. */
  private static void repeatedRangedGet(Run run, List<Row> rows) {
    for (Case c : run.cases()) {
      if (!c.benchmark().equals(REPEATED)) {
        continue;
      }
      String target = "Repeated ranged GET 1 MiB of " + size(c) + " (OssCse, RSA key cache on)";
      String criterion = "<= 1.3x a plain ranged GET's time";
      Optional<JmhResult> ours = run.find(c, "OssCseCached");
      Optional<JmhResult> plain = run.find(c, "plain");
      Optional<JmhResult> uncached = run.find(c, Run.SUBJECT);
      if (ours.isEmpty() || plain.isEmpty()) {
        rows.add(missingBinding(target, criterion));
        continue;
      }
      double times = ours.get().median() / plain.get().median();
      rows.add(
          new Row(
              target,
              criterion,
              String.format(
                  Locale.ROOT,
                  "%.2fx (%s vs %s; cache off %s)",
                  times,
                  Format.score(ours.get()),
                  Format.score(plain.get()),
                  uncached.map(Format::score).orElse("-")),
              times,
              times <= REPEATED_OVER_PLAIN ? Verdict.PASS : Verdict.MISS,
              true));
    }
  }

  private static Row clientRow(
      Run run, Case c, String op, String other, double limit, String criterion) {
    String target = "Encrypted " + op + " " + size(c) + " (OssCse vs " + other + ")";
    return compareRow(run, c, target, other, limit, criterion);
  }

  /** OssCse's rate over {@code other}'s in one case (their time over ours), against a limit. */
  private static Row compareRow(
      Run run, Case c, String target, String other, double limit, String criterion) {
    Optional<JmhResult> ours = run.find(c, Run.SUBJECT);
    Optional<JmhResult> theirs = run.find(c, other);
    if (ours.isEmpty() || theirs.isEmpty()) {
      return missingBinding(target, criterion);
    }
    return ratioRow(target, criterion, ours.get(), theirs.get(), limit);
  }

  /** A binding row: how many times faster {@code ours} is than {@code theirs}, against a limit. */
  private static Row ratioRow(
      String target, String criterion, JmhResult ours, JmhResult theirs, double limit) {
    double ratio = Run.speedup(ours, theirs);
    return new Row(
        target,
        criterion,
        String.format(
            Locale.ROOT, "%.2fx (%s vs %s)", ratio, Format.score(ours), Format.score(theirs)),
        ratio,
        ratio >= limit ? Verdict.PASS : Verdict.MISS,
        true);
  }

  private static String size(Case c) {
    return c.bytes().isPresent() ? Case.size(c.bytes().getAsLong()) : "?";
  }

  private static void bulkRate(Run run, List<Row> rows) {
    Optional<JmhResult> sun16k =
        run.find(new Case(OUT_OF_PLACE, Map.of("size", "16384")), Run.BASELINE);
    boolean any = false;
    for (Case c : run.cases()) {
      if (!c.benchmark().equals(OUT_OF_PLACE) || c.bytes().orElse(0) < 16384) {
        continue;
      }
      any = true;
      String target = "CTR out of place, " + Case.size(c.bytes().getAsLong());
      Optional<JmhResult> ours = run.find(c, Run.SUBJECT);
      if (ours.isEmpty() || sun16k.isEmpty()) {
        rows.add(missing(target, ">= 0.95x SunJCE's 16 KiB rate"));
        continue;
      }
      double oursRate = rate(ours.get(), c.bytes().getAsLong());
      double sunRate = rate(sun16k.get(), 16384);
      double ratio = oursRate / sunRate;
      rows.add(
          row(
              target,
              ">= 0.95x SunJCE's 16 KiB rate",
              String.format(
                  Locale.ROOT,
                  "%.2fx (%s vs %s)",
                  ratio,
                  Format.rate(oursRate),
                  Format.rate(sunRate)),
              ratio,
              ratio >= 0.95));
    }
    if (!any) {
      rows.add(missing("CTR out of place, 16 KiB and larger", ">= 0.95x SunJCE's 16 KiB rate"));
    }
  }

  /** A 64 MiB out-of-place call against a System.arraycopy of 64 MiB in the same run. */
  private static void copyBound(Run run, List<Row> rows) {
    Map<String, String> size = Map.of("size", Integer.toString(64 << 20));
    rows.add(
        copyRow(
            "CTR out of place, 64 MiB, vs System.arraycopy of 64 MiB",
            run.find(new Case(OUT_OF_PLACE, size), Run.SUBJECT),
            run.find(new Case(COPY, size), ""),
            Optional.empty()));
  }

  /**
   * The same comparison in rotating rounds of one JVM ({@code MemoryBound}): OssCse's single 64 MiB
   * call against a copy of the same arrays, with SunJCE's best shape (100 KiB calls) beside it.
   */
  private static void copyBoundRounds(Run run, List<Row> rows) {
    for (Case c : run.cases()) {
      if (c.benchmark().equals(ROUNDS)) {
        rows.add(
            copyRow(
                "CTR out of place, 64 MiB, vs System.arraycopy, rotating rounds in one JVM",
                run.find(c, Run.SUBJECT),
                run.find(c, "copy"),
                run.find(c, Run.BASELINE)));
      }
    }
  }

  /** OssCse's rate against the copy's, and SunJCE's against the copy's when given. */
  private static Row copyRow(
      String target,
      Optional<JmhResult> ours,
      Optional<JmhResult> copy,
      Optional<JmhResult> sunJce) {
    String criterion = ">= 0.95x System.arraycopy's rate";
    if (ours.isEmpty() || copy.isEmpty()) {
      return missing(target, criterion);
    }
    double ratio = Run.speedup(ours.get(), copy.get());
    String beside =
        sunJce
            .map(
                sun ->
                    String.format(
                        Locale.ROOT,
                        "; SunJCE in 100 KiB calls %.2fx",
                        Run.speedup(sun, copy.get())))
            .orElse("");
    return row(
        target,
        criterion,
        String.format(
                Locale.ROOT,
                "%.2fx (%s vs %s)",
                ratio,
                Format.score(ours.get()),
                Format.score(copy.get()))
            + beside,
        ratio,
        ratio >= COPY_SHARE);
  }

  /**
   * The cold path in plain {@code java} programs ({@code ColdStart}, 10 fresh JVMs per provider):
   * one 64 MiB call, its slowest run, the span from provider creation, and the first 256 MiB in 1
   * MiB calls.
   */
  private static void coldPath(Run run, List<Row> rows) {
    Case call = new Case(COLD_CALL, Map.of());
    rows.add(
        speedupRow(
            run, call, "Cold path: one 64 MiB call, fresh JVMs (median)", COLD_CALL_SPEEDUP, ""));
    String slowTarget = "Cold path: one 64 MiB call, fresh JVMs, slowest OssCse run";
    String slowCriterion = "<= SunJCE's median";
    Optional<JmhResult> slowest = run.find(new Case(COLD_SLOWEST, Map.of()), Run.SUBJECT);
    Optional<JmhResult> sunCall = run.find(call, Run.BASELINE);
    if (slowest.isEmpty() || sunCall.isEmpty()) {
      rows.add(missing(slowTarget, slowCriterion));
    } else {
      double ms = slowest.get().medianNanos();
      double sun = sunCall.get().medianNanos();
      rows.add(
          row(
              slowTarget,
              slowCriterion,
              String.format(Locale.ROOT, "%s vs %s", Format.nanos(ms), Format.nanos(sun)),
              ms / sun,
              ms <= sun));
    }
    rows.add(
        speedupRow(
            run,
            new Case(COLD_256, Map.of()),
            "Cold path: first 256 MiB in 1 MiB calls, fresh JVMs (median)",
            COLD_256_SPEEDUP,
            ""));
    String spanTarget = "Start-up: provider creation through the first 64 MiB call (median)";
    String spanCriterion = "<= 0.5x SunJCE's span";
    Optional<JmhResult> ours = run.find(new Case(COLD_SPAN, Map.of()), Run.SUBJECT);
    Optional<JmhResult> sun = run.find(new Case(COLD_SPAN, Map.of()), Run.BASELINE);
    if (ours.isEmpty() || sun.isEmpty()) {
      rows.add(missing(spanTarget, spanCriterion));
    } else {
      double share = ours.get().median() / sun.get().median();
      rows.add(
          row(
              spanTarget,
              spanCriterion,
              String.format(
                  Locale.ROOT,
                  "%.2fx (%s vs %s)",
                  share,
                  Format.score(ours.get()),
                  Format.score(sun.get())),
              share,
              share <= COLD_SPAN_SHARE));
    }
  }

  /**
   * Seek + 4 KiB read in each region and per-object setup against SunJCE: at least as fast, and
   * allocating no more per operation.
   */
  private static void againstSunJce(Run run, List<Row> rows) {
    for (Case c : run.cases()) {
      String target;
      if (c.benchmark().equals(SEEK)) {
        target = "Seek + 4 KiB read vs SunJCE, " + c.params().getOrDefault("region", "?");
      } else if (c.benchmark().equals(SETUP)) {
        target = "Per-object setup (getInstance + init) vs SunJCE";
      } else {
        continue;
      }
      String criterion = ">= 1x SunJCE, B/op <= SunJCE's";
      Optional<JmhResult> ours = run.find(c, Run.SUBJECT);
      Optional<JmhResult> sun = run.find(c, Run.BASELINE);
      if (ours.isEmpty() || sun.isEmpty()) {
        rows.add(missing(target, criterion));
        continue;
      }
      double ratio = Run.speedup(ours.get(), sun.get());
      double ourAlloc = ours.get().allocNorm();
      double sunAlloc = sun.get().allocNorm();
      boolean allocOk = !Double.isNaN(ourAlloc) && ourAlloc <= sunAlloc + 0.5;
      // The floor of ours: SunJCE's time plus one JCA layer that does no work (JcaLayer).
      String layerName = c.benchmark().equals(SEEK) ? LAYER_SEEK : LAYER_SETUP;
      Optional<JmhResult> layer = run.find(new Case(layerName, Map.of()), "");
      String bound =
          layer
              .map(
                  l ->
                      String.format(
                          Locale.ROOT,
                          "; one JCA layer %s and %s, best reachable %.2fx",
                          Format.score(l),
                          Format.bytesPerOp(l.allocNorm()),
                          sun.get().medianNanos() / (sun.get().medianNanos() + l.medianNanos())))
              .orElse("");
      rows.add(
          row(
              target,
              criterion,
              String.format(
                  Locale.ROOT,
                  "%.2fx (%s vs %s), %s vs %s%s",
                  ratio,
                  Format.score(ours.get()),
                  Format.score(sun.get()),
                  Format.bytesPerOp(ourAlloc),
                  Format.bytesPerOp(sunAlloc),
                  bound),
              ratio,
              ratio >= 1.0 && allocOk));
    }
  }

  /**
   * In place: 64 B calls against SunJCE in place at the same size; 16 KiB and larger against
   * SunJCE's best in-place rate over those sizes (its in-place calls of 1 MiB and more never reach
   * the intrinsic in a short run), with {@code System.arraycopy} of the same size beside it for
   * sizes beyond the caches: a call in place reads and writes every byte, as the copy does.
   */
  private static void inPlace(Run run, List<Row> rows) {
    String criterion = ">= 1.5x SunJCE's best in-place rate";
    double best = 0;
    String bestSize = "";
    for (Case c : run.cases()) {
      Optional<JmhResult> sun = run.find(c, Run.BASELINE);
      long bytes = c.bytes().orElse(0);
      if (c.benchmark().equals(IN_PLACE) && bytes >= 16384 && sun.isPresent()) {
        double r = rate(sun.get(), bytes);
        if (r > best) {
          best = r;
          bestSize = Case.size(bytes);
        }
      }
    }
    boolean any = false;
    for (Case c : run.cases()) {
      if (!c.benchmark().equals(IN_PLACE)) {
        continue;
      }
      any = true;
      long bytes = c.bytes().getAsLong();
      String target = "CTR in place, " + Case.size(bytes);
      if (bytes < 16384) {
        rows.add(speedupRow(run, c, target, 1.5, "in place"));
        continue;
      }
      Optional<JmhResult> ours = run.find(c, Run.SUBJECT);
      if (ours.isEmpty() || best == 0) {
        rows.add(missing(target, criterion));
        continue;
      }
      double sunBest = best;
      double ratio = rate(ours.get(), bytes) / sunBest;
      String bound =
          run.find(new Case(COPY, Map.of("size", Long.toString(bytes))), "")
              .filter(copy -> bytes >= (16L << 20)) // beyond the caches only
              .map(
                  copy ->
                      String.format(
                          Locale.ROOT,
                          "; System.arraycopy of %s %s, best reachable %.2fx",
                          Case.size(bytes),
                          Format.score(copy),
                          rate(copy, bytes) / sunBest))
              .orElse("");
      rows.add(
          row(
              target,
              criterion,
              String.format(
                      Locale.ROOT,
                      "%.2fx (%s vs SunJCE's %s at %s)",
                      ratio,
                      Format.rate(rate(ours.get(), bytes)),
                      Format.rate(best),
                      bestSize)
                  + bound,
              ratio,
              ratio >= 1.5));
    }
    if (!any) {
      rows.add(missing("CTR in place", ">= 1.5x SunJCE in place"));
    }
  }

  private static void freshJvm(Run run, List<Row> rows) {
    rows.add(speedupRow(run, new Case(FRESH, Map.of()), "One 64 MiB call, fresh JVM", 20, ""));
  }

  private static void smallCalls(Run run, List<Row> rows) {
    rows.add(
        speedupRow(
            run,
            new Case(OUT_OF_PLACE, Map.of("size", "64")),
            "CTR out of place, 64 B calls",
            1.0,
            ""));
  }

  private static Row speedupRow(Run run, Case c, String target, double limit, String what) {
    String criterion =
        String.format(
            Locale.ROOT, ">= %sx SunJCE%s", trim(limit), what.isEmpty() ? "" : " " + what);
    Optional<JmhResult> ours = run.find(c, Run.SUBJECT);
    Optional<JmhResult> sun = run.find(c, Run.BASELINE);
    if (ours.isEmpty() || sun.isEmpty()) {
      return missing(target, criterion);
    }
    double ratio = Run.speedup(ours.get(), sun.get());
    return row(
        target,
        criterion,
        String.format(
            Locale.ROOT,
            "%.2fx (%s vs %s)",
            ratio,
            Format.score(ours.get()),
            Format.score(sun.get())),
        ratio,
        ratio >= limit);
  }

  private static void seek(Run run, List<Row> rows) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    int n = 0;
    for (Case c : run.cases()) {
      if (!c.benchmark().equals(SEEK)) {
        continue;
      }
      Optional<JmhResult> ours = run.find(c, Run.SUBJECT);
      String target = "Seek + 4 KiB read, " + c.params().getOrDefault("region", "?");
      if (ours.isEmpty()) {
        rows.add(missing(target, "<= 1 us"));
        continue;
      }
      double ns = ours.get().medianNanos();
      min = Math.min(min, ns);
      max = Math.max(max, ns);
      n++;
      rows.add(row(target, "<= 1 us", Format.nanos(ns), ns, ns <= SEEK_LIMIT_NS));
    }
    String flat = "Seek + 4 KiB read, flat across offsets";
    String criterion = String.format(Locale.ROOT, "slowest / fastest region <= %s", FLAT_LIMIT);
    if (n < 2) {
      rows.add(missing(flat, criterion));
    } else {
      double spread = max / min;
      rows.add(
          row(
              flat,
              criterion,
              String.format(
                  Locale.ROOT, "%.2f (%s .. %s)", spread, Format.nanos(min), Format.nanos(max)),
              spread,
              spread <= FLAT_LIMIT));
    }
  }

  private static void allocation(Run run, List<Row> rows) {
    boolean any = false;
    for (Case c : run.cases()) {
      if (!c.benchmark().equals(OUT_OF_PLACE) && !c.benchmark().equals(IN_PLACE)) {
        continue;
      }
      Optional<JmhResult> ours = run.find(c, Run.SUBJECT);
      if (ours.isEmpty() || Double.isNaN(ours.get().allocNorm())) {
        continue;
      }
      any = true;
      long bytes = c.bytes().orElse(0);
      double limit = allocationLimit(bytes);
      double alloc = ours.get().allocNorm();
      rows.add(
          row(
              "Allocation, " + c.label(),
              "0 B/op (< " + Format.bytesPerOp(limit) + ")",
              Format.bytesPerOp(alloc),
              alloc,
              alloc < limit));
    }
    if (!any) {
      rows.add(missing("Allocation per CTR update (-prof gc)", "0 B/op"));
    }
  }

  /**
   * Returns the allocation under which a steady-state call counts as allocation-free: 1 byte, or
   * 0.01% of the bytes processed for large calls, where JMH's own per-iteration allocation divided
   * by a handful of calls shows up. A copy of the data would show as at least the data size.
   */
  static double allocationLimit(long bytes) {
    return Math.max(1.0, bytes / 10_000.0);
  }

  private static double rate(JmhResult r, long bytes) {
    return bytes / r.medianNanos();
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static Row row(String target, String criterion, String measured, double v, boolean ok) {
    return new Row(target, criterion, measured, v, ok ? Verdict.PASS : Verdict.MISS, false);
  }

  private static Row missing(String target, String criterion) {
    return new Row(target, criterion, "-", Double.NaN, Verdict.NOT_MEASURED, false);
  }

  private static Row missingBinding(String target, String criterion) {
    return new Row(target, criterion, "-", Double.NaN, Verdict.NOT_MEASURED, true);
  }
}
