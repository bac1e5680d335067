package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.OssCseProviders;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.time.Duration;
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
 * Repeated 1 MiB ranged GETs of one object through the OSS SDK against the local OSS endpoint on
 * 127.0.0.1: {@code plain} (the SDK's {@code OSSClient}, no encryption), {@code OssCse} (RSA master
 * key, every open unwraps the content key and the IV: two RSA-2048 private-key operations) and
 * {@code OssCseCached} (the same client with {@code cacheRsaContentKeys}: after the first open,
 * none).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1500m", "-Xmx1500m"})
public class OssRepeatedRangedGet {
  private static final String KEY = "object";
  private static final int RANGE = 1 << 20;

  @Param({"plain", "OssCse", "OssCseCached"})
  public String client;

  /** Object size in bytes; 256 MiB by default. */
  @Param({"268435456"})
  public int size;

  private OssFixture fixture;
  private OSS oss;
  private OssCseClient cse;
  private final byte[] sink = new byte[1 << 16];
  private long[] rangeStarts;
  private int next;

  /** Starts the local endpoint, builds the client and uploads the object once. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    fixture = OssFixture.inProcess(0);
    oss = fixture.plainClient();
    if (!client.equals("plain")) {
      OssCseClient.Builder b =
          OssCseClient.builder(oss)
              .provider(OssCseProviders.provider())
              .encryptWith(MasterKey.rsa(OssFixture.rsaKeyPair(), Map.of()));
      switch (client) {
        case "OssCse" -> {}
        case "OssCseCached" -> b.cacheRsaContentKeys(16, Duration.ofMinutes(10));
        default ->
            throw new IllegalArgumentException(
                "client must be plain, OssCse or OssCseCached, got " + client);
      }
      cse = b.build();
    }
    OssTransfer.upload(oss, cse, OssTransfer.BUCKET, KEY, OssFixture.randomBytes(size));
    rangeStarts = OssFixture.rangeStarts(size, RANGE);
  }

  /** Stops the endpoint and deletes its files. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Downloads and reads 1 MiB from a random offset of the same object. */
  @Benchmark
  public long rangedGet1MiB() throws IOException, GeneralSecurityException {
    long start = rangeStarts[next++ & (rangeStarts.length - 1)];
    try (InputStream in =
        OssTransfer.open(
            oss, cse, OssTransfer.BUCKET, KEY, ByteRange.of(start, start + RANGE - 1))) {
      return OssTransfer.drain(in, sink);
    }
  }
}
