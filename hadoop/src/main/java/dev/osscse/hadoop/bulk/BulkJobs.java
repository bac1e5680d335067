package dev.osscse.hadoop.bulk;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.ListObjectsV2Request;
import com.aliyun.oss.model.ListObjectsV2Result;
import com.aliyun.oss.model.OSSObjectSummary;
import dev.osscse.hadoop.OssCseFsSettings;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The bulk jobs on Spark: {@code rewrap} every object under a prefix to a new master key, and
 * {@code encrypt} every plaintext object under a prefix (to another prefix, or in place).
 *
 * <p><b>What it is.</b> The driver lists the prefix (one flat listing) and spreads the keys over
 * {@code partitions} tasks; each task builds its own OSS client and keys from the {@code
 * fs.osscse.*} settings of the Spark Hadoop configuration and runs {@link RewrapWorker} or {@link
 * EncryptWorker} on its keys. Each task returns its counts and its failures only, with the id, host
 * and process id of the executor that ran it ({@link BulkResult#executors()}).
 *
 * <p><b>Security guarantees.</b> Idempotent and restartable: a finished object is skipped on the
 * next run; no step leaves an object in plaintext that should be encrypted, or unreadable (see the
 * workers). The {@code fs.osscse.*} settings travel to executors in a broadcast, as Spark's own
 * Hadoop configuration does for every file scan: key files are named by path (ship them with {@code
 * --files}); prefer a credential provider or executor environment for the access key secret.
 *
 * <p><b>Restrictions / failure behaviour.</b> Objects are looked at once per run; a failed object
 * is counted and named in {@link BulkResult#failures()}, and a second run retries it.
 *
 * <pre>{@code
 * spark-submit --class dev.osscse.hadoop.bulk.BulkJobs --jars oss-cse-hadoop-all.jar \
 *   --conf spark.hadoop.fs.osscse.endpoint=... rewrap osscse://bucket/prefix/ 64
 * }</pre>
 */
public final class BulkJobs {
  private static final int MAX_FAILURES = 100;

  private BulkJobs() {}

  /** Rewraps every object under {@code prefix} ({@code osscse://bucket/prefix}). */
  public static BulkResult rewrap(SparkSession spark, URI prefix, int partitions)
      throws IOException {
    String bucket = prefix.getHost();
    String from = keyPrefix(prefix);
    return run(
        spark,
        bucket,
        from,
        null,
        partitions,
        (conf, keys) -> {
          List<ObjectOutcome> out = new ArrayList<>();
          try (RewrapWorker w = new RewrapWorker(conf, bucket)) {
            while (keys.hasNext()) {
              out.add(w.process(keys.next()));
            }
          }
          return out;
        });
  }

  /**
   * Encrypts every plaintext object under {@code source} into {@code target} (same bucket), or in
   * place when {@code target} is null.
   */
  public static BulkResult encrypt(SparkSession spark, URI source, URI target, int partitions)
      throws IOException {
    String bucket = source.getHost();
    String from = keyPrefix(source);
    String to = target == null ? null : keyPrefix(target);
    if (target != null && !bucket.equals(target.getHost())) {
      throw new IllegalArgumentException("source and target must be in the same bucket");
    }
    if (to != null && (to.startsWith(from) || from.startsWith(to))) {
      throw new IllegalArgumentException("source and target prefixes must not contain each other");
    }
    String staging =
        spark
            .sparkContext()
            .hadoopConfiguration()
            .getTrimmed(BulkSettings.STAGING_PREFIX, EncryptWorker.DEFAULT_STAGING);
    return run(
        spark,
        bucket,
        from,
        to == null ? staging : null,
        partitions,
        (conf, keys) -> {
          List<ObjectOutcome> out = new ArrayList<>();
          try (EncryptWorker w = new EncryptWorker(conf, bucket, from, to)) {
            while (keys.hasNext()) {
              out.add(w.process(keys.next()));
            }
          }
          return out;
        });
  }

  /** The per-partition work of a job. */
  @FunctionalInterface
  interface PartitionWork extends java.io.Serializable {
    List<ObjectOutcome> apply(Configuration conf, Iterator<String> keys) throws Exception;
  }

  private static String keyPrefix(URI uri) {
    if (!"osscse".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("expected osscse://bucket/prefix, got " + uri);
    }
    String p = uri.getPath() == null ? "" : uri.getPath();
    return p.startsWith("/") ? p.substring(1) : p;
  }

  private static BulkResult run(
      SparkSession spark,
      String bucket,
      String prefix,
      String excluded,
      int partitions,
      PartitionWork work)
      throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    HashMap<String, String> settings = new HashMap<>();
    for (Map.Entry<String, String> e :
        hadoop.getPropsWithPrefix(OssCseFsSettings.PREFIX).entrySet()) {
      settings.put(OssCseFsSettings.PREFIX + e.getKey(), e.getValue());
    }
    List<String> keys = listKeys(OssCseFsSettings.from(hadoop), bucket, prefix, excluded);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<HashMap<String, String>> conf = jsc.broadcast(settings);
    int slices = Math.max(1, Math.min(partitions, Math.max(1, keys.size())));
    List<PartitionReport> reports =
        jsc.parallelize(keys, slices)
            .mapPartitions(
                it -> {
                  Configuration c = new Configuration(false);
                  conf.value().forEach(c::set);
                  long[] n = new long[3];
                  List<ObjectOutcome> failures = new ArrayList<>();
                  for (ObjectOutcome o : work.apply(c, it)) {
                    n[o.kind().ordinal()]++;
                    if (o.kind() == ObjectOutcome.Kind.FAILED && failures.size() < MAX_FAILURES) {
                      failures.add(o);
                    }
                  }
                  SparkEnv env = SparkEnv.get();
                  ExecutorShare share =
                      new ExecutorShare(
                          env.executorId(),
                          env.blockManager().blockManagerId().host(),
                          ProcessHandle.current().pid(),
                          n[0],
                          n[1],
                          n[2]);
                  return List.of(new PartitionReport(share, failures)).iterator();
                })
            .collect();
    long done = 0;
    long skipped = 0;
    long failed = 0;
    List<ObjectOutcome> failures = new ArrayList<>();
    TreeMap<String, ExecutorShare> shares = new TreeMap<>();
    for (PartitionReport r : reports) {
      ExecutorShare s = r.share();
      done += s.done();
      skipped += s.skipped();
      failed += s.failed();
      shares.merge(s.executorId() + "/" + s.pid(), s, ExecutorShare::plus);
      for (ObjectOutcome f : r.failures()) {
        if (failures.size() < MAX_FAILURES) {
          failures.add(f);
        }
      }
    }
    return new BulkResult(
        done, skipped, failed, List.copyOf(failures), List.copyOf(shares.values()));
  }

  /** What one task sends back: its executor and counts, and at most 100 failures. */
  record PartitionReport(ExecutorShare share, List<ObjectOutcome> failures)
      implements java.io.Serializable {}

  /** A flat listing of {@code prefix}, without directory markers and the excluded prefix. */
  static List<String> listKeys(
      OssCseFsSettings settings, String bucket, String prefix, String excluded) throws IOException {
    OSS oss = settings.newOssClient();
    try {
      List<String> keys = new ArrayList<>();
      String token = null;
      do {
        ListObjectsV2Request req = new ListObjectsV2Request(bucket);
        req.setPrefix(prefix);
        req.setMaxKeys(1000);
        if (token != null) {
          req.setContinuationToken(token);
        }
        ListObjectsV2Result page = oss.listObjectsV2(req);
        for (OSSObjectSummary s : page.getObjectSummaries()) {
          String k = s.getKey();
          if (k.endsWith("/") || (excluded != null && k.startsWith(excluded))) {
            continue;
          }
          keys.add(k);
        }
        token = page.isTruncated() ? page.getNextContinuationToken() : null;
      } while (token != null);
      return keys;
    } finally {
      oss.shutdown();
    }
  }

  /**
   * {@code spark-submit --class dev.osscse.hadoop.bulk.BulkJobs ... rewrap osscse://b/prefix/
   * [partitions]} or {@code encrypt osscse://b/src/ (osscse://b/dst/ | --in-place) [partitions]}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: rewrap osscse://bucket/prefix/ [partitions]"
              + " | encrypt osscse://bucket/src/ (osscse://bucket/dst/ | --in-place) [partitions]");
    }
    SparkSession spark = SparkSession.builder().appName("osscse-" + args[0]).getOrCreate();
    try {
      BulkResult r;
      int defaultPartitions = spark.sparkContext().defaultParallelism() * 4;
      if ("rewrap".equals(args[0])) {
        int p = args.length > 2 ? Integer.parseInt(args[2]) : defaultPartitions;
        r = rewrap(spark, URI.create(args[1]), p);
      } else if ("encrypt".equals(args[0]) && args.length >= 3) {
        URI target = "--in-place".equals(args[2]) ? null : URI.create(args[2]);
        int p = args.length > 3 ? Integer.parseInt(args[3]) : defaultPartitions;
        r = encrypt(spark, URI.create(args[1]), target, p);
      } else {
        throw new IllegalArgumentException("unknown job " + args[0]);
      }
      System.out.println("osscse " + args[0] + ": " + r);
      for (ExecutorShare e : r.executors()) {
        System.out.println(e);
      }
      for (ObjectOutcome f : r.failures()) {
        System.out.println("failed " + f.key() + ": " + f.detail());
      }
      if (r.failed() > 0) {
        throw new IllegalStateException(r.failed() + " objects failed; run the job again");
      }
    } finally {
      spark.stop();
    }
  }
}
