package dev.osscse.hadoop.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.hadoop.bulk.BulkJobs;
import dev.osscse.hadoop.bulk.BulkResult;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bulk jobs in Spark local mode against the local endpoint: 1,000 small objects and a few large
 * ones, counts, idempotent re-runs, and faults that leave every object readable.
 */
class BulkJobsTest {
  private static final String BUCKET = "bulk";
  private static final int SMALL = 1000;
  private static final int LARGE_SIZE = (3 << 20) + 5;

  private static SparkSession spark;
  private static RewrapBed bed;

  @BeforeAll
  static void start() throws Exception {
    spark = SharedSpark.get();
    bed = new RewrapBed(spark, BUCKET, "new-");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static byte[] content(String key) {
    Random r = new Random(key.hashCode());
    int size = key.contains("/large") ? LARGE_SIZE : 100 + r.nextInt(2000);
    byte[] b = new byte[size];
    r.nextBytes(b);
    return b;
  }

  private static List<String> keys(String prefix, int small, int large) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < small; i++) {
      keys.add(String.format("%ssmall/%04d", prefix, i));
    }
    for (int i = 0; i < large; i++) {
      keys.add(prefix + "large/" + i);
    }
    return keys;
  }

  private static byte[] raw(String key) throws Exception {
    try (InputStream in = bed.plain.getObject(BUCKET, key).getObjectContent()) {
      return in.readAllBytes();
    }
  }

  @Test
  void rewrap_everyObject_toTheNewKey_idempotent() throws Exception {
    List<String> keys = keys("rot/", SMALL, 3);
    bed.forEach(keys, k -> bed.oldKeyClient.putObject(BUCKET, k, content(k), null));

    BulkResult first = BulkJobs.rewrap(spark, URI.create("osscse://" + BUCKET + "/rot/"), 4);
    assertThat(first.failures()).isEmpty();
    assertThat(first.done()).isEqualTo(SMALL + 3);
    assertThat(first.skipped()).isZero();

    OssCseClient fresh = bed.newKeyOnly();
    bed.forEach(keys, k -> assertThat(bed.read(fresh, k)).as(k).isEqualTo(content(k)));
    assertThatThrownBy(() -> bed.read(bed.oldKeyClient, "rot/small/0007"))
        .isInstanceOf(java.security.InvalidKeyException.class)
        .hasMessage("unwrap failed");

    BulkResult again = BulkJobs.rewrap(spark, URI.create("osscse://" + BUCKET + "/rot/"), 4);
    assertThat(again.done()).isZero();
    assertThat(again.skipped()).isEqualTo(SMALL + 3);
    assertThat(again.failed()).isZero();
  }

  @Test
  void rewrap_faultOnOneObject_isCountedAndLeftReadable_thenFinishedByARerun() throws Exception {
    List<String> keys = keys("rot2/", 20, 1);
    bed.forEach(keys, k -> bed.oldKeyClient.putObject(BUCKET, k, content(k), null));
    bed.endpoint
        .server
        .faults()
        .failNext(40, 500, RequestMatcher.methodAndKey("PUT", "rot2/small/0003"));
    bed.endpoint
        .server
        .faults()
        .failNext(40, 500, RequestMatcher.methodAndKey("POST", "rot2/large/0"));
    BulkResult r;
    try {
      r = BulkJobs.rewrap(spark, URI.create("osscse://" + BUCKET + "/rot2/"), 2);
    } finally {
      bed.endpoint.server.faults().clear();
    }
    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.done()).isEqualTo(19);
    assertThat(r.failures())
        .extracting(f -> f.key())
        .containsExactlyInAnyOrder("rot2/small/0003", "rot2/large/0");
    // the failed ones are still whole and readable with the old key
    assertThat(bed.read(bed.oldKeyClient, "rot2/small/0003")).isEqualTo(content("rot2/small/0003"));
    assertThat(bed.read(bed.oldKeyClient, "rot2/large/0")).isEqualTo(content("rot2/large/0"));

    BulkResult rerun = BulkJobs.rewrap(spark, URI.create("osscse://" + BUCKET + "/rot2/"), 2);
    assertThat(rerun.done()).isEqualTo(2);
    assertThat(rerun.skipped()).isEqualTo(19);
    OssCseClient fresh = bed.newKeyOnly();
    bed.forEach(keys, k -> assertThat(bed.read(fresh, k)).as(k).isEqualTo(content(k)));
  }

  @Test
  void encrypt_plaintextPrefix_toAnotherPrefix_idempotent() throws Exception {
    List<String> keys = keys("raw/", SMALL, 2);
    bed.forEach(keys, k -> bed.plain.putObject(BUCKET, k, new ByteArrayInputStream(content(k))));

    URI src = URI.create("osscse://" + BUCKET + "/raw/");
    URI dst = URI.create("osscse://" + BUCKET + "/enc/");
    BulkResult first = BulkJobs.encrypt(spark, src, dst, 4);
    assertThat(first.failures()).isEmpty();
    assertThat(first.done()).isEqualTo(SMALL + 2);

    bed.forEach(
        keys,
        k -> {
          String e = "enc/" + k.substring("raw/".length());
          assertThat(
                  EnvelopeCodec.hasEnvelope(
                      bed.plain.getObjectMetadata(BUCKET, e).getUserMetadata()))
              .isTrue();
          assertThat(raw(e)).isNotEqualTo(content(k));
          assertThat(bed.read(bed.oldKeyClient, e)).isEqualTo(content(k));
        });

    BulkResult again = BulkJobs.encrypt(spark, src, dst, 4);
    assertThat(again.done()).isZero();
    assertThat(again.skipped()).isEqualTo(SMALL + 2);
  }

  @Test
  void encrypt_inPlace_bySafeSwap_leavesNoPlaintext() throws Exception {
    List<String> keys = keys("inplace/", 200, 1);
    bed.forEach(keys, k -> bed.plain.putObject(BUCKET, k, new ByteArrayInputStream(content(k))));
    URI src = URI.create("osscse://" + BUCKET + "/inplace/");
    bed.endpoint
        .server
        .faults()
        .failNext(40, 500, RequestMatcher.methodAndKey("PUT", "inplace/small/0042"));
    BulkResult faulty;
    try {
      faulty = BulkJobs.encrypt(spark, src, null, 4);
    } finally {
      bed.endpoint.server.faults().clear();
    }
    assertThat(faulty.failed()).isEqualTo(1);
    assertThat(faulty.done()).isEqualTo(200);
    // the object the swap failed for is its original plaintext, whole
    assertThat(raw("inplace/small/0042")).isEqualTo(content("inplace/small/0042"));

    BulkResult rerun = BulkJobs.encrypt(spark, src, null, 4);
    assertThat(rerun.done()).isEqualTo(1);
    assertThat(rerun.skipped()).isEqualTo(200);
    bed.forEach(
        keys,
        k -> {
          assertThat(
                  EnvelopeCodec.hasEnvelope(
                      bed.plain.getObjectMetadata(BUCKET, k).getUserMetadata()))
              .as(k)
              .isTrue();
          assertThat(bed.read(bed.oldKeyClient, k)).as(k).isEqualTo(content(k));
        });
    assertThat(bed.plain.listObjects(BUCKET, ".osscse-staging/inplace/").getObjectSummaries())
        .isEmpty();
  }
}
