package dev.osscse.provider.perf;

import dev.osscse.provider.CtrParameterSpec;
import dev.osscse.provider.OssCseProvider;
import java.lang.reflect.Method;
import java.security.Provider;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Allocation and time probe, not a test: bytes allocated per operation (the thread's allocation
 * counter) and nanoseconds per operation, ours against SunJCE in one warmed JVM, for per-object
 * setup ({@code getInstance} + {@code init}) and seek + 4 KiB read (SunJCE: init at the counter
 * block of the offset, skip {@code offset % 16} bytes, then read).
 *
 * <p>{@code java -cp provider/target/classes:provider/target/test-classes
 * dev.osscse.provider.perf.AllocationProbe [rounds]}
 */
public final class AllocationProbe {
  private static final int OPS = 100_000;
  private static final byte[] IV = new byte[16];

  private final Object threadMxBean;
  private final Method allocatedBytes;
  private final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
  private final byte[] in = new byte[4096];
  private final byte[] out = new byte[4096];
  private final byte[] skip = new byte[16];
  private final byte[] counter = new byte[16];
  private long sink;
  private long seeks;

  private AllocationProbe() throws ReflectiveOperationException {
    // Reflection: the provider's module does not read java.management; the probe runs on the class
    // path, where it is readable.
    threadMxBean =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    allocatedBytes =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getThreadAllocatedBytes", long.class);
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    new AllocationProbe().run(rounds);
  }

  private void run(int rounds) throws Exception {
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

  private interface Op {
    void run() throws Exception;
  }

  private long[] measure(Op op) throws Exception {
    for (int i = 0; i < OPS / 4; i++) {
      op.run();
    }
    long tid = Thread.currentThread().getId();
    long b0 = (long) allocatedBytes.invoke(threadMxBean, tid);
    long t0 = System.nanoTime();
    for (int i = 0; i < OPS; i++) {
      op.run();
    }
    long t1 = System.nanoTime();
    long b1 = (long) allocatedBytes.invoke(threadMxBean, tid);
    return new long[] {(b1 - b0) / OPS, (t1 - t0) / OPS};
  }

  private void setup(Provider p) throws Exception {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", p);
    c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(IV));
    sink += c.hashCode();
  }

  /** A pseudo-random unaligned offset below 1 GiB. */
  private long nextOffset() {
    long i = seeks++ & 0xffff;
    return (i * 7_919L * 4096 + i) % (1L << 30);
  }

  private void seekOurs(Cipher c) throws Exception {
    c.init(Cipher.DECRYPT_MODE, key, new CtrParameterSpec(IV, nextOffset()));
    c.update(in, 0, in.length, out, 0);
    sink += out[0];
  }

  private void seekSun(Cipher c) throws Exception {
    long offset = nextOffset();
    long block = offset / 16; // IV is zero: the counter block is the block number
    for (int k = 15; k >= 8; k--) {
      counter[k] = (byte) block;
      block >>>= 8;
    }
    c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
    int n = (int) (offset % 16);
    if (n > 0) {
      c.update(skip, 0, n, skip, 0);
    }
    c.update(in, 0, in.length, out, 0);
    sink += out[0];
  }
}
