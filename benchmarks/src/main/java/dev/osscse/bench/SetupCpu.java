package dev.osscse.bench;

import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-object set-up ({@code getInstance} + {@code init}, as {@link AesCtrSetup}) timed by the
 * thread's own CPU time rather than the wall clock, with the bytes it allocates, in a plain loop.
 *
 * <p>On a shared machine under load, wall-clock times mostly measure how long the thread waited for
 * a core; its CPU time does not include the waiting, so OssCse and SunJCE can be compared while
 * other work runs. One JVM per subject; each prints the median of the last rounds:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.osscse.bench.SetupCpu OssCse
 * </pre>
 *
 * <p>Subjects: {@code OssCse}, {@code SunJCE}, {@code BC}, {@code layer} (one JCA layer over an SPI
 * that does nothing: {@link JcaLayer}) and {@code SunJCE+layer} (SunJCE's set-up, then a no-work
 * one with its own key and IV objects: what an OssCse set-up costs if its own part were free).
 */
public final class SetupCpu {
  private static final int KEYS = 64;
  private static final int OPS = 200_000;
  private static final int ROUNDS = 10;
  private static final int MEASURED = 5;

  private final Provider main;
  private final Provider layer;
  private final byte[][] keys = new byte[KEYS][];
  private final byte[][] ivs = new byte[KEYS][];
  private Cipher last;

  private SetupCpu(Provider main, Provider layer) {
    this.main = main;
    this.layer = layer;
    for (int i = 0; i < KEYS; i++) {
      keys[i] = Fixtures.bytes(100 + i, 32);
      ivs[i] = Fixtures.iv(200 + i);
    }
  }

  /**
   * Runs one subject and prints its allocation and median CPU time per set-up.
   *
   * @param args the subject
   * @throws GeneralSecurityException if a cipher cannot be built
   */
  public static void main(String[] args) throws GeneralSecurityException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: SetupCpu OssCse|SunJCE|BC|layer|SunJCE+layer");
    }
    String subject = args[0];
    Provider none = new JcaLayer.NoWorkProvider();
    SetupCpu run =
        switch (subject) {
          case "layer" -> new SetupCpu(none, null);
          case "SunJCE+layer" -> new SetupCpu(Providers.named(Providers.SUN_JCE), none);
          default -> new SetupCpu(Providers.named(subject), null);
        };
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    double[] cpu = new double[ROUNDS];
    double bytes = 0;
    for (int r = 0; r < ROUNDS; r++) {
      long b0 = mx.getCurrentThreadAllocatedBytes();
      long c0 = mx.getCurrentThreadCpuTime();
      run.loop();
      long c1 = mx.getCurrentThreadCpuTime();
      long b1 = mx.getCurrentThreadAllocatedBytes();
      cpu[r] = (c1 - c0) / (double) OPS;
      bytes = (b1 - b0) / (double) OPS;
    }
    double[] tail = Arrays.copyOfRange(cpu, ROUNDS - MEASURED, ROUNDS);
    Arrays.sort(tail);
    System.out.printf(
        Locale.ROOT,
        "%s: %.0f B/op, thread CPU %.1f ns/op (median of the last %d rounds of %d; %.1f-%.1f)%n",
        subject,
        bytes,
        tail[MEASURED / 2],
        MEASURED,
        OPS,
        tail[0],
        tail[MEASURED - 1]);
    if (run.last == null) {
      throw new IllegalStateException("no cipher built");
    }
  }

  private void loop() throws GeneralSecurityException {
    for (int k = 0; k < OPS; k++) {
      int i = k & (KEYS - 1);
      last = setUp(main, i);
      if (layer != null) {
        last = setUp(layer, i);
      }
    }
  }

  private Cipher setUp(Provider p, int i) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(Fixtures.AES_CTR, p);
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[i], "AES"), new IvParameterSpec(ivs[i]));
    return c;
  }
}
