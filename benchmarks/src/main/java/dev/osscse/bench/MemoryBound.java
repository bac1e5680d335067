package dev.osscse.bench;

import dev.osscse.provider.OssCseProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;

/**
 * What bounds a 64 MiB out-of-place CTR call: in one JVM, rounds of the same memory traffic done
 * four ways back to back, so that all see the same load and the same pages: OssCse's single 64 MiB
 * {@code update}, SunJCE's AES-CTR intrinsic fed the same arrays in 16 KiB and in 100 KiB calls
 * (its best shape, where it runs compiled code from the start of the round), and {@code
 * System.arraycopy} of 64 MiB (the same bytes read and written, no AES).
 *
 * <pre>
 * java -cp benchmarks.jar dev.osscse.bench.MemoryBound [rounds [OUT.json]]
 * </pre>
 *
 * <p>The order of the four rotates from round to round. Prints the median, fastest and slowest time
 * of each way and the ratios of the medians. With {@code OUT.json} it also writes the round times
 * of OssCse's call, SunJCE's 100 KiB calls and the copy as a JMH-style result, {@code
 * MemoryBound.rotatingRounds} (ms/op, one sample per round; providers {@code OssCse}, {@code
 * SunJCE} and {@code copy}), which {@code run.sh}'s {@code memory} suite hands to the report.
 */
public final class MemoryBound {
  private static final int SIZE = 64 << 20;
  private static final int WARM_UP_ROUNDS = 40;
  private static final String[] NAMES = {
    "OssCse, one 64 MiB call", "SunJCE, 16 KiB calls", "SunJCE, 100 KiB calls", "System.arraycopy"
  };

  private MemoryBound() {}

  /**
   * Runs the comparison.
   *
   * @param args the number of measured rounds (default 15) and the JSON file to write (default
   *     none)
   */
  public static void main(String[] args) throws GeneralSecurityException, IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    byte[] in = Fixtures.bytes(3, SIZE);
    byte[] out = new byte[SIZE];
    IvParameterSpec iv = new IvParameterSpec(Fixtures.iv(2));
    Cipher ours = Cipher.getInstance(Fixtures.AES_CTR, new OssCseProvider());
    ours.init(Cipher.ENCRYPT_MODE, Fixtures.aesKey(1), iv);
    Cipher sun = Cipher.getInstance(Fixtures.AES_CTR, Providers.named(Providers.SUN_JCE));
    sun.init(Cipher.ENCRYPT_MODE, Fixtures.aesKey(1), iv);
    long[][] times = new long[NAMES.length][rounds];
    for (int r = -WARM_UP_ROUNDS; r < rounds; r++) {
      for (int i = 0; i < NAMES.length; i++) {
        int way = Math.floorMod(r + i, NAMES.length); // the order rotates from round to round
        long t0 = System.nanoTime();
        run(way, ours, sun, in, out);
        long t = System.nanoTime() - t0;
        if (r >= 0) {
          times[way][r] = t;
        }
      }
    }
    double[] medians = new double[NAMES.length];
    for (int way = 0; way < NAMES.length; way++) {
      long[] t = times[way].clone();
      Arrays.sort(t);
      medians[way] = t[rounds / 2] / 1e6;
      System.out.printf(
          Locale.ROOT,
          "%-26s median %.2f ms, fastest %.2f, slowest %.2f%n",
          NAMES[way],
          medians[way],
          t[0] / 1e6,
          t[rounds - 1] / 1e6);
    }
    System.out.printf(
        Locale.ROOT,
        "OssCse / SunJCE 100 KiB calls %.2fx, SunJCE 100 KiB calls / arraycopy %.2fx,"
            + " OssCse / arraycopy %.2fx (rates)%n",
        medians[2] / medians[0],
        medians[3] / medians[2],
        medians[3] / medians[0]);
    if (args.length > 1) {
      String[] providers = {Providers.OSS_CSE, null, Providers.SUN_JCE, "copy"};
      List<String> results = new ArrayList<>();
      for (int way = 0; way < NAMES.length; way++) {
        if (providers[way] != null) {
          results.add(
              JmhJson.result(
                  "dev.osscse.bench.MemoryBound.rotatingRounds",
                  Map.of("provider", providers[way], "size", Integer.toString(SIZE)),
                  Arrays.stream(times[way]).mapToDouble(t -> t / 1e6).toArray()));
        }
      }
      JmhJson.write(Path.of(args[1]), results);
    }
  }

  private static void run(int way, Cipher ours, Cipher sun, byte[] in, byte[] out)
      throws ShortBufferException {
    switch (way) {
      case 0 -> ours.update(in, 0, SIZE, out, 0);
      case 1 -> chunked(sun, in, out, 16 << 10);
      case 2 -> chunked(sun, in, out, 100 << 10);
      default -> System.arraycopy(in, 0, out, 0, SIZE);
    }
  }

  private static void chunked(Cipher c, byte[] in, byte[] out, int chunk)
      throws ShortBufferException {
    for (int off = 0; off < SIZE; off += chunk) {
      c.update(in, off, Math.min(chunk, SIZE - off), out, off);
    }
  }
}
