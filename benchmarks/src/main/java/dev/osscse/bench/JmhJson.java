package dev.osscse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JMH-style JSON result records for the plain {@code java} measurements ({@code ColdStart}, {@code
 * PairedRandomRead}), so the report reads them as it reads JMH's own files.
 */
public final class JmhJson {
  private JmhJson() {}

  /**
   * One single-shot result in ms/op: score the mean, the 50th percentile the median, one sample per
   * value.
   *
   * @param benchmark the fully qualified benchmark name, {@code package.Class.method}
   * @param params the parameters, {@code provider} among them
   * @param millis the measured values in milliseconds, at least one
   */
  public static String result(String benchmark, Map<String, String> params, double[] millis) {
    double[] v = millis.clone();
    Arrays.sort(v);
    double mean = Arrays.stream(v).average().orElse(Double.NaN);
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    StringBuilder p = new StringBuilder();
    StringBuilder raw = new StringBuilder();
    params.forEach(
        (k, val) ->
            p.append(p.length() == 0 ? "" : ",").append(quote(k)).append(':').append(quote(val)));
    for (double d : millis) {
      raw.append(raw.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", d));
    }
    return String.format(
        Locale.ROOT,
        "{\"jmhVersion\":\"1.37\",\"benchmark\":\"%s\",\"mode\":\"ss\","
            + "\"threads\":1,\"forks\":%d,\"jdkVersion\":\"%s\",\"vmVersion\":\"%s\","
            + "\"params\":{%s},\"primaryMetric\":{\"score\":%.3f,"
            + "\"scoreError\":\"NaN\",\"scorePercentiles\":{\"0.0\":%.3f,\"50.0\":%.3f,"
            + "\"100.0\":%.3f},\"scoreUnit\":\"ms/op\",\"rawData\":[[%s]]},"
            + "\"secondaryMetrics\":{}}",
        benchmark,
        v.length,
        System.getProperty("java.version"),
        System.getProperty("java.vm.version"),
        p,
        mean,
        v[0],
        median,
        v[v.length - 1],
        raw);
  }

  /** Writes results from {@link #result} as one JSON array, the form of JMH's own files. */
  public static void write(Path out, List<String> results) throws IOException {
    Files.writeString(out, "[\n" + String.join(",\n", results) + "\n]\n", StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
