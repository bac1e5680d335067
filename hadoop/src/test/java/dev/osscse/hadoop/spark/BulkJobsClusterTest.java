package dev.osscse.hadoop.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.hadoop.bulk.BulkJobs;
import dev.osscse.hadoop.bulk.BulkResult;
import dev.osscse.hadoop.bulk.ExecutorShare;
import dev.osscse.oss.aliyun.OssCseClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rewrap job over two executor processes ({@code local-cluster[2,1,1024]}, see {@link
 * ClusterSpark}) against the local endpoint in this JVM: the work is split between two executor
 * JVMs other than this one, every object ends up under the new key and readable, counts add up.
 */
class BulkJobsClusterTest {
  private static final String BUCKET = "cluster";
  private static final int SMALL = 100;
  private static final int LARGE_SIZE = (3 << 20) + 5;

  private static SparkSession spark;
  private static RewrapBed bed;

  @BeforeAll
  static void start() throws Exception {
    spark = ClusterSpark.start(2);
    bed = new RewrapBed(spark, BUCKET, "cluster-new-");
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
    if (spark != null) {
      ClusterSpark.stop(spark);
    }
  }

  private static byte[] content(String key) {
    Random r = new Random(key.hashCode());
    byte[] b = new byte[key.contains("/large") ? LARGE_SIZE : 100 + r.nextInt(4000)];
    r.nextBytes(b);
    return b;
  }

  /**
   * A process's arguments: from {@code /proc} where it exists ({@code ProcessHandle.Info} cuts the
   * command line at 4 KiB, before the executor's class name).
   */
  private static String commandLine(long pid) throws Exception {
    Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
    if (Files.exists(proc)) {
      return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
    }
    return ProcessHandle.of(pid).orElseThrow().info().commandLine().orElse("");
  }

  @Test
  void rewrap_overTwoExecutorProcesses_everyObjectUnderTheNewKey() throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < SMALL; i++) {
      keys.add(String.format("rot/small/%04d", i));
    }
    keys.add("rot/large/0");
    long tw = System.nanoTime();
    bed.forEach(keys, k -> bed.oldKeyClient.putObject(BUCKET, k, content(k), null));
    System.out.printf("writes: %d ms%n", (System.nanoTime() - tw) / 1_000_000);
    URI prefix = URI.create("osscse://" + BUCKET + "/rot/");

    long t0 = System.nanoTime();
    BulkResult first = BulkJobs.rewrap(spark, prefix, 4);
    System.out.printf(
        "cluster rewrap %d objects: %d ms, %s%n",
        keys.size(), (System.nanoTime() - t0) / 1_000_000, first.executors());

    assertThat(first.failures()).isEmpty();
    assertThat(first.done()).isEqualTo(SMALL + 1);
    assertThat(first.skipped()).isZero();
    List<ExecutorShare> shares = first.executors();
    assertThat(shares).hasSize(2);
    assertThat(shares).extracting(ExecutorShare::executorId).doesNotHaveDuplicates();
    assertThat(shares).extracting(ExecutorShare::executorId).doesNotContain("driver");
    assertThat(shares)
        .extracting(ExecutorShare::pid)
        .doesNotHaveDuplicates()
        .doesNotContain(ProcessHandle.current().pid());
    assertThat(shares).allSatisfy(s -> assertThat(s.done()).isPositive());
    assertThat(shares.stream().mapToLong(ExecutorShare::done).sum()).isEqualTo(SMALL + 1);
    for (ExecutorShare s : shares) {
      // a live process of its own, started as a Spark executor
      assertThat(ProcessHandle.of(s.pid())).as("executor process").isPresent();
      assertThat(commandLine(s.pid()))
          .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")
          .contains("--executor-id " + s.executorId());
    }

    OssCseClient fresh = bed.newKeyOnly();
    bed.forEach(keys, k -> assertThat(bed.read(fresh, k)).as(k).isEqualTo(content(k)));
    assertThatThrownBy(() -> bed.read(bed.oldKeyClient, "rot/small/0007"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("unwrap failed");

    long tr = System.nanoTime();
    BulkResult again = BulkJobs.rewrap(spark, prefix, 4);
    System.out.printf("rerun: %d ms%n", (System.nanoTime() - tr) / 1_000_000);
    assertThat(again.done()).isZero();
    assertThat(again.failed()).isZero();
    assertThat(again.skipped()).isEqualTo(SMALL + 1);
    assertThat(again.executors()).hasSize(2);
  }
}
