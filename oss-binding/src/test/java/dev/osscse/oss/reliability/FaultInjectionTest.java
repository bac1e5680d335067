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
import com.aliyun.oss.model.OSSObject;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.local.oss.FaultInjector;
import dev.osscse.local.oss.FaultType;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.MultipartUploadException;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.reliability.FaultLedger.Kind;
import dev.osscse.oss.reliability.FaultLedger.Outcome;
import dev.osscse.provider.KmsCacheConfig;
import dev.osscse.provider.KmsKeyReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>The clients talk to the endpoints through a {@link WireTap}, which records what they received.
 * A fault counts as effective only if that differs from the stored object (bytes, a cut connection,
 * the status or the CRC header); each effective fault is then counted as survived or refused from
 * how its operation ended ({@link FaultLedger}), never from the injector's counters.
 *
 * <p>The seed is {@code -Dosscse.fault.seed} (default fixed); the summary line is printed and
 * written to {@code target/reliability-summary.txt}, the table by kind to {@code
 * target/reliability-faults.md}.
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
  private WireTap ossTap;
  private WireTap kmsTap;
  private AliyunKmsKeyService kms;
  private OSS oss;
  private OSS direct; // straight to the endpoint: the stored bytes, for reference only
  private OssCseClient rsaClient;
  private OssCseClient kmsClient;

  private final FaultLedger ledger = new FaultLedger();
  private long bytesVerified;

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
    ossTap = new WireTap(ossServer.endpoint());
    kmsTap = new WireTap(kmsServer.httpEndpoint().toString());
    kms =
        AliyunKmsKeyService.builder()
            .localEndpoint(URI.create(kmsTap.endpoint()))
            .credentials(AK, SK)
            .maxRetries(4)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(10))
            .build();
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0); // every retry below is the binding's own
    oss = new OSSClientBuilder().build(ossTap.endpoint(), AK, SK, conf);
    direct = new OSSClientBuilder().build(ossServer.endpoint(), AK, SK, conf);
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
    FaultInjector f = ossServer.faults();
    ledger.injected(Kind.ERROR_STATUS, f.injectedCount(FaultType.ERROR_STATUS));
    ledger.injected(Kind.RESET, f.injectedCount(FaultType.RESET));
    ledger.injected(Kind.TRUNCATE, f.injectedCount(FaultType.TRUNCATE));
    ledger.injected(Kind.WRONG_CRC, f.injectedCount(FaultType.WRONG_CRC));
    ledger.injected(Kind.CORRUPT_BODY, f.injectedCount(FaultType.CORRUPT_BODY));
    ledger.injected(Kind.DELAY, f.injectedCount(FaultType.DELAY) + kmsServer.faults().delayed());
    ledger.injected(Kind.KMS_ERROR, kmsServer.faults().throttled() + kmsServer.faults().failed());
    String summary =
        String.format(
            "reliability: seed=%d %s bytes verified=%d", SEED, ledger.summary(), bytesVerified);
    System.out.println(summary);
    System.out.println(ledger.table());
    Files.writeString(
        Path.of("target", "reliability-summary.txt"),
        summary + System.lineSeparator(),
        StandardCharsets.UTF_8);
    Files.writeString(
        Path.of("target", "reliability-faults.md"),
        "seed "
            + SEED
            + ", "
            + ROUNDS
            + " rounds"
            + System.lineSeparator()
            + System.lineSeparator()
            + ledger.table()
            + System.lineSeparator(),
        StandardCharsets.UTF_8);
    oss.shutdown();
    direct.shutdown();
    kms.close();
    ossTap.close();
    kmsTap.close();
    kmsServer.close();
    ossServer.close();
    ledger.checkConsistent();
  }

  // ------------------------------------------------------------------ what the client received

  /** The stored object as the endpoint holds it (ciphertext) and its CRC-64 header. */
  private record Stored(byte[] bytes, String crc) {}

  private Stored stored(String key) throws IOException {
    try (OSSObject o = direct.getObject(BUCKET, key);
        InputStream in = o.getObjectContent()) {
      return new Stored(
          in.readAllBytes(),
          (String) o.getObjectMetadata().getRawMetadata().get("x-oss-hash-crc64ecma"));
    }
  }

  /**
   * The effects of faults that the client observably received since the last call: for each
   * exchange, a status of 500 or more, a reset or early close, and for a GET of {@code key} a CRC
   * header or body bytes that differ from {@code ref}; every KMS error reply. Call after the faults
   * are cleared.
   */
  private List<Kind> observed(String key, Stored ref) {
    List<Kind> effects = new ArrayList<>();
    for (WireTap.Exchange e : ossTap.drain()) {
      if (e.end() == WireTap.End.RESET) {
        effects.add(Kind.RESET);
      } else if (e.end() == WireTap.End.CLOSED_EARLY) {
        effects.add(Kind.TRUNCATE);
      }
      if (e.status() >= 500) {
        effects.add(Kind.ERROR_STATUS);
      }
      boolean objectGet =
          ref != null
              && e.method().equals("GET")
              && (e.status() == 200 || e.status() == 206)
              && path(e.target()).equals("/" + BUCKET + "/" + key);
      if (objectGet) {
        if (e.crc() != null && !e.crc().equals(ref.crc())) {
          effects.add(Kind.WRONG_CRC);
        }
        int start = e.status() == 206 ? rangeStart(e.range(), ref.bytes().length) : 0;
        byte[] expected =
            Arrays.copyOfRange(
                ref.bytes(), start, Math.min(ref.bytes().length, start + e.body().length));
        if (!Arrays.equals(expected, e.body())) {
          effects.add(Kind.CORRUPT_BODY);
        }
      }
    }
    for (WireTap.Exchange e : kmsTap.drain()) {
      if (e.status() >= 400 || e.end() != WireTap.End.COMPLETE) {
        effects.add(Kind.KMS_ERROR);
      }
    }
    return effects;
  }

  private static String path(String target) {
    int q = target.indexOf('?');
    return URLDecoder.decode(q < 0 ? target : target.substring(0, q), StandardCharsets.UTF_8);
  }

  private static int rangeStart(String range, int length) {
    String spec = range.substring(range.indexOf('=') + 1).trim();
    if (spec.startsWith("-")) {
      return Math.max(0, length - Integer.parseInt(spec.substring(1)));
    }
    return Integer.parseInt(spec.substring(0, spec.indexOf('-')));
  }

  /**
   * Downloads {@code key} to {@code target}: survived if the file holds exactly {@code plain},
   * refused if a typed error left no file (or {@code old} unchanged in it); any other ending fails.
   */
  private Outcome download(OssCseClient client, String key, Path target, byte[] plain, byte[] old)
      throws IOException {
    Throwable t = catchThrowable(() -> client.downloadObject(BUCKET, key, target));
    if (t == null) {
      assertThat(Files.readAllBytes(target)).as("download of %s", key).isEqualTo(plain);
      bytesVerified += plain.length;
      return Outcome.SURVIVED;
    }
    assertThat(t).as("download of %s failed", key).isInstanceOf(IOException.class);
    if (old == null) {
      assertThat(target).as("no output after a failed download").doesNotExist();
    } else {
      assertThat(Files.readAllBytes(target)).as("old target unchanged").isEqualTo(old);
    }
    return Outcome.REFUSED;
  }

  /** Clears every pending fault, then records what the client saw during the operation. */
  private List<Kind> finish(String key, Outcome outcome) throws IOException {
    ossServer.faults().clear();
    kmsServer.faults().reset();
    Stored ref = key == null || !direct.doesObjectExist(BUCKET, key) ? null : stored(key);
    List<Kind> effects = observed(key, ref);
    ledger.operation(effects, outcome);
    return effects;
  }

  // ------------------------------------------------------------------ the runs

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
        if (++crcFaults > 2) { // EncryptedStore.DOWNLOAD_RESTARTS
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
    Set<Kind> seen = EnumSet.noneOf(Kind.class);
    long effective = 0;
    for (int round = 0; round < ROUNDS; round++) {
      boolean useKms = round % 3 == 2;
      OssCseClient client = useKms ? kmsClient : rsaClient;
      int size = 1 + rnd.nextInt(round % 5 == 0 ? 300 * 1024 : 64 * 1024);
      byte[] plain = new byte[size];
      rnd.nextBytes(plain);
      String key = "run/" + round;
      if (useKms) {
        kmsServer.faults().throttleNext(1 + rnd.nextInt(2));
      }
      client.putObject(BUCKET, key, plain, null);
      List<Kind> put = finish(key, Outcome.SURVIVED); // the put returned; read back below
      if (useKms) {
        kmsServer.faults().failNext(1, rnd.nextBoolean() ? 500 : 503);
      }
      scheduleGetFaults(rnd, key, size);
      Path target = tmp.resolve("dl-" + round + ".bin");
      Outcome outcome = download(client, key, target, plain, null);
      assertThat(outcome).as("round %d", round).isEqualTo(Outcome.SURVIVED);
      List<Kind> got = finish(key, outcome);
      Files.delete(target);
      // A ranged read after a slow reply: exact bytes from the right counter.
      long first = rnd.nextInt(size);
      long last = Math.min(size - 1, first + rnd.nextInt(40_000));
      ossServer
          .faults()
          .delayNext(1, Duration.ofMillis(5), RequestMatcher.methodAndKey("GET", key));
      try (UnauthenticatedObjectStream in =
          client.getObject(BUCKET, key, ByteRange.of(first, last))) {
        assertThat(in.readAllBytes())
            .isEqualTo(Arrays.copyOfRange(plain, (int) first, (int) last + 1));
      }
      bytesVerified += last - first + 1;
      List<Kind> ranged = finish(key, Outcome.SURVIVED);
      assertThat(ranged).as("a delay changes nothing the client receives").isEmpty();
      seen.addAll(put);
      seen.addAll(got);
      effective += put.size() + got.size();
      oss.deleteObject(BUCKET, key);
      finish(null, Outcome.SURVIVED);
    }
    assertThat(seen)
        .as("the run exercised every kind of effective fault")
        .contains(
            Kind.ERROR_STATUS,
            Kind.RESET,
            Kind.TRUNCATE,
            Kind.WRONG_CRC,
            Kind.CORRUPT_BODY,
            Kind.KMS_ERROR);
    assertThat(effective).isGreaterThanOrEqualTo(ROUNDS);
  }

  @Test
  void multipartUpload_partFailuresAreRetried_andTheObjectDecrypts() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED ^ 0x5A5A);
    MultipartUploader up =
        MultipartUploader.builder(rsaClient.core())
            .partSize(16 * 1024)
            .parallelism(1)
            .partAttempts(5)
            .build();
    for (int i = 0; i < 4; i++) {
      byte[] plain = new byte[100_000 + rnd.nextInt(60_000)];
      rnd.nextBytes(plain);
      String key = "mp/" + i;
      ossServer
          .faults()
          .failRandomly(0.25, SEED + i, 500, RequestMatcher.methodAndKey("PUT", key))
          .resetGetBodyAfter(rnd.nextInt(plain.length), 1, RequestMatcher.methodAndKey("GET", key));
      up.upload(BUCKET, key, new ByteArrayInputStream(plain), plain.length, null);
      Path target = tmp.resolve("mp-" + i);
      Outcome outcome = download(rsaClient, key, target, plain, null);
      assertThat(outcome).isEqualTo(Outcome.SURVIVED);
      finish(key, outcome);
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
    OSS retrying = new OSSClientBuilder().build(ossTap.endpoint(), AK, SK, conf);
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
        ossServer
            .faults()
            .failNext(
                1 + rnd.nextInt(2),
                rnd.nextBoolean() ? 500 : 503,
                RequestMatcher.methodAndKey("PUT", key));
        client.putObject(BUCKET, key, plain, null);
        ossServer.faults().clear();
        Path target = tmp.resolve("put-" + i);
        Outcome outcome = download(rsaClient, key, target, plain, null);
        assertThat(outcome).isEqualTo(Outcome.SURVIVED);
        assertThat(finish(key, outcome)).contains(Kind.ERROR_STATUS);
      }
    } finally {
      retrying.shutdown();
    }
  }

  @Test
  void multipartUpload_thatCannotFinish_isAborted() throws Exception {
    String key = "mp/doomed";
    ossServer.faults().failNext(Integer.MAX_VALUE, 503, RequestMatcher.methodAndKey("PUT", key));
    MultipartUploader up =
        MultipartUploader.builder(rsaClient.core()).partSize(16 * 1024).partAttempts(2).build();
    byte[] plain = new byte[70_000];
    Throwable t =
        catchThrowable(
            () -> up.upload(BUCKET, key, new ByteArrayInputStream(plain), plain.length, null));
    ossServer.faults().clear();
    assertThat(t).isInstanceOf(MultipartUploadException.class);
    assertThat(((MultipartUploadException) t).aborted()).isTrue();
    assertThat(
            direct
                .listMultipartUploads(new ListMultipartUploadsRequest(BUCKET))
                .getMultipartUploads()
                .stream()
                .filter(u -> u.getKey().equals(key)))
        .isEmpty();
    assertThat(direct.doesObjectExist(BUCKET, key)).isFalse();
    assertThat(finish(key, Outcome.REFUSED)).contains(Kind.ERROR_STATUS);
  }

  @Test
  void download_thatCannotFinish_leavesNoFile_andKeepsAnOldTarget() throws Exception {
    byte[] plain = new byte[50_000];
    new SplittableRandom(SEED).nextBytes(plain);
    rsaClient.putObject(BUCKET, "dl/doomed", plain, null);
    finish("dl/doomed", Outcome.SURVIVED);
    Path dir = Files.createDirectories(tmp.resolve("doomed"));
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
    assertThat(finish("dl/doomed", Outcome.REFUSED)).contains(Kind.RESET);
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
    assertThat(finish("dl/doomed", Outcome.REFUSED)).containsOnly(Kind.CORRUPT_BODY);
  }
}
