package dev.osscse.bench.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates {@code docs/benchmarks.md} and {@code docs/benchmarks.svg} from JMH JSON results.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.osscse.bench.report.Report \
 *   --run "JDK 17=results/a.json,results/b.json" [--run "JDK 25=results/c.json"] \
 *   --md docs/benchmarks.md --svg docs/benchmarks.svg --svg-link benchmarks.svg \
 *   --date ... [--chart-date ...] --machine ... --command ... --settings ... [--notes ...] \
 *   [--extra extra.md]
 * </pre>
 *
 * <p>The first {@code --run} is the main one; later ones become comparison columns. {@code
 * --chart-date} is the date in the figure's title (default: {@code --date}).
 */
public final class Report {
  private Report() {}

  /** Command-line entry point; exits with status 2 on a usage error. */
  public static void main(String[] args) throws IOException {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("report: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * Parses the arguments, reads the results and writes the outputs.
   *
   * @throws IllegalArgumentException on a usage error or unreadable results
   */
  public static void run(String[] args) throws IOException {
    Map<String, String> single = new LinkedHashMap<>();
    List<String> runSpecs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got " + name);
      }
      String value = args[++i];
      if (name.equals("--run")) {
        runSpecs.add(value);
      } else {
        single.put(name.substring(2), value);
      }
    }
    if (runSpecs.isEmpty()) {
      throw new IllegalArgumentException(
          "at least one --run LABEL=file.json[,file.json] is needed");
    }
    List<Run> runs = new ArrayList<>();
    for (String spec : runSpecs) {
      runs.add(readRun(spec));
    }
    String extra = "";
    if (single.containsKey("extra")) {
      extra = Files.readString(Path.of(single.get("extra")), StandardCharsets.UTF_8);
    }
    RunInfo info =
        new RunInfo(
            single.getOrDefault("date", ""),
            single.getOrDefault("machine", ""),
            single.getOrDefault("command", ""),
            single.getOrDefault("settings", ""),
            single.getOrDefault("notes", ""),
            single.containsKey("svg") ? single.getOrDefault("svg-link", single.get("svg")) : "",
            extra);
    if (single.containsKey("md")) {
      Path md = Path.of(single.get("md"));
      write(md, MarkdownReport.render(runs, info) + keptSection(md));
    }
    if (single.containsKey("svg")) {
      Run main = runs.get(0);
      write(
          Path.of(single.get("svg")),
          SvgChart.render(
              main,
              "oss-cse benchmarks, "
                  + main.label()
                  + ", "
                  + single.getOrDefault("chart-date", info.date())));
    }
  }

  /** Reads one {@code LABEL=file[,file...]} run specification. */
  static Run readRun(String spec) throws IOException {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException("--run must be LABEL=file.json[,file.json], got " + spec);
    }
    List<JmhResult> results = new ArrayList<>();
    for (String file : spec.substring(eq + 1).split(",", -1)) {
      Path path = Path.of(file.strip());
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException("JMH result file not found: " + path);
      }
      try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        results.addAll(JmhResult.parse(in));
      }
    }
    return new Run(spec.substring(0, eq).strip(), results);
  }

  /** Heading of the hand-run section (hadoop/ SparkReadBenchmarkTest) a regeneration keeps. */
  static final String KEPT_HEADING = "## Hadoop and Spark";

  /** The hand-run Hadoop and Spark section of the existing page, to append unchanged; or "". */
  static String keptSection(Path md) throws IOException {
    if (!Files.isRegularFile(md)) {
      return "";
    }
    String old = Files.readString(md, StandardCharsets.UTF_8);
    int at = old.indexOf("\n" + KEPT_HEADING + "\n");
    return at < 0 ? "" : "\n" + old.substring(at + 1).stripTrailing() + "\n";
  }

  private static void write(Path path, String content) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(path, content, StandardCharsets.UTF_8);
  }
}
