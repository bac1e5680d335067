package dev.osscse.provider.perf;

import dev.osscse.provider.CtrParameterSpec;
import dev.osscse.provider.OssCseProvider;
import java.lang.reflect.Method;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Allocation and time probe, not a test: bytes allocated per operation (ThreadMXBean) and
 * nanoseconds per operation, ours against SunJCE in one warmed JVM, for per-object setup ({@code
 * getInstance} + {@code init}) and seek + 4 KiB read.
 *
 * <p>{@code java -cp provider/target/classes:provider/target/test-classes
 * dev.osscse.provider.perf.AllocationProbe [rounds]}
 */
public final class AllocationProbe {
  private static final int OPS = 100_000;
  // Reflection: the provider's module does not read java.management, and the probe runs on the
  // class path where it is readable.
  private static Object mx;
  private static Method allocatedBytes;
  private static final SecretKeySpec KEY = new SecretKeySpec(new byte[32], "AES");
  private static final byte[] IV = new byte[16];
  private static final byte[] IN = new byte[4096];
  private static final byte[] OUT = new byte[4096];
  private static long sink;

  private AllocationProbe() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    mx =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    allocatedBytes =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getThreadAllocatedBytes", long.class);
    Provider ours = new OssCseProvider();
    Provider sun = Security.getProvider("SunJCE");
    Cipher oursSeek = Cipher.getInstance("AES/CTR/NoPadding", ours);
    Cipher sunSeek = Cipher.getInstance("AES/CTR/NoPadding", sun);
    for (int r = 0; r < rounds; r++) {
      long[] so = measure(() -> setup(ours));
      long[] ss = measure(() -> setup(sun));
      long[] ko = measure(() -> seekOurs(oursSeek));
      long[] ks = measure(() -> seekSun(sunSeek));
      System.out.printf(
          "round %d setup: ours %d B/op %d ns/op, SunJCE %d B/op %d ns/op, ratio %.2fx |"
              + " seek+4KiB: ours %d B/op %d ns/op, SunJCE %d B/op %d ns/op, ratio %.2fx%n",
          r,
          so[0],
          so[1],
          ss[0],
          ss[1],
          (double) ss[1] / so[1],
          ko[0],
          ko[1],
          ks[0],
          ks[1],
          (double) ks[1] / ko[1]);
    }
    System.out.println(sink == 42 ? "" : "done");
  }

  interface Op {
    void run() throws Exception;
  }

  private static long[] measure(Op op) throws Exception {
    for (int i = 0; i < OPS / 4; i++) {
      op.run();
    }
    long tid = Thread.currentThread().getId();
    long b0 = (long) allocatedBytes.invoke(mx, tid);
    long t0 = System.nanoTime();
    for (int i = 0; i < OPS; i++) {
      op.run();
    }
    long t1 = System.nanoTime();
    long b1 = (long) allocatedBytes.invoke(mx, tid);
    return new long[] {(b1 - b0) / OPS, (t1 - t0) / OPS};
  }

  private static void setup(Provider p) throws Exception {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", p);
    c.init(Cipher.DECRYPT_MODE, KEY, new IvParameterSpec(IV));
    sink += c.hashCode();
  }

  private static long offset(int i) {
    return (i * 7_919L * 4096 + i) % (1L << 30);
  }

  private static void seekOurs(Cipher c) throws Exception {
    c.init(Cipher.DECRYPT_MODE, KEY, new CtrParameterSpec(IV, off(c)));
    c.update(IN, 0, IN.length, OUT, 0);
    sink += OUT[0];
  }

  private static long seekCounter;

  private static long off(Cipher c) {
    return offset((int) (seekCounter++ & 0xffff));
  }

  private static final byte[] SKIP = new byte[16];

  private static void seekSun(Cipher c) throws Exception {
    long offset = offset((int) (seekCounter++ & 0xffff));
    byte[] counter = Arrays.copyOf(IV, 16);
    long block = offset / 16;
    for (int k = 15; k >= 8; k--) {
      counter[k] = (byte) block;
      block >>>= 8;
    }
    c.init(Cipher.DECRYPT_MODE, KEY, new IvParameterSpec(counter));
    int skip = (int) (offset % 16);
    if (skip > 0) {
      c.update(SKIP, 0, skip, SKIP, 0);
    }
    c.update(IN, 0, IN.length, OUT, 0);
    sink += OUT[0];
  }
}
