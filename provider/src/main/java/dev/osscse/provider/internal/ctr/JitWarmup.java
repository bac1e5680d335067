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
 * right after start-up would spend most of that call in slow code. On the first use of AES-CTR this
 * class starts one short-lived daemon thread that makes about ten thousand 16-byte calls on its own
 * SunJCE cipher (an all-zero key, output discarded), so the compilation is queued within a few tens
 * of milliseconds instead of after tens of MiB. Nothing depends on its outcome.
 *
 * <p>Set the system property {@value #PROPERTY} to {@code false} to turn it off.
 */
final class JitWarmup {
  /** System property that turns the warm-up off when {@code false}. */
  static final String PROPERTY = "dev.osscse.provider.aesCtrWarmup";

  private static final int CALLS = 10_000;
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private JitWarmup() {}

  /** Starts the warm-up thread unless it was started before or is turned off. */
  static void startOnce(Provider sunJce) {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      return;
    }
    Thread t = new Thread(() -> run(sunJce), "oss-cse-aes-ctr-jit-warmup");
    t.setDaemon(true);
    t.start();
  }

  private static void run(Provider sunJce) {
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding", sunJce);
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(new byte[16], "AES"),
          new IvParameterSpec(new byte[16]));
      byte[] in = new byte[16];
      byte[] out = new byte[16];
      for (int i = 0; i < CALLS; i++) {
        c.update(in, 0, in.length, out, 0);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // A performance hint only: if SunJCE refuses, the ciphers still work, just warm up later.
      return;
    }
  }
}
