package dev.osscse.bench;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory bound of an out-of-place call: one {@code System.arraycopy} of {@code size} bytes from
 * one array into another, the same traffic as {@code AesCtrUpdate.outOfPlace} without the AES. Its
 * time is the floor for a CTR call of the same size once the data no longer fits in the caches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MemoryCopy {
  @Param({"16384", "1048576", "67108864"})
  public int size;

  private byte[] in;
  private byte[] out;

  /** Fills the source once per fork. */
  @Setup
  public void setUp() {
    in = Fixtures.bytes(3, size);
    out = new byte[size];
  }

  /** Copies {@code size} bytes from one array into another. */
  @Benchmark
  public byte[] arraycopy() {
    System.arraycopy(in, 0, out, 0, size);
    return out;
  }
}
