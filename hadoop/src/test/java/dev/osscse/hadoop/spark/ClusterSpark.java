package dev.osscse.hadoop.spark;

import dev.osscse.hadoop.LocalEndpoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark session on {@code local-cluster[N,1,1024]}: a standalone master and N workers in this
 * JVM, each worker launching one executor as a separate JVM ({@code CoarseGrainedExecutorBackend},
 * one core), the way a standalone cluster does, without a Spark distribution.
 *
 * <p>The worker builds the executor's command with Spark's launcher ({@code WorkerCommandBuilder}):
 * it needs a Spark home ({@code SPARK_HOME}) with a {@code jars/} directory, and a Scala version
 * ({@code SPARK_SCALA_VERSION}); the {@code spark-cluster} Surefire execution of hadoop/pom.xml
 * sets both, with the home under {@code target/}. The home here is a stand-in: its {@code jars/} is
 * empty and the executors get this JVM's class path, in order, through {@code
 * spark.executor.extraClassPath}, with the {@code --add-opens} flags of this JVM's command line
 * through {@code spark.executor.extraJavaOptions}.
 */
final class ClusterSpark {
  private ClusterSpark() {}

  /** Starts the session and waits until all {@code executors} have registered. */
  static SparkSession start(int executors) throws IOException, InterruptedException {
    String home = System.getenv("SPARK_HOME");
    if (home == null || home.isEmpty() || System.getenv("SPARK_SCALA_VERSION") == null) {
      throw new IllegalStateException(
          "SPARK_HOME and SPARK_SCALA_VERSION are not set: run this test through the"
              + " spark-cluster Surefire execution of hadoop/pom.xml");
    }
    Files.createDirectories(Path.of(home, "jars"));
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isEmpty()) {
      classPath = System.getProperty("java.class.path");
    }
    List<String> javaOptions = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")
          || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Djdk.reflect.useDirectMethodHandle")
          || a.startsWith("-Dio.netty.tryReflectionSetAccessible")) {
        javaOptions.add(a);
      }
    }
    Configuration conf = new Configuration(false);
    LocalEndpoint.get().applyTo(conf);
    SparkSession.Builder b =
        SparkSession.builder()
            .master("local-cluster[" + executors + ",1,1024]")
            .appName("osscse-cluster-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.memory", "1g")
            .config("spark.executor.extraClassPath", classPath)
            .config("spark.executor.extraJavaOptions", String.join(" ", javaOptions));
    for (Map.Entry<String, String> e : conf) {
      b.config("spark.hadoop." + e.getKey(), e.getValue());
    }
    long t0 = System.nanoTime();
    SparkSession session = b.getOrCreate();
    long deadline = System.nanoTime() + 120_000_000_000L;
    // the driver is listed too
    while (session.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
      if (System.nanoTime() > deadline) {
        session.stop();
        throw new IllegalStateException(
            executors + " executors did not register within 120 s; see the worker logs");
      }
      Thread.sleep(100);
    }
    System.out.printf(
        "local-cluster with %d executors up in %d ms%n",
        executors, (System.nanoTime() - t0) / 1_000_000);
    return session;
  }

  /** Stops the session and forgets it, so that the next {@link #start} builds a new one. */
  static void stop(SparkSession session) {
    session.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
