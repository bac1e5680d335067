package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.common.utils.CRC64;
import dev.osscse.oss.aliyun.AliyunObjectStore;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.Checksum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * CRC-64/ECMA-182 ({@code x-oss-hash-crc64ecma}) of {@code size} bytes per call: the OSS SDK's
 * {@code CRC64} ({@code sdk}) against the binding's own ({@code binding}: the checksum {@link
 * AliyunObjectStore#newCrc64()} hands out, which the binding feeds in the AES pass when the SDK's
 * CRC check is off). 2 KiB is the SDK's read size on a PUT; 64 KiB a GET's.
 *
 * <pre>
 * java -jar benchmarks.jar 'dev.osscse.bench.oss.Crc64Rate' -p size=2048,65536
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
public class Crc64Rate {
  @Param({"2048", "65536", "1048576"})
  public int size;

  private byte[] data;
  private OSS oss;
  private Checksum binding;
  private final CRC64 sdk = new CRC64();

  /** Fills the input; the binding's checksum comes from an adapter over an unused client. */
  @Setup
  public void setUp() {
    data = new byte[size];
    new SplittableRandom(11).nextBytes(data);
    oss = OssTransfer.plainClient("http://127.0.0.1:9");
    binding = new AliyunObjectStore(oss).newCrc64();
  }

  /** Shuts the unused client down. */
  @TearDown
  public void tearDown() {
    oss.shutdown();
  }

  /** The SDK's {@code CRC64}. */
  @Benchmark
  public long sdk() {
    sdk.update(data, 0, size);
    return sdk.getValue();
  }

  /** The binding's CRC-64. */
  @Benchmark
  public long binding() {
    binding.update(data, 0, size);
    return binding.getValue();
  }
}
