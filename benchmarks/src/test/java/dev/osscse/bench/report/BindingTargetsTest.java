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
 * The OSS binding rows of the Targets table and the multipart table, from {@code oss-fixture.json}:
 * synthetic OssTransfer and OssMultipart results (times in ms) chosen so that every ratio is known.
 * PUT: plain 900, official 2000, OssCse 1000. GET: plain 400, official 1800, OssCse 500. Multipart
 * OssCse: loopback 1200 (1 in flight) and 800 (2), 100MBps 2800 and 1600; official: loopback 1300
 * and 900, 100MBps 2850 and 1500.
 */
class BindingTargetsTest {
  private static final String PUT_PLAIN = "Encrypted PUT 256 MiB (OssCse vs plain)";
  private static final String GET_PLAIN = "Encrypted GET 256 MiB (OssCse vs plain)";
  private static final String PUT_OFFICIAL = "Encrypted PUT 256 MiB (OssCse vs official)";
  private static final String GET_OFFICIAL = "Encrypted GET 256 MiB (OssCse vs official)";
  private static final String MP_LOOPBACK =
      "Multipart 256 MiB, 2 in flight vs 1 (OssCse), loopback";
  private static final String MP_PACED =
      "Multipart 256 MiB, 2 in flight vs 1 (OssCse), 100 MB/s per connection";

  private static List<JmhResult> load(String name) throws IOException {
    try (InputStream in = BindingTargetsTest.class.getResourceAsStream(name);
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return JmhResult.parse(reader);
    }
  }

  private static List<JmhResult> cryptoOnly() throws IOException {
    return load("fixture.json").stream().filter(r -> !r.benchmark().startsWith("Oss")).toList();
  }

