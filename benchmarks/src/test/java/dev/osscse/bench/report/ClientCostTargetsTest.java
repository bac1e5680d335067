package dev.osscse.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.osscse.bench.JmhJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client CPU and random-read rows of the Targets table and their tables, from {@code
 * cost-fixture.json}: synthetic OssClientCost results (wall ms, {@code cpu.time.norm} ns/op) and
 * OssRandomRead results chosen so that every ratio is known. PUT 256 MiB: plain 800 ms / 200 ms
 * CPU, official 1000 / 600, OssCse 820 / 210. GET: plain 300 / 100, official 1800 / 180, OssCse 320
 * / 120. Random reads: plain 1000 ms, OssCse 1250 ms.
 */
class ClientCostTargetsTest {
  private static final String CPU_PUT_PLAIN = "Client CPU, PUT 256 MiB (OssCse vs plain)";
  private static final String CPU_GET_PLAIN = "Client CPU, GET 256 MiB (OssCse vs plain)";
  private static final String CPU_PUT_OFFICIAL = "Client CPU, PUT 256 MiB (OssCse vs official)";
  private static final String CPU_GET_OFFICIAL = "Client CPU, GET 256 MiB (OssCse vs official)";
  private static final String RANDOM =
      "Random reads, 1,000 random 64 KiB reads of 1 GiB, read-ahead 64 KiB"
          + " (OssCse channel vs plain ranged GETs)";

  private static final String PAIRED = "dev.osscse.bench.oss.OssRandomRead.pairedRounds";
  private static final String GIB = "1073741824";

  private static List<JmhResult> load() throws IOException {
    try (InputStream in = ClientCostTargetsTest.class.getResourceAsStream("cost-fixture.json");
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return JmhResult.parse(reader);
    }
  }

