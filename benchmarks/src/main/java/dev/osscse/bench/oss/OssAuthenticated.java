package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.OssCseProviders;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The cost of authenticated objects (docs/authenticated-objects.md): PUT, whole GET and a 1 MiB
 * ranged GET with {@link OssCseClient} against the local OSS endpoint on 127.0.0.1, {@code auth}
 * {@code off} (untagged object, plain reads) or {@code on} (written with {@code authenticate}, read
 * with {@code requireAuthentication}: the companion record PUT and GET and the HMAC-SHA256 of every
 * chunk are included). Same input as {@link OssTransfer}; client and server share the cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1500m", "-Xmx1500m"})
public class OssAuthenticated {
  private static final String KEY = "object";
  private static final int RANGE = 1 << 20;

  @Param({"off", "on"})
  public String auth;

  /**
   * {@code inprocess}: the endpoint in this JVM; {@code external}: in a JVM of its own, so that
   * {@code -prof dev.osscse.bench.oss.ProcessCpuProfiler} measures the client's CPU alone.
   */
  @Param({"inprocess"})
  public String endpoint;

  /** Object size in bytes; 64 MiB by default. */
  @Param({"67108864"})
  public int size;

  private OssFixture fixture;
  private OSS oss;
  private OssCseClient writer;
  private OssCseClient reader;
  private byte[] data;
  private final byte[] sink = new byte[1 << 16];
  private long[] rangeStarts;
  private int next;

  /** Starts the endpoint, builds the clients and uploads the object once. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    boolean on =
        switch (auth) {
          case "on" -> true;
          case "off" -> false;
          default -> throw new IllegalArgumentException("auth must be on or off, got " + auth);
        };
    fixture = endpoint.equals("external") ? OssFixture.external() : OssFixture.inProcess(0);
    oss = fixture.plainClient();
    MasterKey master = MasterKey.rsa(OssFixture.rsaKeyPair(), Map.of());
    writer =
        OssCseClient.builder(oss)
            .provider(OssCseProviders.provider())
            .encryptWith(master)
            .authenticate(on)
            .build();
    reader =
        OssCseClient.builder(oss)
            .provider(OssCseProviders.provider())
            .encryptWith(master)
            .requireAuthentication(on)
            .build();
    data = OssFixture.randomBytes(size);
    OssTransfer.upload(oss, writer, OssTransfer.BUCKET, KEY, data);
    OssFixture.checkReadBack(open(null), data, "read back different bytes than written");
    rangeStarts = OssFixture.rangeStarts(size, RANGE);
  }

  /** Stops the endpoint and deletes its files. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (fixture != null) {
      fixture.close();
    }
  }

  private InputStream open(ByteRange range) throws IOException, GeneralSecurityException {
    UnauthenticatedObjectStream in = reader.getObject(OssTransfer.BUCKET, KEY, range);
    return in;
  }

  private long drain(InputStream in) throws IOException {
    return OssTransfer.drain(in, sink);
  }

  /** Uploads the whole object (and, when on, its record). */
  @Benchmark
  public String put() throws IOException, GeneralSecurityException {
    return OssTransfer.upload(oss, writer, OssTransfer.BUCKET, "put", data);
  }

  /** Reads the whole object (when on: the record, then every chunk verified). */
  @Benchmark
  public long get() throws IOException, GeneralSecurityException {
    try (InputStream in = open(null)) {
      return drain(in);
    }
  }

  /** Reads 1 MiB from a random offset (when on: the two chunks it spans, each verified). */
  @Benchmark
  public long rangedGet1MiB() throws IOException, GeneralSecurityException {
    long start = rangeStarts[next++ & (rangeStarts.length - 1)];
    try (InputStream in = open(ByteRange.of(start, start + RANGE - 1))) {
      return drain(in);
    }
  }
}
