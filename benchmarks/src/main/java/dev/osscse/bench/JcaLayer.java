package dev.osscse.bench;

import java.security.AlgorithmParameters;
import java.security.Key;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one JCA layer with nothing behind it: a {@link Cipher} over a provider whose {@code
 * AES/CTR/NoPadding} SPI does no work. An OssCse cipher is such a layer around a SunJCE cipher (the
 * only way to SunJCE's AES-CTR intrinsic is a SunJCE {@code Cipher}), so SunJCE's time plus this
 * one is the floor of ours: it bounds the ratio a seek or a set-up can reach against SunJCE.
 *
 * <p>{@link #initAndUpdate4KiB} is the outer half of a seek + 4 KiB read ({@code init} with a new
 * IV, one {@code update}); {@link #getInstanceAndInit} the outer half of a per-object set-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class JcaLayer {
  private static final int KEYS = 64;

  private final Provider none = new NoWorkProvider();
  private Cipher cipher;
  private final SecretKeySpec key = Fixtures.aesKey(1);
  private final byte[] counter = Fixtures.iv(2);
  private final byte[] in = Fixtures.bytes(5, 4096);
  private final byte[] out = new byte[4096 + 16];
  private final byte[][] keys = new byte[KEYS][];
  private final byte[][] ivs = new byte[KEYS][];
  private int next;

  /** Builds the cipher over the no-work provider. */
  @Setup
  public void setUp() throws Exception {
    cipher = Cipher.getInstance(Fixtures.AES_CTR, none);
    for (int i = 0; i < KEYS; i++) {
      keys[i] = Fixtures.bytes(100 + i, 32);
      ivs[i] = Fixtures.iv(200 + i);
    }
  }

  /** {@code init} with a new IV object and one 4 KiB {@code update}, through a no-work SPI. */
  @Benchmark
  public int initAndUpdate4KiB() throws Exception {
    counter[15]++;
    cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
    return cipher.update(in, 0, in.length, out, 0);
  }

  /** {@code getInstance} plus {@code init} with a fresh key, through a no-work SPI. */
  @Benchmark
  public Cipher getInstanceAndInit() throws Exception {
    int i = next++ & (KEYS - 1);
    Cipher c = Cipher.getInstance(Fixtures.AES_CTR, none);
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[i], "AES"), new IvParameterSpec(ivs[i]));
    return c;
  }

  /** A provider with one cipher service whose SPI does nothing. */
  static final class NoWorkProvider extends Provider {
    private static final long serialVersionUID = 1L;

    NoWorkProvider() {
      super("JcaLayerNoWork", "1", "one AES/CTR/NoPadding service that does no work");
      putService(
          new Service(this, "Cipher", Fixtures.AES_CTR, NoWorkSpi.class.getName(), null, null) {
            @Override
            public Object newInstance(Object param) {
              return new NoWorkSpi();
            }
          });
    }
  }

  /** Accepts every call and computes nothing; {@code update} reports the input as processed. */
  static final class NoWorkSpi extends CipherSpi {
    @Override
    protected void engineSetMode(String mode) {}

    @Override
    protected void engineSetPadding(String padding) {}

    @Override
    protected int engineGetBlockSize() {
      return 16;
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
      return inputLen;
    }

    @Override
    protected byte[] engineGetIV() {
      return null;
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
      return null;
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) {}

    @Override
    protected void engineInit(
        int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random) {}

    @Override
    protected void engineInit(
        int opmode, Key key, AlgorithmParameters params, SecureRandom random) {}

    @Override
    protected byte[] engineUpdate(byte[] input, int off, int len) {
      return new byte[len];
    }

    @Override
    protected int engineUpdate(byte[] input, int off, int len, byte[] output, int outOff) {
      return len;
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int off, int len) {
      return new byte[len];
    }

    @Override
    protected int engineDoFinal(byte[] input, int off, int len, byte[] output, int outOff) {
      return len;
    }
  }
}