  private static Targets.Row target(List<Targets.Row> rows, String name) {
    return rows.stream().filter(r -> r.target().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void evaluate_ossResults_givesClientAndInFlightRatiosWithVerdicts() throws IOException {
    List<Targets.Row> rows = Targets.evaluate(new Run("JDK 17", load("oss-fixture.json")));

    assertThat(rows.stream().filter(Targets.Row::binding).map(Targets.Row::target))
        .containsExactly(PUT_PLAIN, GET_PLAIN, PUT_OFFICIAL, GET_OFFICIAL, MP_PACED, MP_LOOPBACK);
    // Plain time over OssCse time; exactly at the 0.9 limit passes.
    Targets.Row putPlain = target(rows, PUT_PLAIN);
    assertThat(putPlain.criterion()).isEqualTo(">= 0.9x plain PUT rate");
    assertThat(putPlain.value()).isEqualTo(0.9);
    assertThat(putPlain.measured()).isEqualTo("0.90x (1000.0 ms vs 900.0 ms)");
    assertThat(putPlain.verdict()).isEqualTo(Targets.Verdict.PASS);
    Targets.Row getPlain = target(rows, GET_PLAIN);
    assertThat(getPlain.value()).isCloseTo(0.8, within(1e-12));
    assertThat(getPlain.verdict()).isEqualTo(Targets.Verdict.MISS);
    // Official time over OssCse time.
    Targets.Row putOfficial = target(rows, PUT_OFFICIAL);
    assertThat(putOfficial.criterion()).isEqualTo(">= 2x official PUT rate");
    assertThat(putOfficial.value()).isEqualTo(2.0);
    assertThat(putOfficial.verdict()).isEqualTo(Targets.Verdict.PASS);
    Targets.Row getOfficial = target(rows, GET_OFFICIAL);
    assertThat(getOfficial.value()).isCloseTo(3.6, within(1e-12));
    assertThat(getOfficial.measured()).isEqualTo("3.60x (500.0 ms vs 1800.0 ms)");
    assertThat(getOfficial.verdict()).isEqualTo(Targets.Verdict.PASS);
    // OssCse's time with 1 part in flight over its time with 2, per link.
    Targets.Row loopback = target(rows, MP_LOOPBACK);
    assertThat(loopback.criterion()).isEqualTo(">= 1.6x one in flight");
    assertThat(loopback.value()).isCloseTo(1.5, within(1e-12));
    assertThat(loopback.measured()).isEqualTo("1.50x (800.0 ms vs 1200.0 ms)");
    assertThat(loopback.verdict()).isEqualTo(Targets.Verdict.MISS);
    Targets.Row paced = target(rows, MP_PACED);
    assertThat(paced.value()).isCloseTo(1.75, within(1e-12));
    assertThat(paced.verdict()).isEqualTo(Targets.Verdict.PASS);
    // The crypto targets are still there, not measured, and not binding rows.
    Targets.Row fresh = target(rows, "One 64 MiB call, fresh JVM");
    assertThat(fresh.binding()).isFalse();
    assertThat(fresh.verdict()).isEqualTo(Targets.Verdict.NOT_MEASURED);
  }

  @Test
  void evaluate_noOssResults_addsNoBindingRows() throws IOException {
    List<Targets.Row> rows = Targets.evaluate(new Run("JDK 17", cryptoOnly()));

    assertThat(rows).isNotEmpty().noneMatch(Targets.Row::binding);
  }

  @Test
  void evaluate_clientMissingFromCase_isNotMeasured() throws IOException {
    List<JmhResult> results = new ArrayList<>(load("oss-fixture.json"));
    results.removeIf(
        r ->
            r.benchmark().equals("OssTransfer.put") && r.provider().equals("plain")
                || r.benchmark().equals("OssMultipart.upload")
                    && r.params().get("link").equals("loopback")
                    && r.params().get("parallelism").equals("1"));

    List<Targets.Row> rows = Targets.evaluate(new Run("JDK 17", results));

    assertThat(target(rows, PUT_PLAIN).verdict()).isEqualTo(Targets.Verdict.NOT_MEASURED);
    assertThat(target(rows, PUT_PLAIN).measured()).isEqualTo("-");
    assertThat(target(rows, PUT_OFFICIAL).verdict()).isEqualTo(Targets.Verdict.PASS);
    assertThat(target(rows, MP_LOOPBACK).verdict()).isEqualTo(Targets.Verdict.NOT_MEASURED);
    assertThat(target(rows, MP_PACED).verdict()).isEqualTo(Targets.Verdict.PASS);
  }

  @Test
  void evaluate_multipartPairedRounds_givesItsOwnInFlightRow() {
    List<String> results = new ArrayList<>();
    for (String n : new String[] {"1", "2"}) {
      Map<String, String> params =
          Map.of("client", "OssCse", "parallelism", n, "link", "loopback", "size", "268435456");
      double[] ms = n.equals("1") ? new double[] {1500, 1450, 1400} : new double[] {1000, 990};
      results.add(JmhJson.result("dev.osscse.bench.oss.OssMultipart.pairedRounds", params, ms));
    }

    List<Targets.Row> rows =
        Targets.evaluate(
            new Run(
                "JDK 17",
                JmhResult.parse(new StringReader("[" + String.join(",", results) + "]"))));

    Targets.Row paired = target(rows, MP_LOOPBACK + ", paired rounds");
    assertThat(paired.value()).isCloseTo(1450 / 995.0, within(1e-12));
    assertThat(paired.verdict()).isEqualTo(Targets.Verdict.MISS);
    assertThat(
            new Case(
                    "OssMultipart.pairedRounds",
                    Map.of("link", "loopback", "parallelism", "2", "size", "268435456"))
                .label())
        .isEqualTo("Multipart upload 256 MiB, 2 parts in flight, loopback, paired rounds");
  }

  @Test
  void label_multipartWithLink_namesInFlightAndLink() {
    Map<String, String> params = Map.of("link", "100MBps", "parallelism", "2", "size", "268435456");
    assertThat(new Case("OssMultipart.upload", params).label())
        .isEqualTo("Multipart upload 256 MiB, 2 parts in flight, 100 MB/s per connection");
    assertThat(
            new Case(
                    "OssMultipart.upload",
                    Map.of("link", "loopback", "parallelism", "1", "size", "1048576"))
                .label())
        .isEqualTo("Multipart upload 1 MiB, 1 part in flight, loopback");
  }

  @Test
  void render_ossOnMainRunOnly_showsBindingTargetsAndNotRunInComparison() throws IOException {
    List<JmhResult> main = new ArrayList<>(cryptoOnly());
    main.addAll(load("oss-fixture.json"));
    Run mainRun = new Run("JDK 17", main);
    Run compare = new Run("JDK 25", cryptoOnly());

    String md =
        MarkdownReport.render(
            List.of(mainRun, compare), new RunInfo("d", "m", "c", "s", "", "", ""));

    assertThat(md)
        .contains(
            "| Encrypted PUT 256 MiB (OssCse vs plain) | >= 0.9x plain PUT rate |"
                + " 0.90x (1000.0 ms vs 900.0 ms) | pass | - | not run |")
        .contains(
            "| Encrypted GET 256 MiB (OssCse vs plain) | >= 0.9x plain GET rate |"
                + " 0.80x (500.0 ms vs 400.0 ms) | **miss** | - | not run |")
        .contains(
            "| Multipart 256 MiB, 2 in flight vs 1 (OssCse), loopback | >= 1.6x one in flight |"
                + " 1.50x (800.0 ms vs 1200.0 ms) | **miss** | - | not run |")
        .contains(
            "| Multipart upload 256 MiB, 2 parts in flight, 100 MB/s per connection |"
                + " 1500.0 ms (179 MB/s) | 1600.0 ms (168 MB/s) | 0.94x | 1.90x | 1.75x |")
        .contains(
            "| Multipart upload 256 MiB, 1 part in flight, loopback |"
                + " 1300.0 ms (206 MB/s) | 1200.0 ms (224 MB/s) | 1.08x | 1.00x | 1.00x |")
        .contains("\"MB/s per connection\" has the endpoint read every request body");
  }
}
