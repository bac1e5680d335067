package dev.osscse.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a JMH JSON result file ({@code -rf json}), reduced to what the report needs.
 *
 * @param benchmark simple class name and method, e.g. {@code AesCtrUpdate.outOfPlace}
 * @param params the benchmark parameters in file order, including {@code provider}
 * @param mode JMH mode: {@code avgt}, {@code ss}, {@code thrpt} or the sampling mode
 * @param unit the score unit, e.g. {@code ns/op}
 * @param score the JMH score (arithmetic mean over all measurement iterations of all forks)
 * @param error the half-width of the 99.9% confidence interval, NaN if too few samples
 * @param median the median over all measurement iterations of all forks
 * @param samples the number of measurement samples
 * @param allocNorm {@code gc.alloc.rate.norm} in bytes per operation, NaN without {@code -prof gc}
 * @param cpuNorm {@code cpu.time.norm}, the median process CPU time per operation in ns, NaN
 *     without the process CPU profiler ({@code dev.osscse.bench.oss.ProcessCpuProfiler})
 * @param jdkVersion the JDK version the fork ran on
 * @param vmVersion the VM version string
 */
public record JmhResult(
    String benchmark,
    Map<String, String> params,
    String mode,
    String unit,
    double score,
    double error,
    double median,
    int samples,
    double allocNorm,
    double cpuNorm,
    String jdkVersion,
    String vmVersion) {

  /** The secondary metric of the process CPU profiler. */
  static final String CPU_NORM = "cpu.time.norm";

  /** Copies the parameter map. */
  public JmhResult {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * Returns what the result compares: the {@code provider} parameter, else the {@code client}
   * parameter (OSS binding benchmarks), else the empty string.
   */
  public String provider() {
    return params.getOrDefault("provider", params.getOrDefault("client", ""));
  }

  /** Returns the parameters other than the compared one ({@code provider} or {@code client}). */
  public Map<String, String> caseParams() {
    Map<String, String> rest = new LinkedHashMap<>(params);
    if (rest.remove("provider") == null) {
      rest.remove("client");
    }
    return rest;
  }

  /** Returns true if a higher score is better (throughput modes). */
  public boolean higherIsBetter() {
    return mode.equals("thrpt");
  }

  /** Returns the median converted to nanoseconds per operation, NaN for throughput units. */
  public double medianNanos() {
    return toNanos(median, unit);
  }

  static double toNanos(double value, String unit) {
    return switch (unit) {
      case "ns/op" -> value;
      case "us/op" -> value * 1e3;
      case "ms/op" -> value * 1e6;
      case "s/op" -> value * 1e9;
      default -> Double.NaN;
    };
  }

  /**
   * Parses a JMH JSON result file.
   *
   * @throws IllegalArgumentException if the text is not a JMH JSON array of results
   */
  public static List<JmhResult> parse(Reader json) {
    JsonElement root;
    try {
      root = JsonParser.parseReader(json);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("JMH result is not valid JSON", e);
    }
    if (!root.isJsonArray()) {
      throw new IllegalArgumentException("JMH result must be a JSON array of benchmark results");
    }
    List<JmhResult> results = new ArrayList<>();
    for (JsonElement e : root.getAsJsonArray()) {
      results.add(fromJson(e.getAsJsonObject()));
    }
    return results;
  }

  private static JmhResult fromJson(JsonObject o) {
    String fqn = string(o, "benchmark");
    String[] parts = fqn.split("\\.", -1);
    String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : fqn;
    Map<String, String> params = new LinkedHashMap<>();
    if (o.has("params")) {
      for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
        params.put(p.getKey(), p.getValue().getAsString());
      }
    }
    JsonObject primary = object(o, "primaryMetric");
    double allocNorm = Double.NaN;
    double cpuNorm = Double.NaN;
    if (o.has("secondaryMetrics")) {
      JsonObject secondary = o.getAsJsonObject("secondaryMetrics");
      if (secondary.has("gc.alloc.rate.norm")) {
        allocNorm = median(secondary.getAsJsonObject("gc.alloc.rate.norm"));
      }
      if (secondary.has(CPU_NORM)) {
        JsonObject cpu = secondary.getAsJsonObject(CPU_NORM);
        cpuNorm = toNanos(median(cpu), string(cpu, "scoreUnit"));
      }
    }
    return new JmhResult(
        name,
        params,
        string(o, "mode"),
        string(primary, "scoreUnit"),
        number(primary.get("score")),
        number(primary.get("scoreError")),
        median(primary),
        sampleCount(primary),
        allocNorm,
        cpuNorm,
        o.has("jdkVersion") ? o.get("jdkVersion").getAsString() : "",
        o.has("vmVersion") ? o.get("vmVersion").getAsString() : "");
  }

  private static double median(JsonObject metric) {
    if (metric.has("scorePercentiles")) {
      JsonObject p = metric.getAsJsonObject("scorePercentiles");
      if (p.has("50.0")) {
        return number(p.get("50.0"));
      }
    }
    return number(metric.get("score"));
  }

  private static int sampleCount(JsonObject metric) {
    int n = 0;
    if (metric.has("rawData")) {
      for (JsonElement fork : metric.getAsJsonArray("rawData")) {
        JsonArray values = fork.getAsJsonArray();
        n += values.size();
      }
    }
    return n;
  }

  private static double number(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return Double.NaN;
    }
    // JMH writes NaN and infinities as strings.
    return Double.parseDouble(e.getAsString());
  }

  private static String string(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonPrimitive()) {
      throw new IllegalArgumentException("JMH result lacks the field " + field);
    }
    return e.getAsString();
  }

  private static JsonObject object(JsonObject o, String field) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonObject()) {
      throw new IllegalArgumentException("JMH result lacks the object " + field);
    }
    return e.getAsJsonObject();
  }
}
