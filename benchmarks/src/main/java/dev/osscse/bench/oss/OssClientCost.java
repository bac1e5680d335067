package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
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
 * What the client itself spends: whole-object PUT and GET through the OSS SDK against the local OSS
 * endpoint running in a JVM process of its own ({@link ExternalEndpoint}), so that the process CPU
 * time of the benchmark JVM is the client's. Run with {@code -prof
 * dev.osscse.bench.oss.ProcessCpuProfiler} for the CPU time per operation ({@code cpu.time.norm})
 * beside the wall time.
 *
 * <p>{@code client} as in {@link OssTransfer}: {@code plain}, {@code official} or {@code OssCse}.
 * All three upload the same input ({@link OssTransfer#upload}) and read the whole body through a 64
 * KiB buffer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1500m", "-Xmx1500m"})
public class OssClientCost {
  private static final String BUCKET = OssTransfer.BUCKET;
  private static final String KEY = "object";

  @Param({"plain", "official", "OssCse"})
  public String client;

  /** Object size in bytes; 256 MiB by default. */
  @Param({"268435456"})
  public int size;

  private OssFixture fixture;
  private OSS oss;
  private OssCseClient cse;
  private byte[] data;
  private final byte[] sink = new byte[1 << 16];

  /** Starts the endpoint process, builds the client and uploads the object once. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    fixture = OssFixture.external();
    oss = fixture.sdkClientFor(client);
    if (client.equals("OssCse")) {
      cse = OssTransfer.cseClient(oss);
    }
    data = OssFixture.randomBytes(size);
    OssTransfer.upload(oss, cse, BUCKET, KEY, data);
    OssFixture.checkReadBack(
        OssTransfer.open(oss, cse, BUCKET, KEY, null),
        data,
        client + " read back different bytes than it wrote");
  }

  /** Shuts the client down and stops the endpoint process. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Uploads the whole object. */
  @Benchmark
  public String put() throws IOException, GeneralSecurityException {
    return OssTransfer.upload(oss, cse, BUCKET, "put", data);
  }

  /** Downloads and reads the whole object. */
  @Benchmark
  public long get() throws IOException, GeneralSecurityException {
    try (InputStream in = OssTransfer.open(oss, cse, BUCKET, KEY, null)) {
      return OssTransfer.drain(in, sink);
    }
  }
}
