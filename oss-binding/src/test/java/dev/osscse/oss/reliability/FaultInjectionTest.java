package dev.osscse.oss.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.ServiceException;
import com.aliyun.oss.common.comm.RequestMessage;
import com.aliyun.oss.common.comm.ResponseMessage;
import com.aliyun.oss.common.comm.RetryStrategy;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.local.oss.FaultInjector;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.MultipartUploadException;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.OssCseClient;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.provider.KmsCacheConfig;
import dev.osscse.provider.KmsKeyReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected by the local OSS and KMS endpoints on a seeded schedule (docs/reliability.md
 * section 2): connection resets and truncations in the middle of bodies, 500/503 replies, KMS
 * throttling and server errors, slow replies, wrong CRC-64 headers and corrupted body bytes.
 * Downloads must resume and end with exactly the plaintext; multipart uploads must retry parts; an
 * upload that cannot finish must be aborted; a download that cannot finish must leave no file.
 *
 * <p>The seed is {@code -Dosscse.fault.seed} (default fixed); the summary line is printed and
 * written to {@code target/reliability-summary.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionTest {
  private static final String AK = "fault-ak";
  private static final String SK = "fault-sk";
  private static final String BUCKET = "faults";
  private static final long SEED = Long.getLong("osscse.fault.seed", 20261127L);
  private static final int ROUNDS = Integer.getInteger("osscse.fault.rounds", 60);

  @TempDir static Path tmp;
  private LocalOssServer ossServer;
  private LocalKmsServer kmsServer;
  private AliyunKmsKeyService kms;
  private OSS oss;
  private OssCseClient rsaClient;
  private OssCseClient kmsClient;

  private long injected;
  private long survived;
  private long detected;
  private long bytesVerified;
  private long operations;

  @BeforeAll
  void start() throws Exception {
    ossServer =
        LocalOssServer.builder()
            .dataDirectory(Files.createDirectories(tmp.resolve("oss")))
            .credentials(AK, SK)
            .minPartSize(16 * 1024)
            .build()
            .start();
    ossServer.createBucket(BUCKET);
    kmsServer =
        LocalKmsServer.builder()
            .dir(Files.createDirectories(tmp.resolve("kms")))
            .credentials(AK, SK)
            .build()
            .start();
    String keyId = kmsServer.createKey();
    kms =
        AliyunKmsKeyService.builder()
            .localEndpoint(kmsServer.httpEndpoint())
            .credentials(AK, SK)
            .maxRetries(4)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(10))
            .build();
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0); // every retry below is the binding's own
    oss = new OSSClientBuilder().build(ossServer.endpoint(), AK, SK, conf);
    rsaClient =
        OssCseClient.builder(oss)
            .encryptWith(MasterKey.rsa(BadObjectBed.pairA(), Map.of()))
            .build();
    MasterKey kmsKey =
        MasterKey.kms(
            KmsKeyReference.builder(kms, keyId).cache(KmsCacheConfig.disabled()).build(), Map.of());
    kmsClient =
        OssCseClient.builder(oss)
            .encryptWith(kmsKey)
            .decryptWith(MasterKeyRing.builder().defaultKey(kmsKey).build())
            .build();
  }

  @AfterAll
  void stop() throws IOException {
    injected = faultCount();
    String summary =
        String.format(
            "reliability: seed=%d operations=%d faults injected=%d survived=%d"
                + " detected-and-refused=%d bytes verified=%d",
            SEED, operations, injected, survived, detected, bytesVerified);
    System.out.println(summary);
    Files.writeString(
        Path.of("target", "reliability-summary.txt"),
        summary + System.lineSeparator(),
        StandardCharsets.UTF_8);
    oss.shutdown();
    kms.close();
    kmsServer.close();
    ossServer.close();
  }

  private long faultCount() {
    return ossServer.faults().injectedCount()
        + kmsServer.faults().throttled()
        + kmsServer.faults().failed()
        + kmsServer.faults().delayed();
  }

  /** Schedules one to three OSS faults for the next GETs of {@code key}. */
  private void scheduleGetFaults(SplittableRandom rnd, String key, int size) {
    FaultInjector f = ossServer.faults();
    RequestMatcher get = RequestMatcher.methodAndKey("GET", key);
    int n = 1 + rnd.nextInt(3);
    int crcFaults = 0; // each costs a restart from byte 0; the download allows two
    for (int i = 0; i < n; i++) {
      long at = rnd.nextInt(Math.max(1, size));
      int kind = rnd.nextInt(7);
      if (kind == 4 || kind == 5) {
        if (++crcFaults > 2) { // OssCseClient.DOWNLOAD_RESTARTS
          kind = 0;
        }
      }
      switch (kind) {
        case 0 -> f.resetGetBodyAfter(at, 1, get);
        case 1 -> f.truncateGetBodyAfter(at, 1, get);
        case 2 -> f.failNext(1, 500, get);
        case 3 -> f.failNext(1, 503, get);
        case 4 -> f.wrongCrcNext(1, get);
        case 5 -> f.corruptGetBodyAt(at, 1, get);
        default -> f.delayNext(1, Duration.ofMillis(5 + rnd.nextInt(20)), get);
      }
    }
  }

  @Test
  void seededFaultRun_everyDownloadEndsWithExactlyThePlaintext() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED);
    long start = faultCount();
    long survivedBefore = survived;
    for (int round = 0; round < ROUNDS; round++) {
      boolean useKms = round % 3 == 2;
      OssCseClient client = useKms ? kmsClient : rsaClient;
      int size = 1 + rnd.nextInt(round % 5 == 0 ? 300 * 1024 : 64 * 1024);
      byte[] plain = new byte[size];
      rnd.nextBytes(plain);
      String key = "run/" + round;
      long before = faultCount();
      if (useKms) {
        kmsServer.faults().throttleNext(1 + rnd.nextInt(2));
      }
      client.putObject(BUCKET, key, plain, null);
      if (useKms) {
        kmsServer.faults().failNext(1, rnd.nextBoolean() ? 500 : 503);
      }
      scheduleGetFaults(rnd, key, size);
      Path target = tmp.resolve("dl-" + round + ".bin");
      client.downloadObject(BUCKET, key, target);
      ossServer.faults().clear();
      kmsServer.faults().reset();
      assertThat(Files.readAllBytes(target)).as("round %d", round).isEqualTo(plain);
      Files.delete(target);
      bytesVerified += size;
      operations += 2;
      survived += faultCount() - before;
      // A ranged read after a slow reply: exact bytes from the right counter.
      long first = rnd.nextInt(size);
      long last = Math.min(size - 1, first + rnd.nextInt(40_000));
      ossServer
          .faults()
          .delayNext(1, Duration.ofMillis(5), RequestMatcher.methodAndKey("GET", key));
      long beforeRange = faultCount();
      try (UnauthenticatedObjectStream in =
          client.getObject(BUCKET, key, ByteRange.of(first, last))) {
        assertThat(in.readAllBytes())
            .isEqualTo(Arrays.copyOfRange(plain, (int) first, (int) last + 1));
      }
      bytesVerified += last - first + 1;
      operations++;
      survived += faultCount() - beforeRange;
      oss.deleteObject(BUCKET, key);
    }
    long mine = faultCount() - start;
    assertThat(survived - survivedBefore).isEqualTo(mine);
    assertThat(mine).isGreaterThanOrEqualTo(100);
  }

  @Test
  void multipartUpload_partFailuresAreRetried_andTheObjectDecrypts() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED ^ 0x5A5A);
    MultipartUploader up =
        MultipartUploader.builder(rsaClient)
            .partSize(16 * 1024)
            .parallelism(1)
            .partAttempts(5)
            .build();
    for (int i = 0; i < 4; i++) {
      byte[] plain = new byte[100_000 + rnd.nextInt(60_000)];
      rnd.nextBytes(plain);
      String key = "mp/" + i;
      long before = faultCount();
      ossServer
          .faults()
          .failRandomly(0.25, SEED + i, 500, RequestMatcher.methodAndKey("PUT", key))
          .resetGetBodyAfter(rnd.nextInt(plain.length), 1, RequestMatcher.methodAndKey("GET", key));
      up.upload(BUCKET, key, new ByteArrayInputStream(plain), plain.length, null);
      ossServer.faults().clear();
      Path target = tmp.resolve("mp-" + i);
      rsaClient.downloadObject(BUCKET, key, target);
      assertThat(Files.readAllBytes(target)).isEqualTo(plain);
      bytesVerified += plain.length;
      operations += 2;
      survived += faultCount() - before;
    }
  }

  @Test
  void putObject_serverErrors_areRetriedBySdkWithARepeatableBody() throws Exception {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(3);
    conf.setRetryStrategy(
        new RetryStrategy() {
          @Override
          public boolean shouldRetry(
              Exception e, RequestMessage request, ResponseMessage response, int retries) {
            return e instanceof ServiceException se
                && ("InternalError".equals(se.getErrorCode())
                    || "ServiceUnavailable".equals(se.getErrorCode()));
          }

          @Override
          public long getPauseDelay(int retries) {
            return 1; // the SDK's default pause is hundreds of milliseconds
          }
        });
    OSS retrying = new OSSClientBuilder().build(ossServer.endpoint(), AK, SK, conf);
    try {
      OssCseClient client =
          OssCseClient.builder(retrying)
              .encryptWith(MasterKey.rsa(BadObjectBed.pairA(), Map.of()))
              .build();
      SplittableRandom rnd = new SplittableRandom(SEED ^ 0x77);
      for (int i = 0; i < 8; i++) {
        byte[] plain = new byte[1 + rnd.nextInt(100_000)];
        rnd.nextBytes(plain);
        String key = "put/" + i;
        long before = faultCount();
        ossServer
            .faults()
            .failNext(
                1 + rnd.nextInt(2),
                rnd.nextBoolean() ? 500 : 503,
                RequestMatcher.methodAndKey("PUT", key));
        client.putObject(BUCKET, key, plain, null);
        ossServer.faults().clear();
        Path target = tmp.resolve("put-" + i);
        rsaClient.downloadObject(BUCKET, key, target);
        assertThat(Files.readAllBytes(target)).isEqualTo(plain);
        bytesVerified += plain.length;
        operations += 2;
        survived += faultCount() - before;
      }
    } finally {
      retrying.shutdown();
    }
  }

  @Test
  void multipartUpload_thatCannotFinish_isAborted() throws Exception {
    String key = "mp/doomed";
    long before = faultCount();
    ossServer.faults().failNext(Integer.MAX_VALUE, 503, RequestMatcher.methodAndKey("PUT", key));
    MultipartUploader up =
        MultipartUploader.builder(rsaClient).partSize(16 * 1024).partAttempts(2).build();
    byte[] plain = new byte[70_000];
    Throwable t =
        catchThrowable(
            () -> up.upload(BUCKET, key, new ByteArrayInputStream(plain), plain.length, null));
    ossServer.faults().clear();
    assertThat(t).isInstanceOf(MultipartUploadException.class);
    assertThat(((MultipartUploadException) t).aborted()).isTrue();
    assertThat(
            oss
                .listMultipartUploads(new ListMultipartUploadsRequest(BUCKET))
                .getMultipartUploads()
                .stream()
                .filter(u -> u.getKey().equals(key)))
        .isEmpty();
    assertThat(oss.doesObjectExist(BUCKET, key)).isFalse();
    operations++;
    detected += faultCount() - before;
  }

  @Test
  void download_thatCannotFinish_leavesNoFile_andKeepsAnOldTarget() throws Exception {
    byte[] plain = new byte[50_000];
    new SplittableRandom(SEED).nextBytes(plain);
    rsaClient.putObject(BUCKET, "dl/doomed", plain, null);
    Path dir = Files.createDirectories(tmp.resolve("doomed"));
    long before = faultCount();
    ossServer
        .faults()
        .resetGetBodyAfter(
            1000, Integer.MAX_VALUE, RequestMatcher.methodAndKey("GET", "dl/doomed"));
    Throwable t =
        catchThrowable(() -> rsaClient.downloadObject(BUCKET, "dl/doomed", dir.resolve("new")));
    assertThat(t).isInstanceOf(IOException.class);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
    ossServer.faults().clear();
    ossServer
        .faults()
        .corruptGetBodyAt(7, Integer.MAX_VALUE, RequestMatcher.methodAndKey("GET", "dl/doomed"));
    Files.write(dir.resolve("old"), new byte[] {1, 2, 3});
    t = catchThrowable(() -> rsaClient.downloadObject(BUCKET, "dl/doomed", dir.resolve("old")));
    ossServer.faults().clear();
    assertThat(t).isInstanceOf(IOException.class).hasMessageContaining("CRC-64");
    assertThat(Files.readAllBytes(dir.resolve("old"))).containsExactly(1, 2, 3);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("old");
    }
    operations += 2;
    detected += faultCount() - before;
  }
}
