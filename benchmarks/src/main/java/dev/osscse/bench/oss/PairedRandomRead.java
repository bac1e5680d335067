package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.bench.JmhJson;
import dev.osscse.oss.EncryptedObjectChannel;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The random-read comparison of {@link OssRandomRead} in paired rounds: one JVM, the local OSS
 * endpoint in a process of its own ({@link ExternalEndpoint}), one plain and one encrypted copy of
 * the same seeded object, and in every round the same {@value OssRandomRead#READS} reads of {@value
 * OssRandomRead#READ} bytes by both clients back to back, their order alternating, so that both see
 * the same load on a shared machine: {@code plain} (one HEAD, then one ranged GET per read) and
 * {@code OssCse} ({@link EncryptedObjectChannel}, read-ahead the read size). Every read is checked
 * against the seeded content in the first round.
 *
 * <pre>
 * java -cp benchmarks.jar dev.osscse.bench.oss.PairedRandomRead [size [rounds [OUT.json]]]
 * </pre>
 *
 * <p>Prints each client's median wall time per round, the median and quartiles of the per-round
 * rate ratio (plain time over OssCse time: above 1, OssCse is faster), and the load average before
 * and after. With {@code OUT.json} it also writes each client's round times as a JMH-style result,
 * {@code OssRandomRead.pairedRounds} (ms/op, one sample per round), which {@code run.sh}'s {@code
 * paired} suite hands to the report.
 */
public final class PairedRandomRead {
  private static final int WARM_UP_ROUNDS = 10;
  private static final String BUCKET = OssTransfer.BUCKET;
  private static final int READ = OssRandomRead.READ;

  private PairedRandomRead() {}

  /**
   * Runs the comparison.
   *
   * @param args object size in bytes (default 1073741824), measured rounds (default 20) and the
   *     JSON file to write (default none)
   */
  public static void main(String[] args) throws Exception {
    long size = args.length > 0 ? Long.parseLong(args[0]) : 1L << 30;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    String loadBefore = PairedPutCost.load();
    try (OssFixture fixture = OssFixture.external()) {
      OSS oss = fixture.plainClient();
      OssCseClient cse = OssTransfer.cseClient(oss);
      SeededObject content = new SeededObject(2026, size);
      for (String key : new String[] {"plain", "encrypted"}) {
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setContentLength(size);
        try (InputStream in = content.stream()) {
          if (key.equals("plain")) {
            oss.putObject(BUCKET, key, in, metadata);
          } else {
            cse.putObject(BUCKET, key, in, metadata);
          }
        }
      }
      long[] offsets = OssRandomRead.offsets(size);
      long[][] wall = new long[2][rounds];
      for (int r = -WARM_UP_ROUNDS; r < rounds; r++) {
        for (int k = 0; k < 2; k++) {
          int c = Math.floorMod(r + k, 2); // who goes first alternates
          long t0 = System.nanoTime();
          if (c == 0) {
            plainReads(oss, size, offsets, r == -WARM_UP_ROUNDS ? content : null);
          } else {
            channelReads(cse, offsets, r == -WARM_UP_ROUNDS ? content : null);
          }
          long t = System.nanoTime() - t0;
          if (r >= 0) {
            wall[c][r] = t;
          }
        }
      }
      double[] ratios = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratios[r] = (double) wall[0][r] / wall[1][r];
      }
      Arrays.sort(ratios);
      System.out.printf(
          Locale.ROOT,
          "random reads size=%d reads=%d of %d bytes rounds=%d java=%s%n",
          size,
          offsets.length,
          READ,
          rounds,
          System.getProperty("java.runtime.version"));
      System.out.printf(
          Locale.ROOT,
          "plain median %.1f ms, OssCse median %.1f ms; rate ratio (plain time / OssCse time) of"
              + " medians %.3f, per-round median %.3f, quartiles %.3f..%.3f, range %.3f..%.3f%n",
          PairedPutCost.median(wall[0]) / 1e6,
          PairedPutCost.median(wall[1]) / 1e6,
          PairedPutCost.median(wall[0]) / PairedPutCost.median(wall[1]),
          PairedPutCost.quantile(ratios, 0.5),
          PairedPutCost.quantile(ratios, 0.25),
          PairedPutCost.quantile(ratios, 0.75),
          ratios[0],
          ratios[rounds - 1]);
      System.out.printf(
          Locale.ROOT, "load average %s before, %s after%n", loadBefore, PairedPutCost.load());
      if (args.length > 2) {
        writeJson(Path.of(args[2]), size, wall);
      }
    }
  }

  private static void writeJson(Path out, long size, long[][] wall) throws IOException {
    StringBuilder json = new StringBuilder("[\n");
    String[] clients = {"plain", "OssCse"};
    for (int c = 0; c < 2; c++) {
      json.append(
          JmhJson.result(
              "dev.osscse.bench.oss.OssRandomRead.pairedRounds",
              Map.of(
                  "provider", clients[c], "readAhead", Integer.toString(READ), "size", "" + size),
              Arrays.stream(wall[c]).mapToDouble(t -> t / 1e6).toArray()));
      json.append(c == 0 ? ",\n" : "\n]\n");
    }
    Files.writeString(out, json, StandardCharsets.UTF_8);
  }

  private static void plainReads(OSS oss, long size, long[] offsets, SeededObject check)
      throws IOException {
    if (oss.getObjectMetadata(BUCKET, "plain").getContentLength() != size) {
      throw new IOException("HEAD returned another size than was written");
    }
    byte[] sink = new byte[READ];
    for (long offset : offsets) {
      OssRandomRead.rangedGet(oss, "plain", offset, sink);
      checkRead(check, offset, sink);
    }
  }

  private static void channelReads(OssCseClient cse, long[] offsets, SeededObject check)
      throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(READ);
    try (EncryptedObjectChannel ch =
        EncryptedObjectChannel.open(cse.core(), BUCKET, "encrypted", READ)) {
      for (long offset : offsets) {
        OssRandomRead.readAt(ch, offset, buffer);
        checkRead(check, offset, buffer.array());
      }
    }
  }

  private static void checkRead(SeededObject check, long offset, byte[] got) {
    if (check != null && !Arrays.equals(got, check.bytes(offset, READ))) {
      throw new IllegalStateException("read different bytes than were written at " + offset);
    }
  }
}
