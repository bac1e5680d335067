package dev.osscse.bench.oss;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the process CPU time of the benchmark JVM per operation: {@code
 * cpu.time.norm} in ns/op, the delta of {@code
 * com.sun.management.OperatingSystemMXBean.getProcessCpuTime()} over each iteration divided by the
 * operations the iteration measured. All threads count: the benchmark's, the HTTP client's, the
 * garbage collector's and the JIT compiler's.
 *
 * <pre>
 * java -jar benchmarks.jar -prof dev.osscse.bench.oss.ProcessCpuProfiler OssClientCost
 * </pre>
 *
 * <p>Meant for benchmarks whose other side runs in another process ({@link ExternalEndpoint}), so
 * that the figure is the client's own cost. Iteration-level setup, if a benchmark had any, would be
 * counted too; the benchmarks it is used with set up per trial only.
 */
public final class ProcessCpuProfiler implements InternalProfiler {
  /** The label of the secondary metric in JMH's results. */
  public static final String METRIC = "cpu.time.norm";

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long start;

  @Override
  public String getDescription() {
    return "process CPU time of the benchmark JVM per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    start = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - start;
    long ops = result.getMetadata().getMeasuredOps();
    if (start < 0 || ops <= 0) {
      return List.of();
    }
    return List.of(new ScalarResult(METRIC, (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
  }
}
