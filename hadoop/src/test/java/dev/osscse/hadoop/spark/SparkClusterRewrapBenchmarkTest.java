package dev.osscse.hadoop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import dev.osscse.hadoop.LocalEndpoint;
import dev.osscse.hadoop.bulk.BulkJobs;
import dev.osscse.hadoop.bulk.BulkResult;
import dev.osscse.hadoop.bulk.BulkSettings;
import dev.osscse.hadoop.bulk.ExecutorShare;
import dev.osscse.keys.PemKeys;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.aliyun.OssCseClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: run with {@code -Dosscse.bench=true} (docs/benchmarks.md). The bulk rewrap
 * rate over 1 and then 2 executor processes ({@code local-cluster[N,1,1024]}, see {@link
 * ClusterSpark}): 1,000 objects of 4 KiB per round, 4 tasks per executor (what {@code
 * BulkJobs.main} runs by default), after one warm-up round on fresh executors; {@code
 * -Dosscse.bench.executors=2,1} changes the order. Prints each round's time and the CPU time of
 * this JVM (driver and endpoint) and of the executors, then a table; asserts only the counts and
 * that every executor did part of the work.
 */
@EnabledIfSystemProperty(named = "osscse.bench", matches = "true")
class SparkClusterRewrapBenchmarkTest {
  private static final int ROUNDS = Integer.getInteger("osscse.bench.rounds", 5);
  private static final int OBJECTS = Integer.getInteger("osscse.bench.objects", 1000);
  private static final String BUCKET = "clusterbench";

  private static String load() throws Exception {
    Path p = Path.of("/proc/loadavg");
    if (!Files.exists(p)) {
      return "?";
    }
    return Files.readString(p, StandardCharsets.US_ASCII).split(" ")[0];
  }

  /** CPU time of the given processes so far, in ns (0 before their ids are known). */
  private static long cpu(List<Long> pids) {
    long sum = 0;
    for (long pid : pids) {
      sum +=
          ProcessHandle.of(pid)
              .flatMap(h -> h.info().totalCpuDuration())
              .map(java.time.Duration::toNanos)
              .orElse(0L);
    }
    return sum;
  }

  /** CPU time of this JVM (the driver, the workers and the local endpoint), in ns. */
  private static long driverCpu() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Test
  void run() throws Exception {
    LocalEndpoint endpoint = LocalEndpoint.get();
    endpoint.server.createBucket(BUCKET);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    Path pub = endpoint.dir.resolve("clusterbench-new-public.pem");
    PemKeys.writePublicKey(pair.getPublic(), pub);
    OSS oss = endpoint.plainClient();
    OssCseClient writer =
        OssCseClient.builder(oss)
            .encryptWith(MasterKey.rsa(endpoint.keyPair, Map.of("purpose", "hadoop-tests")))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<String> lines = new ArrayList<>();
    try {
      for (String n : System.getProperty("osscse.bench.executors", "1,2").split(",")) {
        int executors = Integer.parseInt(n.trim());
        SparkSession spark = ClusterSpark.start(executors);
        try {
          Configuration h = spark.sparkContext().hadoopConfiguration();
          h.set(BulkSettings.NEW_RSA_PUBLIC_KEY_FILE, pub.toString());
          h.set(BulkSettings.NEW_MATDESC, "purpose=bench");
          int tasks = 4 * executors;
          long[] times = new long[ROUNDS + 1];
          long[] driverCpu = new long[ROUNDS + 1];
          long[] executorCpu = new long[ROUNDS + 1];
          List<Long> pids = new ArrayList<>();
          String loadBefore = load();
          for (int round = 0; round <= ROUNDS; round++) {
            String prefix = "rate" + executors + "/" + round + "/";
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < OBJECTS; i++) {
              String key = prefix + i;
              puts.add(pool.submit(() -> writer.putObject(BUCKET, key, new byte[4096], null)));
            }
            for (Future<?> f : puts) {
              f.get();
            }
            long c0 = cpu(pids);
            long d0 = driverCpu();
            long t0 = System.nanoTime();
            BulkResult res =
                BulkJobs.rewrap(spark, URI.create("osscse://" + BUCKET + "/" + prefix), tasks);
            times[round] = System.nanoTime() - t0;
            driverCpu[round] = driverCpu() - d0;
            executorCpu[round] = cpu(pids) - c0;
            if (pids.isEmpty()) {
              res.executors().forEach(x -> pids.add(x.pid()));
            }
            assertThat(res.failures()).isEmpty();
            assertThat(res.done()).isEqualTo(OBJECTS);
            assertThat(res.executors()).hasSize(executors);
            assertThat(res.executors()).allSatisfy(e -> assertThat(e.done()).isPositive());
            System.out.printf(
                Locale.ROOT,
                "round %d, %d executor(s): %d ms, CPU: driver and endpoint %d ms, executors %d"
                    + " ms %s%n",
                round,
                executors,
                times[round] / 1_000_000,
                driverCpu[round] / 1_000_000,
                executorCpu[round] / 1_000_000,
                res.executors().stream().map(ExecutorShare::toString).toList());
          }
          long[] timed = Arrays.copyOfRange(times, 1, times.length);
          long[] sorted = timed.clone();
          Arrays.sort(sorted);
          long median = sorted[sorted.length / 2];
          StringBuilder all = new StringBuilder();
          for (long t : timed) {
            all.append(all.length() == 0 ? "" : ", ").append(t / 1_000_000);
          }
          lines.add(
              String.format(
                  Locale.ROOT,
                  "| bulk rewrap, %,d objects of 4 KiB, %d executor JVM(s), %d tasks | warm-up %d"
                      + " ms; rounds %s ms | %d ms | %.0f objects/s | load %s to %s |",
                  OBJECTS,
                  executors,
                  tasks,
                  times[0] / 1_000_000,
                  all,
                  median / 1_000_000,
                  OBJECTS / (median / 1e9),
                  loadBefore,
                  load()));
        } finally {
          ClusterSpark.stop(spark);
        }
      }
    } finally {
      pool.shutdownNow();
      oss.shutdown();
    }
    System.out.println("| measurement | times | median | rate | load average (1 min) |");
    System.out.println("|---|---|---|---|---|");
    lines.forEach(System.out::println);
  }
}
