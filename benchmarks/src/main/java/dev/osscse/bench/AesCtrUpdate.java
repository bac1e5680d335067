package dev.osscse.bench;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
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
 * Steady-state {@code AES/CTR/NoPadding} throughput: one {@code update} of {@code size} bytes on a
 * cipher that is initialised once and reused, so the keystream simply runs on.
 *
 * <p>{@link #outOfPlace} reads one array and writes another; {@link #inPlace} passes the same array
 * and offset as input and output, the shape a streaming decryptor uses. Run with {@code -prof gc}
 * to see {@code gc.alloc.rate.norm}, the bytes allocated per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AesCtrUpdate {
  @Param({"OssCse", "SunJCE", "BC"})
  public String provider;

  @Param({"64", "16384", "1048576", "67108864"})
  public int size;

  private Cipher cipher;
  private byte[] in;
  private byte[] out;
  private byte[] inOut;

  /** Builds the cipher and buffers once per fork. */
  @Setup
  public void setUp() throws GeneralSecurityException {
    Fixtures.checkCtrAgainstSunJce(Providers.named(provider));
    cipher = Cipher.getInstance(Fixtures.AES_CTR, Providers.named(provider));
    cipher.init(Cipher.ENCRYPT_MODE, Fixtures.aesKey(1), new IvParameterSpec(Fixtures.iv(2)));
    in = Fixtures.bytes(3, size);
    out = new byte[size];
    inOut = in.clone();
  }

  /** Encrypts {@code size} bytes from one array into another. */
  @Benchmark
  public int outOfPlace() throws ShortBufferException {
    return cipher.update(in, 0, size, out, 0);
  }

  /** Encrypts {@code size} bytes in place (input and output are the same array and offset). */
  @Benchmark
  public int inPlace() throws ShortBufferException {
    return cipher.update(inOut, 0, size, inOut, 0);
  }
}