  private static Targets.Row target(List<Targets.Row> rows, String name) {
    return rows.stream().filter(r -> r.target().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void parse_cpuProfilerMetric_readsCpuPerOperationInNanos() throws IOException {
    JmhResult plainPut = load().get(0);

    assertThat(plainPut.benchmark()).isEqualTo("OssClientCost.put");
    assertThat(plainPut.cpuNorm()).isEqualTo(200e6);
    assertThat(plainPut.allocNorm()).isNaN();
    assertThat(load().get(6).cpuNorm()).isNaN();
  }

  @Test
  void evaluate_costResults_givesCpuRatiosAgainstPlainAndOfficial() throws IOException {
    List<Targets.Row> rows = Targets.evaluate(new Run("JDK 17", load()));

    assertThat(rows.stream().filter(Targets.Row::binding).map(Targets.Row::target))
        .containsExactly(CPU_PUT_PLAIN, CPU_GET_PLAIN, CPU_PUT_OFFICIAL, CPU_GET_OFFICIAL, RANDOM);
    // OssCse CPU over plain CPU; exactly at the 1.05 limit passes.
    Targets.Row putPlain = target(rows, CPU_PUT_PLAIN);
    assertThat(putPlain.criterion()).isEqualTo("<= 1.05x plain client's CPU");
    assertThat(putPlain.value()).isEqualTo(1.05);
    assertThat(putPlain.measured()).isEqualTo("1.05x (0.840 s/GiB vs 0.800 s/GiB)");
    assertThat(putPlain.verdict()).isEqualTo(Targets.Verdict.PASS);
    Targets.Row getPlain = target(rows, CPU_GET_PLAIN);
    assertThat(getPlain.value()).isCloseTo(1.2, within(1e-12));
    assertThat(getPlain.verdict()).isEqualTo(Targets.Verdict.MISS);
    // OssCse CPU over official CPU, limit 0.5.
    Targets.Row putOfficial = target(rows, CPU_PUT_OFFICIAL);
    assertThat(putOfficial.criterion()).isEqualTo("<= 0.5x official client's CPU");
    assertThat(putOfficial.value()).isCloseTo(0.35, within(1e-12));
    assertThat(putOfficial.verdict()).isEqualTo(Targets.Verdict.PASS);
    Targets.Row getOfficial = target(rows, CPU_GET_OFFICIAL);
    assertThat(getOfficial.value()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(getOfficial.measured()).isEqualTo("0.67x (0.480 s/GiB vs 0.720 s/GiB)");
    assertThat(getOfficial.verdict()).isEqualTo(Targets.Verdict.MISS);
    // Plain time over OssCse time; exactly at 0.8 passes.
    Targets.Row random = target(rows, RANDOM);
    assertThat(random.criterion()).isEqualTo(">= 0.8x plain rate");
    assertThat(random.value()).isEqualTo(0.8);
    assertThat(random.measured()).isEqualTo("0.80x (1250.0 ms vs 1000.0 ms)");
    assertThat(random.verdict()).isEqualTo(Targets.Verdict.PASS);
  }

  @Test
  void evaluate_cpuMetricMissing_isNotMeasured() throws IOException {
    List<JmhResult> results = new ArrayList<>();
    for (JmhResult r : load()) {
      boolean officialGet =
          r.benchmark().equals("OssClientCost.get") && r.provider().equals("official");
      results.add(
          officialGet
              ? new JmhResult(
                  r.benchmark(),
                  r.params(),
                  r.mode(),
                  r.unit(),
                  r.score(),
                  r.error(),
                  r.median(),
                  r.samples(),
                  r.allocNorm(),
                  Double.NaN,
                  r.jdkVersion(),
                  r.vmVersion())
              : r);
    }
    results.removeIf(
        r -> r.benchmark().equals("OssRandomRead.randomReads") && r.provider().equals("plain"));

    List<Targets.Row> rows = Targets.evaluate(new Run("JDK 17", results));

    assertThat(target(rows, CPU_GET_OFFICIAL).verdict()).isEqualTo(Targets.Verdict.NOT_MEASURED);
    assertThat(target(rows, CPU_GET_OFFICIAL).measured()).isEqualTo("-");
    assertThat(target(rows, CPU_GET_PLAIN).verdict()).isEqualTo(Targets.Verdict.MISS);
    assertThat(target(rows, RANDOM).verdict()).isEqualTo(Targets.Verdict.NOT_MEASURED);
  }

  @Test
  void evaluate_pairedRoundsFromJmhJson_givesItsOwnRandomReadRow() {
    Map<String, String> plain = Map.of("provider", "plain", "readAhead", "65536", "size", GIB);
    Map<String, String> ours = Map.of("provider", "OssCse", "readAhead", "65536", "size", GIB);
    String json =
        "["
            + JmhJson.result(PAIRED, plain, new double[] {320, 280, 300})
            + ","
            + JmhJson.result(PAIRED, ours, new double[] {260, 240, 250, 400})
            + "]";

    List<JmhResult> results = JmhResult.parse(new StringReader(json));
    Targets.Row row =
        target(
            Targets.evaluate(new Run("JDK 17", results)),
            "Random reads, 1,000 random 64 KiB reads of 1 GiB, read-ahead 64 KiB, paired rounds"
                + " (OssCse channel vs plain ranged GETs)");

    assertThat(results.get(1).median()).isEqualTo(255.0); // even count: the middle two's mean
    assertThat(row.value()).isCloseTo(300.0 / 255, within(1e-12));
    assertThat(row.measured()).isEqualTo("1.18x (255.0 ms vs 300.0 ms)");
    assertThat(row.verdict()).isEqualTo(Targets.Verdict.PASS);
  }

  @Test
  void label_randomReads_namesCountSizeObjectAndReadAhead() {
    Map<String, String> params = Map.of("readAhead", "262144", "size", "1073741824");
    Case c = new Case("OssRandomRead.randomReads", params);

    assertThat(c.label()).isEqualTo("1,000 random 64 KiB reads of 1 GiB, read-ahead 256 KiB");
    assertThat(c.bytes()).hasValue(1000L * 65536);
  }

  @Test
  void render_costAndRandomResults_showsWallCpuAndRatioTables() throws IOException {
    String md =
        MarkdownReport.render(
            List.of(new Run("JDK 17", load())), new RunInfo("d", "m", "c", "s", "", "", ""));

    assertThat(md)
        .contains(
            "| Client CPU, PUT 256 MiB (OssCse vs plain) | <= 1.05x plain client's CPU |"
                + " 1.05x (0.840 s/GiB vs 0.800 s/GiB) | pass |")
        .contains(
            "| PUT 256 MiB, endpoint in its own JVM | 800.0 ms (336 MB/s) | 1000.0 ms (268 MB/s)"
                + " | 820.0 ms (327 MB/s) | 0.800 s/GiB | 2.400 s/GiB | 0.840 s/GiB | 1.05x |"
                + " 0.35x |")
        .contains(
            "| 1,000 random 64 KiB reads of 1 GiB, read-ahead 64 KiB | 1000.0 ms (66 MB/s) |"
                + " 1250.0 ms (52 MB/s) | 1.25x |");
  }
}
