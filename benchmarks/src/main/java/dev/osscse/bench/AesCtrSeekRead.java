package dev.osscse.bench;

import dev.osscse.provider.CtrParameterSpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
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
 * Seek to a random byte offset of a 1 GiB virtual object and decrypt 4 KiB from there.
 *
 * <p>{@code OssCse} re-initialises with {@link CtrParameterSpec}{@code (iv, offset)}. SunJCE and BC
 * have no seekable spec, so they get the fair baseline a careful caller writes: the counter block
 * {@code iv + offset / 16} by 128-bit addition, {@code init} with it, then {@code offset % 16}
 * bytes of keystream skipped through {@code update}. Offsets are random and unaligned, drawn from
 * the first MiB, the whole GiB or the last MiB ({@code region}), to show the cost is flat.
 *
 * <p>BC's CTR holds back a partial block on {@code update} (its output lags its input), so the
 * baseline decrypts into a window of 4 KiB + 16 bytes, flushes with {@code doFinal} when output is
 * still owed, and the plaintext starts {@code offset % 16} bytes into the window. SunJCE writes
 * everything at once and never needs the flush.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class AesCtrSeekRead {
  /** The virtual object's length, 1 GiB. */
  public static final long OBJECT_SIZE = 1L << 30;

  /** Bytes read after each seek. */
  public static final int READ = 4096;

  private static final int OFFSETS = 1024;

  @Param({"OssCse", "SunJCE", "BC"})
  public String provider;

  @Param({"first1MiB", "whole1GiB", "last1MiB"})
  public String region;

  private Cipher cipher;
  private SecretKeySpec key;
  private byte[] iv;
  private boolean seekable;
  private final long[] offsets = new long[OFFSETS];
  private int next;
  private final byte[] counter = new byte[16];
  private final byte[] skipIn = new byte[16];
  private final byte[] ciphertext = Fixtures.bytes(5, READ);
  private final byte[] window = new byte[READ + 16];

  /** Builds the cipher and draws the offsets. */
  @Setup
  public void setUp() throws GeneralSecurityException {
    cipher = Cipher.getInstance(Fixtures.AES_CTR, Providers.named(provider));
    key = Fixtures.aesKey(1);
    iv = Fixtures.iv(2);
    seekable = Providers.OSS_CSE.equals(provider);
    long lo =
        switch (region) {
          case "first1MiB", "whole1GiB" -> 0;
          case "last1MiB" -> OBJECT_SIZE - (1 << 20);
          default ->
              throw new IllegalArgumentException(
                  "region must be first1MiB, whole1GiB or last1MiB, got " + region);
        };
    long span = region.equals("whole1GiB") ? OBJECT_SIZE - READ : (1 << 20) - READ;
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < OFFSETS; i++) {
      offsets[i] = lo + random.nextLong(span);
    }
    check();
  }

  /**
   * Checks the seek path before timing it: a read at a small offset against SunJCE run from the
   * start of the stream, and a read at a far offset against SunJCE positioned by counter addition.
   */
  private void check() throws GeneralSecurityException {
    Cipher sun = Cipher.getInstance(Fixtures.AES_CTR, Providers.named(Providers.SUN_JCE));
    long near = 1007;
    sun.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
    sun.update(new byte[(int) near]);
    byte[] expectedNear = sun.update(ciphertext);
    long far = offsets[0];
    Fixtures.addBlocks(iv, far >>> 4, counter);
    sun.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
    sun.update(new byte[(int) (far & 15)]);
    byte[] expectedFar = sun.update(ciphertext);
    for (long[] probe : new long[][] {{near, 0}, {far, 1}}) {
      offsets[OFFSETS - 1] = probe[0];
      next = OFFSETS - 1;
      int start = seekThenRead4KiB();
      byte[] expected = probe[1] == 0 ? expectedNear : expectedFar;
      if (!Arrays.equals(expected, 0, READ, window, start, start + READ)) {
        throw new IllegalStateException(
            provider + " seek + read at offset " + probe[0] + " differs from SunJCE's");
      }
    }
    offsets[OFFSETS - 1] = offsets[0];
    next = 0;
  }

  /**
   * Seeks to the next offset and decrypts 4 KiB; returns where the plaintext starts in {@code
   * window}.
   */
  @Benchmark
  public int seekThenRead4KiB() throws GeneralSecurityException {
    long offset = offsets[next++ & (OFFSETS - 1)];
    int skip;
    int n;
    if (seekable) {
      cipher.init(Cipher.DECRYPT_MODE, key, new CtrParameterSpec(iv, offset));
      skip = 0;
      n = cipher.update(ciphertext, 0, READ, window, 0);
    } else {
      Fixtures.addBlocks(iv, offset >>> 4, counter);
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
      skip = (int) (offset & 15);
      n = skip == 0 ? 0 : cipher.update(skipIn, 0, skip, window, 0);
      n += cipher.update(ciphertext, 0, READ, window, n);
    }
    if (n < skip + READ) {
      cipher.doFinal(window, n);
    }
    return skip;
  }
}
