package dev.osscse.oss.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the envelope codec and the range parser with {@link StructuredGarbage}
 * (docs/reliability.md section 4). The normal build runs a few seconds' worth; {@code -Pfuzz} sets
 * {@code osscse.fuzz.iterations} for a long run. A failure names the seed and iteration, so it
 * replays exactly.
 */
class SeededGarbageFuzzTest {
  private static final long SEED = Long.getLong("osscse.fuzz.seed", 0xF022L);
  private static final int ITERATIONS = Integer.getInteger("osscse.fuzz.iterations", 20_000);

  @Test
  void envelopeCodec_structuredGarbage_onlyEnvelopeExceptionEscapes() {
    StructuredGarbage g = new StructuredGarbage(SEED);
    FuzzTargets.Stats stats = new FuzzTargets.Stats();
    for (int i = 0; i < ITERATIONS; i++) {
      Map<String, String> m = g.metadata();
      try {
        FuzzTargets.envelope(m, stats);
        Map<String, String> headers = new LinkedHashMap<>();
        String prefix = i % 2 == 0 ? "x-oss-meta-" : "X-OSS-META-";
        m.forEach((k, v) -> headers.put(prefix + k, v));
        FuzzTargets.headers(headers, stats);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("seed " + SEED + " iteration " + i + " input " + keys(m), e);
      }
    }
    System.out.println("fuzz envelope: iterations=" + ITERATIONS + " " + stats);
    assertThat(stats.accepted).isPositive();
    assertThat(stats.refused).isPositive();
  }

  @Test
  void rangeParser_structuredGarbage_onlyInvalidByteRangeExceptionEscapes() {
    StructuredGarbage g = new StructuredGarbage(SEED + 1);
    FuzzTargets.Stats stats = new FuzzTargets.Stats();
    for (int i = 0; i < ITERATIONS * 5; i++) {
      String r = g.range();
      try {
        FuzzTargets.range(r, stats);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("seed " + SEED + " iteration " + i + " input '" + r + "'", e);
      }
    }
    System.out.println("fuzz range: iterations=" + ITERATIONS * 5 + " " + stats);
    assertThat(stats.accepted).isPositive();
    assertThat(stats.refused).isPositive();
  }

  private static String keys(Map<String, String> m) {
    StringBuilder sb = new StringBuilder("{");
    m.forEach(
        (k, v) ->
            sb.append(k)
                .append('=')
                .append(v.length() > 80 ? v.substring(0, 80) + "...(" + v.length() + ")" : v)
                .append(", "));
    return sb.append('}').toString();
  }
}
