package dev.osscse.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportTest {
  private static List<JmhResult> fixture() throws IOException {
    try (InputStream in = ReportTest.class.getResourceAsStream("fixture.json");
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return JmhResult.parse(reader);
    }
  }

  private static Targets.Row target(List<Targets.Row> rows, String name) {
    return rows.stream().filter(r -> r.target().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void parse_jmhJson_readsMedianParamsAllocationAndNanError() throws IOException {
    List<JmhResult> results = fixture();

    assertThat(results).hasSize(16);
    JmhResult first = results.get(0);
    assertThat(first.benchmark()).isEqualTo("AesCtrUpdate.outOfPlace");
    assertThat(first.params())
        .containsExactly(Map.entry("provider", "OssCse"), Map.entry("size", "16384"));
    assertThat(first.median()).isEqualTo(4000.0);
    assertThat(first.allocNorm()).isEqualTo(0.001);
    assertThat(first.samples()).isEqualTo(3);
    JmhResult fresh = results.get(7);
    assertThat(fresh.error()).isNaN();
    assertThat(fresh.allocNorm()).isNaN();
    assertThat(fresh.medianNanos()).isEqualTo(30e6);
  }

  @Test
  void parse_notAnArray_isRejectedWithMessage() {
    assertThatThrownBy(() -> JmhResult.parse(new StringReader("{\"benchmark\":\"x\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON array");
  }

  @Test
  void evaluate_fixture_givesPassAndMissPerTarget() throws IOException {
    List<Targets.Row> rows = Targets.evaluate(new Run("JDK 17", fixture()));

    Targets.Row bulk16k = target(rows, "CTR out of place, 16 KiB");
    assertThat(bulk16k.value()).isCloseTo(1.024, within(1e-9));
    assertThat(bulk16k.verdict()).isEqualTo(Targets.Verdict.PASS);
    Targets.Row bulk1m = target(rows, "CTR out of place, 1 MiB");
    assertThat(bulk1m.value()).isCloseTo((1048576 / 300000.0) / 4.0, within(1e-9));
    assertThat(bulk1m.verdict()).isEqualTo(Targets.Verdict.MISS);
    assertThat(target(rows, "CTR in place, 16 KiB").value()).isEqualTo(2.0);
    assertThat(target(rows, "CTR in place, 16 KiB").verdict()).isEqualTo(Targets.Verdict.PASS);
    assertThat(target(rows, "One 64 MiB call, fresh JVM").value()).isEqualTo(10.0);
    assertThat(target(rows, "One 64 MiB call, fresh JVM").verdict())
        .isEqualTo(Targets.Verdict.MISS);
    assertThat(target(rows, "CTR out of place, 64 B calls").verdict())
        .isEqualTo(Targets.Verdict.NOT_MEASURED);
    assertThat(target(rows, "Allocation, CTR update, out of place, 1 MiB").verdict())
        .isEqualTo(Targets.Verdict.PASS);
  }

  @Test
  void allocationLimit_smallAndLargeCalls_isOneByteOrTenThousandth() {
    assertThat(Targets.allocationLimit(64)).isEqualTo(1.0);
    assertThat(Targets.allocationLimit(64L << 20)).isCloseTo(6710.8864, within(1e-9));
  }

  @Test
  void run_fixture_writesMarkdownTableAndWellFormedSvg(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("r.json");
    try (InputStream in = ReportTest.class.getResourceAsStream("fixture.json")) {
      Files.copy(in, json);
    }
    Path md = dir.resolve("benchmarks.md");
    Path svg = dir.resolve("benchmarks.svg");

    Report.run(
        new String[] {
          "--run", "JDK 17=" + json,
          "--run", "JDK 25=" + json,
          "--md", md.toString(),
          "--svg", svg.toString(),
          "--svg-link", "benchmarks.svg",
          "--date", "2026-01-01",
          "--machine", "test <machine>",
          "--command", "benchmarks/run.sh",
          "--settings", "-f 1"
        });

    String text = Files.readString(md);
    assertThat(text)
        .contains("| CTR update, in place, 16 KiB | 4.00 us")
        .contains("| 2.00x | 0.13x |")
        .contains(
            "| One 64 MiB call, fresh JVM | >= 20x SunJCE | 10.00x (30.0 ms vs 300.0 ms) | **miss** |")
        .contains(
            "| GET 256 MiB | 500.0 ms (537 MB/s) | 2000.0 ms (134 MB/s) | 550.0 ms (488 MB/s) | 3.64x | 1.10x |")
        .contains(
            "| Multipart upload 256 MiB, 2 parts in flight | 2500.0 ms (107 MB/s) | 1000.0 ms (268 MB/s) | 2.50x | 0.80x | 2.00x |")
        .contains("## Across JDKs")
        .contains("![CTR throughput and speed-ups over SunJCE](benchmarks.svg)");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = factory.newDocumentBuilder().parse(svg.toFile());
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(doc.getElementsByTagName("rect").getLength()).isGreaterThan(10);
  }

  @Test
  void run_missingFile_isRejectedNamingThePath(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> Report.run(new String[] {"--run", "JDK 17=" + missing}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.json");
  }

  @Test
  void keptSection_handRunHadoopSection_survivesRegeneration(@TempDir Path dir) throws IOException {
    Path md = dir.resolve("benchmarks.md");
    assertThat(Report.keptSection(md)).isEmpty();
    Files.writeString(md, "# Benchmarks\n\n## Results\n\nold\n", StandardCharsets.UTF_8);
    assertThat(Report.keptSection(md)).isEmpty();
    Files.writeString(
        md,
        "# Benchmarks\n\n## Results\n\nold\n\n## Hadoop and Spark\n\n| a | b |\n\n",
        StandardCharsets.UTF_8);
    assertThat(Report.keptSection(md)).isEqualTo("\n## Hadoop and Spark\n\n| a | b |\n");
  }
}
