package dev.osscse.provider.internal.ctr;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JIT warm-up policy of AES-CTR: how big the bulk chunks handed to the JDK's AES-CTR are, and
 * getting that code compiled early. It changes speed only, never output.
 *
 * <p><b>Why.</b> SunJCE's counter-mode loop runs as a HotSpot intrinsic (several GB/s) only after
 * C2 has compiled its callers, which takes tens of thousands of calls; before that it runs at 0.2
 * to 0.6 GB/s. A program that decrypts one large object right after start-up would spend that whole
 * call in slow code, and a big chunk given to slow code stays slow for its whole length.
 *
 * <p><b>Chunks.</b> While the JVM is <em>cold</em>, {@link AesCtrEngine} hands bulk data over in
 * timed chunks of {@value #COLD_CHUNK} bytes; the first that runs at intrinsic speed ({@link
 * #isFast}) marks the JVM <em>hot</em>, a JVM-wide flag. While hot, chunks are {@value #HOT_CHUNK}
 * bytes (few calls, so a huge call stays cheap even while the engine's own loop is interpreted),
 * and a full chunk slower than intrinsic speed sends the JVM back to cold (the compiled code was
 * thrown away). The flag is the only shared state; a racy read picks a chunk size, nothing else.
 *
 * <p><b>When the warm-up starts.</b> When the first {@code OssCseProvider} of the JVM is created
 * (or the first engine, whichever comes first), {@link #startOnce} starts one daemon thread,
 * {@value #THREAD_NAME}. It looks up SunJCE itself, so the JDK loads its provider list on that
 * thread while the caller builds the provider and sets up the JCA; then it makes {@value
 * #CALL_SIZE}-byte calls on its own SunJCE cipher (all-zero key, output discarded), so HotSpot's
 * tiered thresholds queue the C2 compilation of SunJCE's chain within milliseconds. Every {@value
 * #PROBE_EVERY} calls it times one {@value #COLD_CHUNK}-byte call and stops as soon as that runs at
 * intrinsic speed (or an engine has seen it do so). Then it runs the engine's bulk loop on small
 * inputs until C2 compiles it ({@link AesCtrEngine#compileBulkLoop}).
 *
 * <p><b>Waiting for it.</b> A bulk call of at least {@value #WAIT_MIN} bytes that finds the JVM
 * cold while the thread runs first waits for the JVM to turn hot ({@link #awaitHot}), at most
 * {@value #WAIT_NANOS_PER_MIB} ns per MiB of the call and {@value #MAX_WAIT_NANOS} ns in all, then
 * goes on in whichever chunks the flag then picks. Running the slow code instead would take longer
 * than the wait, make the AES block function hot (C2 then compiles that first, for tens of
 * milliseconds) and take a core from the compiler.
 *
 * <p><b>What it costs.</b> At most half a second of one thread's CPU after start-up (typically 20
 * to 60 ms of it on the 2-core benchmark machine), also in an application that creates the provider
 * and never uses AES-CTR, a few KiB of garbage, and one {@code System.nanoTime} call per cold chunk
 * and per full hot chunk. In a JVM without C2 (C1 only) the intrinsic never comes: the thread gives
 * up after half a second and bulk calls keep the small chunks; a purely interpreted JVM ({@code
 * -Xint}) starts no thread.
 *
 * <p><b>How to turn it off.</b> {@code -D}{@value #PROPERTY}{@code =false} starts no thread; the
 * chunk sizing stays (it costs nothing once hot), so the JVM then turns hot on its own after enough
 * real calls.
 */
final class AesCtrWarmup {
  /** System property that turns the warm-up thread off when {@code false}. */
  static final String PROPERTY = "dev.osscse.provider.aesCtrWarmup";

  /** Name of the warm-up thread. */
  static final String THREAD_NAME = "oss-cse-aes-ctr-jit-warmup";

  /**
   * Chunk size while the JVM is cold. Small chunks add up invocations quickly, which is what gets
   * C2 to compile the loop, and none runs long at the slow rate.
   */
  static final int COLD_CHUNK = 4096;

  /**
   * Chunk size once the JVM is hot. Large enough that a huge call makes few source calls, and at
   * most 102,400 bytes: newer JDKs (25 here) split longer calls in {@code CounterMode.crypt}, and a
   * compiled caller that has never seen one deoptimizes at the first and runs slow code for tens of
   * milliseconds (a fresh JVM's first 64 MiB call took 14 ms with 1 MiB chunks, 4 ms with these).
   */
  static final int HOT_CHUNK = 100 * 1024;

  /**
   * A cold chunk faster than this (nanoseconds for {@value #COLD_CHUNK} bytes, about 1 GB/s) ran on
   * the intrinsic. The slow code needs 7 to 20 us; the intrinsic about 0.3 us plus up to about 3 us
   * of call overhead while SunJCE's callers are not yet compiled.
   */
  private static final long HOT_NANOS = 4_000;

  /**
   * A full {@value #HOT_CHUNK}-byte chunk slower than this (nanoseconds, about 1 GB/s; the
   * intrinsic needs about 5 us) means the source is no longer running the intrinsic.
   */
  private static final long SLOW_HOT_NANOS = HOT_CHUNK;

  /**
   * Upper bound on the warm-up thread's time. C2 compiles SunJCE's chain one method at a time: on
   * the 2-core benchmark machine the caller that takes the intrinsic is ready 15 to 30 ms after the
   * thread's first call when the machine is quiet, and after well over 100 ms (and anywhere from
   * 16,000 to over a million calls) when it is busy, so a bound on the call count would let the
   * thread stop early.
   */
  private static final long MAX_NANOS = 500_000_000L;

  /**
   * Bytes per small warm-up call. One byte: each call is one invocation of every method of SunJCE's
   * chain, and only every sixteenth runs the AES block function. That keeps C2's first choice on
   * the chain: the block function's Java code is large (about 950 bytecodes, tens of milliseconds
   * of C2 time on a busy 2-core machine) and useless once the chain takes the intrinsic, and with
   * 32-byte calls it got hot first.
   */
  private static final int CALL_SIZE = 1;

  /**
   * Small calls between two timed probe calls: the probe runs the block function 256 times, so it
   * comes seldom enough to keep that function colder than the chain.
   */
  private static final int PROBE_EVERY = 16_384;

  /** Bulk calls at least this long wait for the warm-up thread while the JVM is cold. */
  static final int WAIT_MIN = 1 << 20;

  /**
   * How long a cold bulk call waits for the warm-up thread, per MiB of the call (nanoseconds). The
   * slow code needs 2 to 5 ms per MiB, so a wait that ends without the intrinsic costs the call at
   * most a fifth to a half more.
   */
  static final long WAIT_NANOS_PER_MIB = 1_000_000L;

  /** Upper bound on one call's wait (nanoseconds). */
  static final long MAX_WAIT_NANOS = 100_000_000L;

  /** How often a waiting call looks at the hot flag (nanoseconds). */
  private static final long POLL_NANOS = 100_000L;

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  // True while the warm-up thread runs; cold bulk calls wait for it only then.
  private static final AtomicBoolean RUNNING = new AtomicBoolean();

  // JVM-wide speed heuristic that only picks a chunk size; a racy read is harmless. Volatile so the
  // warm-up thread sees it.
  private static volatile boolean hot;

  private AesCtrWarmup() {}

  /** The size of the next bulk chunk when {@code rest} bytes remain. */
  static int chunk(int rest) {
    return !hot && rest >= COLD_CHUNK ? COLD_CHUNK : Math.min(HOT_CHUNK, rest);
  }

  /** Whether a chunk of this size (from {@link #chunk}) is timed. */
  static boolean timed(int n) {
    return hot ? n == HOT_CHUNK : n == COLD_CHUNK;
  }

  /** Records how long a timed chunk took: a fast cold chunk marks hot, a slow hot one cold. */
  static void record(int n, long nanos) {
    if (n == HOT_CHUNK && hot) {
      if (nanos > SLOW_HOT_NANOS) {
        hot = false;
      }
    } else if (n == COLD_CHUNK && isFast(nanos)) {
      hot = true;
    }
  }

  /** Whether a bulk call in this JVM has seen the source run at intrinsic speed. */
  static boolean isHot() {
    return hot;
  }

  /** Records that the source has run at intrinsic speed in this JVM. */
  static void markHot() {
    hot = true;
  }

  /** Sets whether bulk calls see the warm-up thread as running (for tests). */
  static void markRunning(boolean isRunning) {
    RUNNING.set(isRunning);
  }

  /** Forgets that the JVM is hot, so the next bulk calls time small chunks again (for tests). */
  static void markCold() {
    hot = false;
  }

  /**
   * Whether {@value #COLD_CHUNK} bytes of keystream in this many nanoseconds is intrinsic speed.
   */
  static boolean isFast(long nanos) {
    return nanos < HOT_NANOS;
  }

  /**
   * Starts the warm-up thread unless it was started before or is turned off. The thread looks up
   * SunJCE itself, so the caller does not wait for the JDK's provider list.
   */
  static void startOnce() {
    if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
      return; // a plain read first: every cipher object passes here, and a CAS writes the line
    }
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))
        || System.getProperty("java.vm.info", "").contains("interpreted mode")) {
      return; // turned off, or no JIT compiler to warm up
    }
    RUNNING.set(true);
    try {
      Thread t = new Thread(new Runner(), THREAD_NAME);
      t.setDaemon(true);
      t.start();
    } catch (OutOfMemoryError | RuntimeException e) {
      // No native thread left, or thread creation denied: a speed hint only, and this may run in
      // the provider's class initialiser, which must not fail for it.
      RUNNING.set(false);
    }
  }

  /**
   * How long a cold bulk call of {@code len} bytes waits for the warm-up thread: {@value
   * #WAIT_NANOS_PER_MIB} ns per whole MiB, at most {@value #MAX_WAIT_NANOS} ns; 0 below {@value
   * #WAIT_MIN} bytes.
   */
  static long waitBudgetNanos(int len) {
    return len < WAIT_MIN ? 0 : Math.min(MAX_WAIT_NANOS, (len >>> 20) * WAIT_NANOS_PER_MIB);
  }

  /**
   * Lets a bulk call of {@code len} bytes made while the JVM is cold wait for the warm-up thread to
   * get SunJCE's chain compiled, rather than run it in slow code: the slow code would take longer
   * than the wait, and running it would delay the compilation (it makes the block function hot, and
   * takes a core from the compiler on a small machine). Returns when the JVM is hot, the thread has
   * ended, the budget ({@link #waitBudgetNanos}) is spent, or the calling thread is interrupted
   * (its interrupt status is kept).
   */
  static void awaitHot(int len) {
    long budget = waitBudgetNanos(len);
    if (hot || !RUNNING.get() || budget == 0) {
      return;
    }
    long end = System.nanoTime() + budget;
    while (!hot && RUNNING.get() && !Thread.currentThread().isInterrupted()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(Math.min(left, POLL_NANOS));
    }
  }

  /** The thread's body; a class of its own, not a lambda, so starting it spins no hidden class. */
  private static final class Runner implements Runnable {
    @Override
    public void run() {
      try {
        Provider sunJce = JdkAesCtrKeystream.sunJceAesOrNull();
        if (sunJce != null) {
          AesCtrWarmup.run(sunJce);
        }
      } finally {
        RUNNING.set(false);
      }
    }
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
      byte[] in = new byte[COLD_CHUNK];
      byte[] out = new byte[COLD_CHUNK];
      long start = System.nanoTime();
      for (int i = 1; !hot; i++) {
        c.update(in, 0, CALL_SIZE, out, 0);
        if (i % PROBE_EVERY == 0) {
          long t0 = System.nanoTime();
          c.update(in, 0, COLD_CHUNK, out, 0);
          long t1 = System.nanoTime();
          if (isFast(t1 - t0)) {
            hot = true;
          } else if (t1 - start > MAX_NANOS) {
            return; // no C2 (-Xint, TieredStopAtLevel=1) or a starved machine: give up
          }
        }
      }
      AesCtrEngine.compileBulkLoop();
    } catch (GeneralSecurityException | RuntimeException e) {
      // A performance hint only: if SunJCE refuses, the ciphers still work, just warm up later.
      return;
    }
  }
}
