package dev.osscse.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Targets rows against a bound or a cold JVM: the 64 MiB call against System.arraycopy, the
 * cold path from {@code ColdStart}, seek and set-up against SunJCE (time and allocation, with the
 * one-JCA-layer bound), and the repeated ranged GET with the RSA key cache; synthetic results whose
 * ratios are known.
 */
class BoundAndColdTargetsTest {
  private static JmhResult result(
      String benchmark, String provider, String unit, double median, double alloc, String... kv) {
    Map<String, String> params = new LinkedHashMap<>();
    if (provider != null) {
      params.put(benchmark.startsWith("Oss") ? "client" : "provider", provider);
    }
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    String mode = benchmark.startsWith("ColdStart") ? "ss" : "avgt";
    return new JmhResult(
        benchmark,
        params,
        mode,
        unit,
        median,
        Double.NaN,
        median,
        10,
        alloc,
        Double.NaN,
        "17",
        "17");
  }

  private static final List<JmhResult> RESULTS =
      List.of(
          result("AesCtrUpdate.outOfPlace", "OssCse", "ns/op", 3.5e6, 21, "size", "67108864"),
          result("MemoryCopy.arraycopy", null, "ns/op", 3.4e6, 0, "size", "67108864"),
          result("MemoryBound.rotatingRounds", "OssCse", "ms/op", 4.4, 0, "size", "67108864"),
          result("MemoryBound.rotatingRounds", "SunJCE", "ms/op", 4.2, 0, "size", "67108864"),
          result("MemoryBound.rotatingRounds", "copy", "ms/op", 4.0, 0, "size", "67108864"),
          result("ColdStart.oneShot64MiBCall", "OssCse", "ms/op", 10, Double.NaN),
          result("ColdStart.oneShot64MiBCall", "SunJCE", "ms/op", 150, Double.NaN),
          result("ColdStart.oneShot64MiBCallSlowest", "OssCse", "ms/op", 160, Double.NaN),
          result("ColdStart.oneShot64MiBCallSlowest", "SunJCE", "ms/op", 300, Double.NaN),
          result("ColdStart.first256MiBCall", "OssCse", "ms/op", 200, Double.NaN),
          result("ColdStart.first256MiBCall", "SunJCE", "ms/op", 900, Double.NaN),
          result("ColdStart.span64MiBSpan", "OssCse", "ms/op", 100, Double.NaN),
          result("ColdStart.span64MiBSpan", "SunJCE", "ms/op", 250, Double.NaN),
          result(
              "AesCtrSeekRead.seekThenRead4KiB", "OssCse", "ns/op", 260, 104, "region", "last1MiB"),
          result(
              "AesCtrSeekRead.seekThenRead4KiB", "SunJCE", "ns/op", 240, 154, "region", "last1MiB"),
          result("JcaLayer.initAndUpdate4KiB", null, "ns/op", 30, 48),
          result("AesCtrSetup.getInstanceAndInit", "OssCse", "ns/op", 1000, 5000),
          result("AesCtrSetup.getInstanceAndInit", "SunJCE", "ns/op", 1100, 4000),
          result(
              "OssRepeatedRangedGet.rangedGet1MiB", "plain", "ms/op", 2.0, 0, "size", "268435456"),
          result(
              "OssRepeatedRangedGet.rangedGet1MiB", "OssCse", "ms/op", 5.0, 0, "size", "268435456"),
          result(
              "OssRepeatedRangedGet.rangedGet1MiB",
              "OssCseCached",
              "ms/op",
              2.4,
              0,
              "size",
              "268435456"));

