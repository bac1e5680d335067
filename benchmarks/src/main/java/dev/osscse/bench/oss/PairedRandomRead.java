package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.bench.JmhJson;
import dev.osscse.oss.EncryptedObjectChannel;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    String loadBefore = PairedRounds.load();
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
      long[][] wall =
          PairedRounds.alternate(
              WARM_UP_ROUNDS,
              rounds,
              (c, first) -> {
                if (c == 0) {
                  plainReads(oss, size, offsets, first ? content : null);
                } else {
                  channelReads(cse, offsets, first ? content : null);
                }
              });
      PairedRounds.printRatios(
          String.format(
              Locale.ROOT,
              "random reads size=%d reads=%d of %d bytes rounds=%d",
              size,
              offsets.length,
              READ,
              rounds),
          "plain",
          wall[0],
          "OssCse",
          wall[1],
          loadBefore);
      if (args.length > 2) {
        writeJson(Path.of(args[2]), size, wall);
      }
    }
  }

  private static void writeJson(Path out, long size, long[][] wall) throws IOException {
    List<String> results = new ArrayList<>();
    String[] clients = {"plain", "OssCse"};
    for (int c = 0; c < 2; c++) {
      results.add(
          JmhJson.result(
              "dev.osscse.bench.oss.OssRandomRead.pairedRounds",
              Map.of(
                  "provider", clients[c], "readAhead", Integer.toString(READ), "size", "" + size),
              Arrays.stream(wall[c]).mapToDouble(t -> t / 1e6).toArray()));
    }
    JmhJson.write(out, results);
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
