package dev.osscse.bench.oss;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the CPU time of the whole benchmark JVM process per operation: every
 * thread of it, the benchmark's, the HTTP client's, the garbage collector's and the JIT compiler's.
 *
 * <pre>
 * java -jar benchmarks.jar -prof dev.osscse.bench.oss.ProcessCpuProfiler OssClientCost
 * </pre>
 *
 * <p>{@code cpu.time.norm} (ns/op) is the sum over the process's threads of the scheduler's run
 * time ({@code /proc/self/task/<tid>/schedstat}, first field, in nanoseconds) over each iteration,
 * divided by the operations the iteration measured. {@code getProcessCpuTime()} of the JDK's {@code
 * OperatingSystemMXBean}, which this profiler used before, counts in clock ticks on Linux (10 ms
 * steps here, 4% of a 256 MiB PUT); it is reported beside as {@code cpu.process.norm}, a
 * cross-check. The scheduler's figure of a thread that is running when it is read lags by at most
 * one timer tick (4 ms here); at the iteration boundaries the benchmark's threads are idle. A
 * thread that exits during an iteration takes its CPU time since the iteration began with it:
 * {@code cpu.threads.exited} counts such threads (0 when the figure is complete).
 *
 * <p>Breakdown, in ns/op: {@code cpu.gc.norm} (the garbage collector's threads), {@code
 * cpu.jit.norm} (the JIT compilers'), and {@code cpu.sys.norm} (kernel time of the process, from
 * {@code /proc/self/stat}, in 10 ms ticks: coarse).
 *
 * <p>Meant for benchmarks whose other side runs in another process ({@link ExternalEndpoint}), so
 * that the figure is the client's own cost. Trial-level setup and teardown run inside the first
 * warm-up and the last measurement iteration in JMH, so the last iteration also counts the
 * teardown; the report takes the median over iterations. Without {@code /proc} (not Linux) only
 * {@code cpu.time.norm} from {@code getProcessCpuTime()} is reported.
 */
public final class ProcessCpuProfiler implements InternalProfiler {
  /** The label of the process CPU metric in JMH's results. */
  public static final String METRIC = "cpu.time.norm";

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final Path STAT = Path.of("/proc/self/stat");
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final boolean proc = Files.isDirectory(TASKS);
  private long processStart;
  private long sysStart;
  private Map<String, Long> threadsStart = Map.of();

  @Override
  public String getDescription() {
    return "CPU time of the whole benchmark JVM process per operation, in ns";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    if (proc) {
      sysStart = systemTicks();
      threadsStart = threads(null);
    }
    processStart = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long process = os.getProcessCpuTime() - processStart;
    long ops = result.getMetadata().getMeasuredOps();
    if (processStart < 0 || ops <= 0) {
      return List.of();
    }
    if (!proc) {
      return List.of(norm(METRIC, process, ops));
    }
    Map<String, String> names = new HashMap<>();
    Map<String, Long> end = threads(names);
    long sys = (systemTicks() - sysStart) * NANOS_PER_TICK;
    long total = 0;
    long gc = 0;
    long jit = 0;
    for (Map.Entry<String, Long> t : end.entrySet()) {
      long delta = t.getValue() - threadsStart.getOrDefault(t.getKey(), 0L);
      total += delta;
      String name = names.getOrDefault(t.getKey(), "");
      if (isGc(name)) {
        gc += delta;
      } else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
        jit += delta;
      }
    }
    int exited = 0;
    for (String tid : threadsStart.keySet()) {
      if (!end.containsKey(tid)) {
        exited++;
      }
    }
    List<Result> out = new ArrayList<>();
    out.add(norm(METRIC, total, ops));
    out.add(norm("cpu.process.norm", process, ops));
    out.add(norm("cpu.gc.norm", gc, ops));
    out.add(norm("cpu.jit.norm", jit, ops));
    out.add(norm("cpu.sys.norm", sys, ops));
    out.add(new ScalarResult("cpu.threads.exited", exited, "threads", AggregationPolicy.SUM));
    return out;
  }

  /**
   * The run time in ns of every live thread of this process, by thread id ({@code /proc}, Linux).
   */
  static Map<String, Long> threadTimes() {
    return threads(null);
  }

  /**
   * The CPU time in ns the process spent between two {@link #threadTimes()} snapshots: what threads
   * alive at {@code end} ran since {@code start} (or since they began).
   */
  static long between(Map<String, Long> start, Map<String, Long> end) {
    long total = 0;
    for (Map.Entry<String, Long> t : end.entrySet()) {
      total += t.getValue() - start.getOrDefault(t.getKey(), 0L);
    }
    return total;
  }

  private static ScalarResult norm(String label, long nanos, long ops) {
    return new ScalarResult(label, (double) nanos / ops, "ns/op", AggregationPolicy.AVG);
  }

  /** GC worker and concurrent threads of the JDK's collectors, by their native thread names. */
  private static boolean isGc(String name) {
    return name.startsWith("GC Thread")
        || name.startsWith("G1 ")
        || name.startsWith("ZGC")
        || name.startsWith("ZWorker")
        || name.startsWith("Shenandoah")
        || name.startsWith("ParGC")
        || name.startsWith("PSYoung");
  }

  /**
   * The run time in ns of every live thread of this process, by thread id; fills {@code names} with
   * their native names when given.
   */
  private static Map<String, Long> threads(Map<String, String> names) {
    Map<String, Long> out = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          String schedstat = Files.readString(task.resolve("schedstat"));
          int space = schedstat.indexOf(' ');
          out.put(task.getFileName().toString(), Long.parseLong(schedstat.substring(0, space)));
          if (names != null) {
            names.put(task.getFileName().toString(), Files.readString(task.resolve("comm")).trim());
          }
        } catch (NoSuchFileException exited) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + TASKS, e);
    }
    return out;
  }

  /** Kernel time of the process in clock ticks: field 15 (stime) of /proc/self/stat. */
  private static long systemTicks() {
    try {
      String stat = Files.readString(STAT);
      // The command name (field 2) is in parentheses and may hold spaces: count after its end.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[12]); // field 15 of the line is the 13th after the name
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + STAT, e);
    }
  }
}