  private static Targets.Row target(List<Targets.Row> rows, String name) {
    return rows.stream().filter(r -> r.target().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void evaluate_inPlace_largeCallsAgainstSunJcesBestInPlaceRate_withTheCopyBeside() {
    List<JmhResult> results =
        List.of(
            result("AesCtrUpdate.inPlace", "OssCse", "ns/op", 10, 0, "size", "64"),
            result("AesCtrUpdate.inPlace", "SunJCE", "ns/op", 20, 80, "size", "64"),
            result("AesCtrUpdate.inPlace", "OssCse", "ns/op", 500, 0, "size", "16384"),
            result("AesCtrUpdate.inPlace", "SunJCE", "ns/op", 1000, 0, "size", "16384"),
            result("AesCtrUpdate.inPlace", "OssCse", "ns/op", 40e3, 0, "size", "1048576"),
            result("AesCtrUpdate.inPlace", "SunJCE", "ns/op", 2e6, 0, "size", "1048576"),
            result("AesCtrUpdate.inPlace", "OssCse", "ns/op", 6e6, 0, "size", "67108864"),
            result("AesCtrUpdate.inPlace", "SunJCE", "ns/op", 140e6, 0, "size", "67108864"),
            result("MemoryCopy.arraycopy", null, "ns/op", 5e6, 0, "size", "67108864"));

    List<Targets.Row> rows = Targets.evaluate(new Run("JDK 17", results));

    // 64 B: same size, 2x. Larger: against SunJCE's 16 KiB in-place rate, 16.384 GB/s.
    assertThat(target(rows, "CTR in place, 64 B").value()).isCloseTo(2.0, within(1e-12));
    assertThat(target(rows, "CTR in place, 64 B").criterion()).isEqualTo(">= 1.5x SunJCE in place");
    Targets.Row mib = target(rows, "CTR in place, 1 MiB");
    assertThat(mib.criterion()).isEqualTo(">= 1.5x SunJCE's best in-place rate");
    assertThat(mib.value()).isCloseTo((1048576 / 40e3) / 16.384, within(1e-12));
    assertThat(mib.verdict()).isEqualTo(Targets.Verdict.PASS); // not 50x SunJCE's slow 1 MiB
    Targets.Row big = target(rows, "CTR in place, 64 MiB");
    assertThat(big.value()).isCloseTo((67108864 / 6e6) / 16.384, within(1e-12));
    assertThat(big.verdict()).isEqualTo(Targets.Verdict.MISS);
    assertThat(big.measured())
        .isEqualTo(
            "0.68x (11.18 GB/s vs SunJCE's 16.38 GB/s at 16 KiB); System.arraycopy of 64 MiB"
                + " 5.0 ms, best reachable 0.82x");
  }

  @Test
  void evaluate_boundsColdPathAndCache_giveRatiosAndVerdicts() {
    List<Targets.Row> rows = Targets.evaluate(new Run("JDK 17", RESULTS));

    Targets.Row copy = target(rows, "CTR out of place, 64 MiB, vs System.arraycopy of 64 MiB");
    assertThat(copy.value()).isCloseTo(3.4 / 3.5, within(1e-12));
    assertThat(copy.verdict()).isEqualTo(Targets.Verdict.PASS);

    Targets.Row rounds =
        target(rows, "CTR out of place, 64 MiB, vs System.arraycopy, rotating rounds in one JVM");
    assertThat(rounds.value()).isCloseTo(4.0 / 4.4, within(1e-12));
    assertThat(rounds.measured())
        .isEqualTo("0.91x (4.4 ms vs 4.0 ms); SunJCE in 100 KiB calls 0.95x");
    assertThat(rounds.verdict()).isEqualTo(Targets.Verdict.MISS);

    Targets.Row cold = target(rows, "Cold path: one 64 MiB call, fresh JVMs (median)");
    assertThat(cold.criterion()).isEqualTo(">= 10x SunJCE");
    assertThat(cold.value()).isCloseTo(15, within(1e-12));
    assertThat(cold.verdict()).isEqualTo(Targets.Verdict.PASS);
    Targets.Row slowest =
        target(rows, "Cold path: one 64 MiB call, fresh JVMs, slowest OssCse run");
    assertThat(slowest.verdict()).isEqualTo(Targets.Verdict.MISS); // 160 ms > SunJCE's median 150
    Targets.Row first256 =
        target(rows, "Cold path: first 256 MiB in 1 MiB calls, fresh JVMs (median)");
    assertThat(first256.value()).isCloseTo(4.5, within(1e-12));
    assertThat(first256.verdict()).isEqualTo(Targets.Verdict.MISS);
    Targets.Row span =
        target(rows, "Start-up: provider creation through the first 64 MiB call (median)");
    assertThat(span.value()).isCloseTo(0.4, within(1e-12));
    assertThat(span.verdict()).isEqualTo(Targets.Verdict.PASS);

    Targets.Row seek = target(rows, "Seek + 4 KiB read vs SunJCE, last1MiB");
    assertThat(seek.value()).isCloseTo(240.0 / 260, within(1e-12));
    assertThat(seek.verdict()).isEqualTo(Targets.Verdict.MISS);
    assertThat(seek.measured()).contains("best reachable 0.89x");
    Targets.Row setup = target(rows, "Per-object setup (getInstance + init) vs SunJCE");
    assertThat(setup.value()).isCloseTo(1.1, within(1e-12));
    assertThat(setup.verdict()).isEqualTo(Targets.Verdict.MISS); // faster, but allocates more

    Targets.Row cached =
        target(rows, "Repeated ranged GET 1 MiB of 256 MiB (OssCse, RSA key cache on)");
    assertThat(cached.value()).isCloseTo(1.2, within(1e-12));
    assertThat(cached.measured()).contains("cache off 5.0 ms");
    assertThat(cached.verdict()).isEqualTo(Targets.Verdict.PASS);
    assertThat(cached.binding()).isTrue();
  }
}
