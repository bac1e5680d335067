package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.OssCseProviders;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;

/**
 * The cost of authenticated objects measured in pairs, for a machine shared with other work: the
 * same operations as {@link OssAuthenticated} (PUT, whole GET and a 1 MiB ranged GET of a 64 MiB
 * object, endpoint in a JVM of its own) and a multipart upload of the same object (8 MiB parts, 2
 * in flight), but untagged and tagged alternate call by call in one JVM (in swapped order every
 * other round), so that a change of load falls on both sides of a pair.
 *
 * <pre>
 * java -Xms1500m -Xmx1500m -cp benchmarks/target/benchmarks.jar \
 *   dev.osscse.bench.oss.AuthenticatedPairsRun [rounds]
 * </pre>
 *
 * Prints, per operation, the median wall time of each side, the median of the per-pair ratios and
 * the mean client CPU per call (this process only; its clock ticks in 10 ms steps here, hence the
 * mean). Four rounds of warm-up are not counted.
 */
public final class AuthenticatedPairsRun {
  private static final int SIZE = 64 << 20;
  private static final int RANGE = 1 << 20;
  private static final int WARMUP = 4;

  private AuthenticatedPairsRun() {}

  private interface Op {
    void run() throws Exception;
  }

  /** Runs the pairs; the optional argument is the number of rounds (default 15). */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    byte[] sink = new byte[1 << 16];
    try (OssFixture f = OssFixture.external()) {
      OSS oss = f.plainClient();
      MasterKey m = MasterKey.rsa(OssFixture.rsaKeyPair(), Map.of());
      OssCseClient off = client(oss, m, false);
      OssCseClient on = client(oss, m, true);
      byte[] data = OssFixture.randomBytes(SIZE);
      OssTransfer.upload(oss, off, OssTransfer.BUCKET, "off", data);
      OssTransfer.upload(oss, on, OssTransfer.BUCKET, "on", data);
      long[] starts = OssFixture.rangeStarts(SIZE, RANGE);
      int[] next = {0};
      String[] names = {"PUT 64 MiB", "GET 64 MiB", "ranged GET 1 MiB", "multipart 64 MiB"};
      Op[] ops = new Op[8];
      for (int side = 0; side < 2; side++) {
        OssCseClient c = side == 0 ? off : on;
        String key = side == 0 ? "off" : "on";
        ops[side] = () -> OssTransfer.upload(oss, c, OssTransfer.BUCKET, "put-" + key, data);
        ops[2 + side] =
            () -> {
              try (UnauthenticatedObjectStream in = c.getObject(OssTransfer.BUCKET, key)) {
                OssTransfer.drain(in, sink);
              }
            };
        MultipartUploader parts =
            MultipartUploader.builder(c.core()).partSize(8 << 20).parallelism(2).build();
        ops[6 + side] =
            () ->
                parts.upload(
                    OssTransfer.BUCKET, "parts-" + key, new ByteArrayInputStream(data), SIZE, null);
        ops[4 + side] =
            () -> {
              long s = starts[(next[0]++ / 2) & (starts.length - 1)];
              try (UnauthenticatedObjectStream in =
                  c.getObject(OssTransfer.BUCKET, key, ByteRange.of(s, s + RANGE - 1))) {
                OssTransfer.drain(in, sink);
              }
            };
      }
      double[][] wall = new double[8][rounds];
      double[] cpu = new double[8];
      for (int r = -WARMUP; r < rounds; r++) {
        for (int k = 0; k < 8; k++) {
          int i = (r & 1) == 0 ? k : k ^ 1;
          long c0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          ops[i].run();
          long t = System.nanoTime() - t0;
          long c = os.getProcessCpuTime() - c0;
          if (r >= 0) {
            wall[i][r] = t / 1e6;
            cpu[i] += c / 1e6 / rounds;
          }
        }
      }
      for (int p = 0; p < 4; p++) {
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = wall[2 * p + 1][r] / wall[2 * p][r];
        }
        System.out.printf(
            "%-17s off %7.1f ms  on %7.1f ms  on/off %.2fx (median of %d pairs)"
                + "  client CPU off %6.1f ms  on %6.1f ms%n",
            names[p],
            median(wall[2 * p]),
            median(wall[2 * p + 1]),
            median(ratio),
            rounds,
            cpu[2 * p],
            cpu[2 * p + 1]);
      }
    }
  }

  private static OssCseClient client(OSS oss, MasterKey m, boolean on) {
    return OssCseClient.builder(oss)
        .provider(OssCseProviders.provider())
        .encryptWith(m)
        .authenticate(on)
        .requireAuthentication(on)
        .build();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
