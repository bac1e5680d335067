package dev.osscse.hadoop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.OSSObjectSummary;
import dev.osscse.cli.CliContext;
import dev.osscse.cli.Main;
import dev.osscse.hadoop.LocalEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark in local mode writes Parquet and CSV to osscse://, reads them back with a projection and a
 * filter, and every stored object is ciphertext that the official OSSEncryptionClient 3.18.5 and
 * {@code oss-cse get} decrypt.
 */
class SparkRoundTripTest {
  private static final String BUCKET = "spark";
  private static final byte[] PAR1 = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private static SparkSession spark;
  private static LocalEndpoint endpoint;
  private static OSS plain;
  private static OSSEncryptionClient official;

  @BeforeAll
  static void start() {
    endpoint = LocalEndpoint.get();
    endpoint.server.createBucket(BUCKET);
    spark = SharedSpark.get();
    plain = endpoint.plainClient();
    ClientBuilderConfiguration c = new ClientBuilderConfiguration();
    c.setSignatureVersion(SignVersion.V1);
    official =
        new OSSEncryptionClientBuilder()
            .build(
                endpoint.server.endpoint(),
                new DefaultCredentialProvider(
                    LocalEndpoint.ACCESS_KEY_ID, LocalEndpoint.ACCESS_KEY_SECRET),
                new SimpleRSAEncryptionMaterials(
                    endpoint.keyPair, Map.of("purpose", "hadoop-tests")),
                c);
  }

  @AfterAll
  static void stop() {
    plain.shutdown();
    official.shutdown();
  }

  private static Dataset<Row> source() {
    return spark
        .range(0, 20_000)
        .selectExpr(
            "id",
            "cast(id % 7 as int) as k",
            "concat('name-', cast(id as string)) as name",
            "cast(id * 1.5 as double) as x")
        .repartition(3);
  }

  private static List<String> rows(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  private static List<String> dataKeys(String prefix, String suffix) {
    List<String> keys = new ArrayList<>();
    for (OSSObjectSummary s : plain.listObjects(BUCKET, prefix).getObjectSummaries()) {
      if (s.getKey().endsWith(suffix)) {
        keys.add(s.getKey());
      }
    }
    return keys;
  }

  private static byte[] raw(String key) throws Exception {
    try (InputStream in = plain.getObject(BUCKET, key).getObjectContent()) {
      return in.readAllBytes();
    }
  }

  private static byte[] viaOfficial(String key) throws Exception {
    try (InputStream in = official.getObject(BUCKET, key).getObjectContent()) {
      return in.readAllBytes();
    }
  }

  private static byte[] viaCli(String key) throws Exception {
    Path out = Files.createTempFile(endpoint.dir, "get", ".bin");
    Files.delete(out);
    Map<String, String> env = new HashMap<>();
    env.put("OSS_ENDPOINT", endpoint.server.endpoint());
    env.put("OSS_ACCESS_KEY_ID", LocalEndpoint.ACCESS_KEY_ID);
    env.put("OSS_ACCESS_KEY_SECRET", LocalEndpoint.ACCESS_KEY_SECRET);
    env.put("XDG_STATE_HOME", endpoint.dir.resolve("cli-state").toString());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.execute(
            new CliContext(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                InputStream.nullInputStream(),
                env,
                false),
            "get",
            "--bucket",
            BUCKET,
            "--key",
            key,
            "--rsa-private",
            endpoint.privatePem.toString(),
            "--out",
            out.toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return Files.readAllBytes(out);
  }

  private static boolean startsWith(byte[] b, byte[] p) {
    return b.length >= p.length && Arrays.equals(Arrays.copyOf(b, p.length), p);
  }

  private static boolean endsWith(byte[] b, byte[] p) {
    return b.length >= p.length
        && Arrays.equals(Arrays.copyOfRange(b, b.length - p.length, b.length), p);
  }

  @Test
  void parquet_roundTrip_projectionAndFilter_storedAsCiphertext() throws Exception {
    String dir = "osscse://" + BUCKET + "/tables/parquet";
    Dataset<Row> src = source();
    src.write().mode(SaveMode.Overwrite).parquet(dir);

    Dataset<Row> back = spark.read().parquet(dir);
    assertThat(back.count()).isEqualTo(20_000);
    assertThat(rows(back.where("k = 3").select("id", "name")))
        .isEqualTo(rows(source().where("k = 3").select("id", "name")));

    List<String> files = dataKeys("tables/parquet/", ".parquet");
    assertThat(files).isNotEmpty();
    for (String key : files) {
      byte[] stored = raw(key);
      assertThat(startsWith(stored, PAR1)).as("stored head of " + key).isFalse();
      assertThat(endsWith(stored, PAR1)).as("stored tail of " + key).isFalse();
      byte[] official = viaOfficial(key);
      assertThat(official).hasSameSizeAs(stored);
      assertThat(startsWith(official, PAR1) && endsWith(official, PAR1)).isTrue();
      assertThat(viaCli(key)).isEqualTo(official);
    }
  }

  @Test
  void csv_roundTrip_projectionAndFilter_storedAsCiphertext() throws Exception {
    String dir = "osscse://" + BUCKET + "/tables/csv";
    source().write().mode(SaveMode.Overwrite).option("header", "true").csv(dir);

    Dataset<Row> back = spark.read().option("header", "true").schema(source().schema()).csv(dir);
    assertThat(rows(back.where("x > 29000.0").select("id", "k")))
        .isEqualTo(rows(source().where("x > 29000.0").select("id", "k")));

    List<String> files = dataKeys("tables/csv/", ".csv");
    assertThat(files).isNotEmpty();
    for (String key : files) {
      byte[] stored = raw(key);
      byte[] official = viaOfficial(key);
      assertThat(new String(official, StandardCharsets.UTF_8)).startsWith("id,k,name,x\n");
      assertThat(stored).isNotEqualTo(official);
      assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("name-");
      assertThat(viaCli(key)).isEqualTo(official);
    }
  }
}
