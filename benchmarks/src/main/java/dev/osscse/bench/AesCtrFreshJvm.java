package dev.osscse.bench;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
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
 * One 64 MiB {@code doFinal} in a JVM that has not run the cipher before (single-shot mode, no
 * warm-up, one call per fork).
 *
 * <p>This is the shape of "decrypt one downloaded object and exit" (a CLI, a batch job). SunJCE's
 * CTR loop is one Java method that only reaches its AES-NI intrinsic once the JIT compiles it, and
 * a single 64 MiB call never returns to be recompiled, so it runs interpreted or OSR-compiled
 * without the intrinsic. Several forks give a spread; the figure is time per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(
    value = 5,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class AesCtrFreshJvm {
  /** 64 MiB. */
  public static final int SIZE = 64 << 20;

  @Param({"OssCse", "SunJCE", "BC"})
  public String provider;

  private Cipher cipher;
  private byte[] in;
  private byte[] out;

  /** Builds the cipher and buffers; not timed. */
  @Setup
  public void setUp() throws GeneralSecurityException {
    cipher = Cipher.getInstance(Fixtures.AES_CTR, Providers.named(provider));
    cipher.init(Cipher.ENCRYPT_MODE, Fixtures.aesKey(1), new IvParameterSpec(Fixtures.iv(2)));
    in = new byte[SIZE];
    out = new byte[SIZE];
  }

  /** Encrypts 64 MiB in one call. */
  @Benchmark
  public int oneShot64MiB() throws GeneralSecurityException {
    return cipher.doFinal(in, 0, SIZE, out, 0);
  }
}
