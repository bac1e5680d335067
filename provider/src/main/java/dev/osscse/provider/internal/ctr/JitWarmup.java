package dev.osscse.provider.internal.ctr;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JDK's AES-CTR intrinsic compiled early, once per JVM.
 *
 * <p>SunJCE's counter-mode loop runs as a HotSpot intrinsic only after the JIT has compiled its
 * callers with C2, which takes several thousand calls. A program that decrypts one large object
 * right after start-up would spend most of that call in slow code. On the first use of AES-CTR (the
 * provider's self-tests, so at provider construction) this class starts one short-lived daemon
 * thread that makes {@value #CALL_SIZE}-byte calls on its own SunJCE cipher (an all-zero key,
 * output discarded), so HotSpot's tiered thresholds queue the C2 compilation within milliseconds.
 * Every {@value #PROBE_EVERY} calls it times one {@value AesCtrEngine#COLD_CHUNK}-byte probe call
 * and stops as soon as that runs at intrinsic speed (or an engine has seen it do so), or after half
 * a second, so it does not compete with real work for CPU longer than needed. Nothing depends on
 * its outcome.
 *
 * <p>Set the system property {@value #PROPERTY} to {@code false} to turn it off.
 */
final class JitWarmup {
  /** System property that turns the warm-up off when {@code false}. */
  static final String PROPERTY = "dev.osscse.provider.aesCtrWarmup";

  /**
   * Upper bound on the time spent. C2 compiles SunJCE's chain one method at a time, and the caller
   * that takes the intrinsic comes last: 50 to 120 ms after the thread starts on the 2-core
   * benchmark machine, after anywhere from 45,000 to 180,000 calls, so a bound on the call count
   * (20,000, later 200,000) let the thread stop early in some JVMs. In a JVM without C2
   * (interpreter only, or C1 only) the intrinsic never comes and the thread gives up here.
   */
  private static final long MAX_NANOS = 500_000_000L;

  /** Bytes per small call: cheap calls, each one an invocation and 32 loop iterations. */
  private static final int CALL_SIZE = 32;

  /** Small calls between two timed probe calls. */
  private static final int PROBE_EVERY = 256;

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /** Name of the warm-up thread. */
  static final String THREAD_NAME = "oss-cse-aes-ctr-jit-warmup";

  private JitWarmup() {}

  /** Starts the warm-up thread unless it was started before or is turned off. */
  static void startOnce(Provider sunJce) {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      return;
    }
    Thread t = new Thread(() -> run(sunJce), THREAD_NAME);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits up to {@code millis} for the warm-up thread to end, if it is running. For tests that set
   * the JVM-wide hot flag themselves, which the thread would otherwise set behind their back.
   */
  static void awaitEnd(long millis) throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(THREAD_NAME)) {
        t.join(millis);
      }
    }
  }

  private static void run(Provider sunJce) {
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding", sunJce);
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(new byte[16], "AES"),
          new IvParameterSpec(new byte[16]));
      byte[] in = new byte[AesCtrEngine.COLD_CHUNK];
      byte[] out = new byte[AesCtrEngine.COLD_CHUNK];
      long start = System.nanoTime();
      for (int i = 1; !AesCtrEngine.isHot(); i++) {
        c.update(in, 0, CALL_SIZE, out, 0);
        if (i % PROBE_EVERY == 0) {
          long t0 = System.nanoTime();
          c.update(in, 0, AesCtrEngine.COLD_CHUNK, out, 0);
          long t1 = System.nanoTime();
          if (AesCtrEngine.isFast(t1 - t0)) {
            AesCtrEngine.markHot();
          } else if (t1 - start > MAX_NANOS) {
            return; // no C2 (-Xint, TieredStopAtLevel=1) or a starved machine: give up
          }
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // A performance hint only: if SunJCE refuses, the ciphers still work, just warm up later.
      return;
    }
  }
}
