package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import dev.osscse.local.oss.LocalOssServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole-object PUT and GET, and a 1 MiB ranged GET, through the OSS SDK against the local OSS
 * endpoint on 127.0.0.1 (objects streamed to disk there).
 *
 * <p>{@code client} is {@code plain} (the SDK's {@code OSSClient}, no encryption: the floor) or
 * {@code official} (the SDK's {@code OSSEncryptionClient} with RSA materials: the baseline). Client
 * and server share the machine's cores, so the figures are end-to-end costs on one host, not
 * network throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1500m", "-Xmx1500m"})
public class OssTransfer {
  private static final String BUCKET = "bench";
  private static final String KEY = "object";
  private static final String AK = "bench-ak";
  private static final String SK = "bench-sk";
  private static final int RANGE = 1 << 20;

  @Param({"plain", "official"})
  public String client;

  /** Object size in bytes; 256 MiB by default. */
  @Param({"268435456"})
  public int size;

  private Path dir;
  private LocalOssServer server;
  private OSS oss;
  private byte[] data;
  private final byte[] sink = new byte[1 << 16];
  private long[] rangeStarts;
  private int next;

  /** Starts the local endpoint, builds the client and uploads the object once. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    dir = Files.createTempDirectory("oss-cse-bench");
    server = LocalOssServer.builder().dataDirectory(dir).credentials(AK, SK).build().start();
    server.createBucket(BUCKET);
    switch (client) {
      case "plain":
        oss = new OSSClientBuilder().build(server.endpoint(), AK, SK);
        break;
      case "official":
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        oss =
            new OSSEncryptionClientBuilder()
                .build(
                    server.endpoint(),
                    new DefaultCredentialProvider(AK, SK),
                    new SimpleRSAEncryptionMaterials(generator.generateKeyPair()));
        break;
      default:
        throw new IllegalArgumentException("client must be plain or official, got " + client);
    }
    data = new byte[size];
    new SplittableRandom(9).nextBytes(data);
    oss.putObject(BUCKET, KEY, new ByteArrayInputStream(data));
    SplittableRandom random = new SplittableRandom(10);
    rangeStarts = new long[64];
    for (int i = 0; i < rangeStarts.length; i++) {
      rangeStarts[i] = random.nextLong(Math.max(1, size - RANGE));
    }
  }

  /** Stops the endpoint and deletes its files. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (oss != null) {
      oss.shutdown();
    }
    if (server != null) {
      server.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Uploads the whole object. */
  @Benchmark
  public String put() {
    return oss.putObject(BUCKET, "put", new ByteArrayInputStream(data)).getETag();
  }

  /** Downloads and reads the whole object. */
  @Benchmark
  public long get() throws IOException {
    try (OSSObject o = oss.getObject(BUCKET, KEY)) {
      return drain(o.getObjectContent());
    }
  }

  /** Downloads and reads 1 MiB from a random offset. */
  @Benchmark
  public long rangedGet1MiB() throws IOException {
    long start = rangeStarts[next++ & (rangeStarts.length - 1)];
    GetObjectRequest request =
        new GetObjectRequest(BUCKET, KEY).withRange(start, start + RANGE - 1);
    try (OSSObject o = oss.getObject(request)) {
      return drain(o.getObjectContent());
    }
  }

  private long drain(InputStream in) throws IOException {
    long total = 0;
    for (int n; (n = in.read(sink)) >= 0; ) {
      total += n;
    }
    return total;
  }
}
