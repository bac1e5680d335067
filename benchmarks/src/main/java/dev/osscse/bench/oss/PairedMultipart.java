package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import com.sun.management.OperatingSystemMXBean;
import dev.osscse.bench.JmhJson;
import dev.osscse.oss.EncryptedStore;
import dev.osscse.oss.MultipartUploader;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loopback comparison of {@link OssMultipart} in paired rounds: one JVM, the local OSS endpoint
 * in the same process (as the JMH suite runs it), and in every round one upload of the same bytes
 * with 1 part in flight and one with 2, back to back, their order alternating, so that both see the
 * same load and the same state of the JIT and the heap. The JMH suite gives each case a trial of
 * its own, minutes apart, and the ratio of two such trials moved from 1.08x to 1.73x between reruns
 * of one build.
 *
 * <pre>
 * java -cp benchmarks.jar dev.osscse.bench.oss.PairedMultipart [size [rounds [OUT.json]]]
 * </pre>
 *
 * <p>Prints two bounds on the ratio, from the process CPU time per upload with 2 in flight (client
 * and endpoint; {@code getProcessCpuTime}, which counts the part threads that have ended) on two
 * cores, and from the endpoint's {@code CompleteMultipartUpload} (timed at the client), which
 * concatenates the part files after all parts and so runs alone in both cases; then the median time
 * of each, the median and quartiles of the per-round ratio (time with 1 in flight over time with 2:
 * above 1, two parts in flight are faster) and the load average before and after. With {@code
 * OUT.json} it also writes the round times as a JMH-style result, {@code OssMultipart.pairedRounds}
 * (ms/op, one sample per round), which {@code run.sh}'s {@code multipart-paired} suite hands to the
 * report.
 */
public final class PairedMultipart {
  private static final int WARM_UP_ROUNDS = 5;
  private static final String BUCKET = OssTransfer.BUCKET;

  private PairedMultipart() {}

  /** The measured rounds' values of one way. */
  private static long[] measured(long[] all) {
    return Arrays.copyOfRange(all, WARM_UP_ROUNDS, all.length);
  }

  /**
   * An {@code OSS} that adds the time of every {@code completeMultipartUpload} call to {@code sum}.
   */
  private static OSS timingComplete(OSS real, AtomicLong sum) {
    return (OSS)
        Proxy.newProxyInstance(
            OSS.class.getClassLoader(),
            new Class<?>[] {OSS.class},
            (proxy, method, args) -> {
              long t0 = System.nanoTime();
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                if (method.getName().equals("completeMultipartUpload")) {
                  sum.addAndGet(System.nanoTime() - t0);
                }
              }
            });
  }

  /**
   * Runs the comparison.
   *
   * @param args object size in bytes (default 268435456), measured rounds (default 15) and the JSON
   *     file to write (default none)
   */
  public static void main(String[] args) throws Exception {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 256 << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    String loadBefore = PairedRounds.load();
    try (OssFixture fixture = OssFixture.inProcess(0)) {
      AtomicLong completeNanos = new AtomicLong();
      OSS oss = timingComplete(fixture.ownCrcClient(), completeNanos);
      EncryptedStore store = OssTransfer.cseClient(oss).core();
      MultipartUploader[] uploaders = new MultipartUploader[2];
      for (int c = 0; c < 2; c++) {
        uploaders[c] =
            MultipartUploader.builder(store)
                .partSize(MultipartUploader.DEFAULT_PART_SIZE)
                .parallelism(c + 1)
                .build();
      }
      byte[] data = OssFixture.randomBytes(size);
      OperatingSystemMXBean os =
          (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long[][] cpu = new long[2][WARM_UP_ROUNDS + rounds];
      long[][] complete = new long[2][WARM_UP_ROUNDS + rounds];
      int[] done = new int[2];
      long[][] wall =
          PairedRounds.alternate(
              WARM_UP_ROUNDS,
              rounds,
              (c, first) -> {
                long cpu0 = os.getProcessCpuTime();
                long complete0 = completeNanos.get();
                uploaders[c].upload(
                    BUCKET, "multipart", new ByteArrayInputStream(data), size, null);
                complete[c][done[c]] = completeNanos.get() - complete0;
                cpu[c][done[c]++] = os.getProcessCpuTime() - cpu0;
              });
      // Two cores run client and endpoint, so 2 in flight take at least their CPU / 2. The
      // endpoint's CompleteMultipartUpload concatenates the part files, one request after all parts
      // (about one core busy): at best, 2 in flight halve the rest. Together: while the complete
      // runs, at most its own share of the CPU is spent, so at least s2 + (cpu2 - s2) / 2.
      double t1 = PairedRounds.median(wall[0]);
      double cpu2 = PairedRounds.median(measured(cpu[1]));
      double s1 = PairedRounds.median(measured(complete[0]));
      double s2 = PairedRounds.median(measured(complete[1]));
      System.out.printf(
          Locale.ROOT,
          "process CPU per upload with 2 in flight (client and endpoint, 10 ms ticks): median %.0f"
              + " ms, so at least %.0f ms on 2 cores, best reachable ratio %.2f; the endpoint's"
              + " CompleteMultipartUpload took %.0f ms (1 in flight) and %.0f ms (2), so at least"
              + " %.0f ms with the rest halved, best reachable ratio %.2f; both together at least"
              + " %.0f ms, best reachable ratio %.2f%n",
          cpu2 / 1e6,
          cpu2 / 2e6,
          t1 / (cpu2 / 2),
          s1 / 1e6,
          s2 / 1e6,
          ((t1 - s1) / 2 + s2) / 1e6,
          t1 / ((t1 - s1) / 2 + s2),
          (cpu2 + s2) / 2e6,
          t1 / ((cpu2 + s2) / 2));
      PairedRounds.printRatios(
          "multipart size=" + size + " rounds=" + rounds,
          "1 in flight",
          wall[0],
          "2 in flight",
          wall[1],
          loadBefore);
      if (args.length > 2) {
        List<String> results = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
          results.add(
              JmhJson.result(
                  "dev.osscse.bench.oss.OssMultipart.pairedRounds",
                  Map.of(
                      "client",
                      "OssCse",
                      "parallelism",
                      Integer.toString(c + 1),
                      "link",
                      "loopback",
                      "size",
                      Integer.toString(size)),
                  Arrays.stream(wall[c]).mapToDouble(t -> t / 1e6).toArray()));
        }
        JmhJson.write(Path.of(args[2]), results);
      }
    }
  }
}
