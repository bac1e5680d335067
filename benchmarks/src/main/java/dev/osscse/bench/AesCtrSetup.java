package dev.osscse.bench;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * Per-object cipher setup: {@code Cipher.getInstance} plus {@code init} with a fresh key, as done
 * once for every object read or written (each object has its own content key and IV).
 *
 * <p>Keys rotate through 64 different values so that a provider's cache of the last key schedule
 * does not hide the key expansion.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class AesCtrSetup {
  private static final int KEYS = 64;

  @Param({"OssCse", "SunJCE", "BC"})
  public String provider;

  private Provider jca;
  private final byte[][] keys = new byte[KEYS][];
  private final byte[][] ivs = new byte[KEYS][];
  private int next;

  /** Resolves the provider and draws the keys. */
  @Setup
  public void setUp() {
    jca = Providers.named(provider);
    for (int i = 0; i < KEYS; i++) {
      keys[i] = Fixtures.bytes(100 + i, 32);
      ivs[i] = Fixtures.iv(200 + i);
    }
  }

  /** Builds a cipher for one object. */
  @Benchmark
  public Cipher getInstanceAndInit() throws GeneralSecurityException {
    int i = next++ & (KEYS - 1);
    Cipher cipher = Cipher.getInstance(Fixtures.AES_CTR, jca);
    cipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[i], "AES"), new IvParameterSpec(ivs[i]));
    return cipher;
  }
}
