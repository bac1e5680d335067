package dev.osscse.hadoop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osscse.hadoop.LocalEndpoint;
import dev.osscse.hadoop.bulk.BulkJobs;
import dev.osscse.hadoop.bulk.BulkResult;
import dev.osscse.hadoop.bulk.BulkSettings;
import dev.osscse.keys.PemKeys;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.aliyun.OssCseClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileRange;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: run with {@code -Dosscse.bench=true} (docs/benchmarks.md). Spark reads the
 * same Parquet table through osscse:// (encrypted) and through hadoop-aliyun's AliyunOSSFileSystem
 * (oss://, plaintext) from the same local endpoint; a vectored random-read pattern on one file
 * through each file system; the bulk rewrap rate with one and two tasks. Prints a table; asserts
 * only that both sides read the same data.
 */
@EnabledIfSystemProperty(named = "osscse.bench", matches = "true")
class SparkReadBenchmarkTest {
  private static final int ROUNDS = Integer.getInteger("osscse.bench.rounds", 5);
  private static final long ROWS = Long.getLong("osscse.bench.rows", 4_000_000L);
  private static final String BUCKET = "bench";

  private static long median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  @Test
  void run() throws Exception {
    LocalEndpoint endpoint = LocalEndpoint.get();
    endpoint.server.createBucket(BUCKET);
    SparkSession spark = SharedSpark.get();
    Configuration h = spark.sparkContext().hadoopConfiguration();
    h.set("fs.oss.impl", "org.apache.hadoop.fs.aliyun.oss.AliyunOSSFileSystem");
    h.set("fs.oss.endpoint", endpoint.server.endpoint());
    h.set("fs.oss.accessKeyId", LocalEndpoint.ACCESS_KEY_ID);
    h.set("fs.oss.accessKeySecret", LocalEndpoint.ACCESS_KEY_SECRET);
    h.setLong("fs.osscse.multipart.part.size", 8L << 20);
    // The tests' settings turn Hadoop's file system cache off for osscse:// (each test builds its
    // own); Spark would then build a new file system, OSS client and key cache for every file it
    // opens, while oss:// keeps one. Users keep the cache on: so does the benchmark, for both.
    boolean cacheOff = Boolean.getBoolean("osscse.bench.cacheOff");
    h.setBoolean("fs.osscse.impl.disable.cache", cacheOff);

    String cse = "osscse://" + BUCKET + "/cse/t";
    String plain = "oss://" + BUCKET + "/plain/t";
    var df =
        spark
            .range(0, ROWS)
            .selectExpr(
                "id",
                "cast(id % 100 as int) as k",
                "cast(rand(7) * 1000 as double) as x",
                "concat('n', cast(id % 100000 as string)) as s")
            .repartition(4);
    df.write().mode(SaveMode.Overwrite).parquet(cse);
    df.write().mode(SaveMode.Overwrite).parquet(plain);

    String scan = "select count(*), sum(x), max(s) from parquet.`%s`";
    String narrow = "select sum(x) from parquet.`%s` where k = 7";
    List<String> lines = new ArrayList<>();
    for (String[] q : new String[][] {{"full scan", scan}, {"projection + filter", narrow}}) {
      long[] tc = new long[ROUNDS];
      long[] tp = new long[ROUNDS];
      Row rc = null;
      Row rp = null;
      for (int i = 0; i < ROUNDS; i++) {
        long t0 = System.nanoTime();
        rp = spark.sql(String.format(q[1], plain)).collectAsList().get(0);
        long t1 = System.nanoTime();
        rc = spark.sql(String.format(q[1], cse)).collectAsList().get(0);
        long t2 = System.nanoTime();
        tp[i] = t1 - t0;
        tc[i] = t2 - t1;
      }
      assertThat(rc).isEqualTo(rp);
      lines.add(
          String.format(
              Locale.ROOT,
              "| requests of one %s | %s | %s | |",
              q[0],
              requests(endpoint, spark, String.format(q[1], plain)),
              requests(endpoint, spark, String.format(q[1], cse))));
      lines.add(
          String.format(
              Locale.ROOT,
              "| Spark %s, %,d rows | %d ms | %d ms | %.2fx |",
              q[0],
              ROWS,
              median(tp) / 1_000_000,
              median(tc) / 1_000_000,
              (double) median(tc) / median(tp)));
    }

    if (Boolean.getBoolean("osscse.bench.queriesOnly")) {
      lines.forEach(System.out::println);
      return;
    }
    h.setBoolean("fs.osscse.impl.disable.cache", true); // the next steps close what they open
    // vectored random reads: 64 ranges of 16 KiB over a 64 MiB file, through each file system
    byte[] data = new byte[64 << 20];
    new Random(1).nextBytes(data);
    long[] vc = new long[ROUNDS];
    long[] vp = new long[ROUNDS];
    try (FileSystem fc = FileSystem.get(URI.create("osscse://" + BUCKET + "/"), h);
        FileSystem fp = FileSystem.get(URI.create("oss://" + BUCKET + "/"), h)) {
      Path pc = new Path("osscse://" + BUCKET + "/vec/cse");
      Path pp = new Path("oss://" + BUCKET + "/vec/plain");
      for (FileSystem f : new FileSystem[] {fc, fp}) {
        try (FSDataOutputStream out = f.create(f == fc ? pc : pp, true)) {
          out.write(data);
        }
      }
      Random r = new Random(2);
      for (int i = 0; i < ROUNDS; i++) {
        List<Long> offsets = new ArrayList<>();
        for (int j = 0; j < 64; j++) {
          offsets.add((long) r.nextInt(data.length - (16 << 10)));
        }
        vp[i] = vectored(fp, pp, offsets, data);
        vc[i] = vectored(fc, pc, offsets, data);
      }
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "| readVectored, 64 x 16 KiB over 64 MiB | %d ms | %d ms | %.2fx |",
            median(vp) / 1_000_000,
            median(vc) / 1_000_000,
            (double) median(vc) / median(vp)));

    // bulk rewrap rate
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    var pair = g.generateKeyPair();
    java.nio.file.Path pub = endpoint.dir.resolve("bench-new-public.pem");
    PemKeys.writePublicKey(pair.getPublic(), pub);
    h.set(BulkSettings.NEW_RSA_PUBLIC_KEY_FILE, pub.toString());
    h.unset(BulkSettings.NEW_RSA_PRIVATE_KEY_FILE);
    h.set(BulkSettings.NEW_MATDESC, "purpose=bench");
    com.aliyun.oss.OSS oss =
        new com.aliyun.oss.OSSClientBuilder()
            .build(
                endpoint.server.endpoint(),
                LocalEndpoint.ACCESS_KEY_ID,
                LocalEndpoint.ACCESS_KEY_SECRET);
    OssCseClient writer =
        OssCseClient.builder(oss)
            .encryptWith(MasterKey.rsa(endpoint.keyPair, Map.of("purpose", "hadoop-tests")))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    int n = Integer.getInteger("osscse.bench.objects", 1000);
    for (int tasks : new int[] {1, 2}) {
      String prefix = "rate" + tasks + "/";
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = prefix + i;
        puts.add(pool.submit(() -> writer.putObject(BUCKET, key, new byte[4096], null)));
      }
      for (Future<?> f : puts) {
        f.get();
      }
      long t0 = System.nanoTime();
      BulkResult res =
          BulkJobs.rewrap(spark, URI.create("osscse://" + BUCKET + "/" + prefix), tasks);
      long t = System.nanoTime() - t0;
      assertThat(res.done()).isEqualTo(n);
      lines.add(
          String.format(
              Locale.ROOT,
              "| bulk rewrap, %d objects of 4 KiB, %d task(s) | | %d ms | %.0f objects/s |",
              n,
              tasks,
              t / 1_000_000,
              n / (t / 1e9)));
    }
    pool.shutdownNow();
    oss.shutdown();
    System.out.println("| measurement | oss:// (hadoop-aliyun, plaintext) | osscse:// | ratio |");
    System.out.println("|---|---|---|---|");
    lines.forEach(System.out::println);
  }

  /**
   * The requests the local endpoint receives while {@code sql} runs once, by kind: a matcher that
   * selects nothing sees every request.
   */
  private static String requests(LocalEndpoint endpoint, SparkSession spark, String sql) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    RequestMatcher observer =
        (m, b, k) -> {
          String kind = k == null ? m + " bucket" : m;
          if (Boolean.getBoolean("osscse.bench.trace")) {
            System.out.println("TRACE " + Thread.currentThread().getName() + " " + m + " " + k);
          }
          synchronized (counts) {
            counts.merge(kind, 1, Integer::sum);
          }
          return false;
        };
    endpoint.server.faults().delayNext(Integer.MAX_VALUE, Duration.ZERO, observer);
    try {
      spark.sql(sql).collectAsList();
    } finally {
      endpoint.server.faults().clear();
    }
    synchronized (counts) {
      int total = counts.values().stream().mapToInt(Integer::intValue).sum();
      return total + " " + counts;
    }
  }

  private static long vectored(FileSystem fs, Path p, List<Long> offsets, byte[] data)
      throws Exception {
    long t0 = System.nanoTime();
    try (FSDataInputStream in =
        fs.openFile(p).opt("fs.option.openfile.read.policy", "vector").build().get()) {
      List<FileRange> ranges = new ArrayList<>();
      for (long o : offsets) {
        ranges.add(FileRange.createFileRange(o, 16 << 10));
      }
      ranges.sort((a, b) -> Long.compare(a.getOffset(), b.getOffset()));
      List<FileRange> disjoint = new ArrayList<>();
      long end = -1;
      for (FileRange fr : ranges) {
        if (fr.getOffset() >= end) {
          disjoint.add(fr);
          end = fr.getOffset() + fr.getLength();
        }
      }
      in.readVectored(disjoint, ByteBuffer::allocate);
      for (FileRange fr : disjoint) {
        ByteBuffer b = fr.getData().get();
        int o = (int) fr.getOffset();
        assertThat(b.get(0)).isEqualTo(data[o]);
      }
    }
    return System.nanoTime() - t0;
  }
}
