package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Puts and gets one large encrypted object through the OSS SDK and the local OSS endpoint in one
 * small-heap JVM, to show that the binding streams: neither side holds the object in memory.
 *
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.osscse.bench.oss.LargeObjectRun [bytes]
 * </pre>
 *
 * The plaintext is generated while it is read (a seeded pseudo-random stream), so no file of that
 * size is needed; its SHA-256 is compared with that of the decrypted download. Prints one line per
 * step with the heap limit, times and rates; exits 1 if the digests differ.
 */
public final class LargeObjectRun {
  private LargeObjectRun() {}

  /** Runs the check; the optional argument is the object size in bytes (default 2 GiB). */
  public static void main(String[] args) throws Exception {
    long size = args.length > 0 ? Long.parseLong(args[0]) : 2L << 30;
    Path dir = Files.createTempDirectory("oss-cse-large");
    System.out.printf(
        "large object: %,d bytes, max heap %d MiB%n", size, Runtime.getRuntime().maxMemory() >> 20);
    try (LocalOssServer server =
        LocalOssServer.builder()
            .dataDirectory(dir)
            .port(0)
            .credentials(OssTransfer.AK, OssTransfer.SK)
            .build()
            .start()) {
      server.createBucket(OssTransfer.BUCKET);
      OSS plain = OssTransfer.plainClient(server);
      try {
        OssCseClient cse = OssTransfer.cseClient(plain);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long t0 = System.nanoTime();
        try (InputStream in = new GeneratedStream(size, 2026, sent)) {
          cse.putObject(OssTransfer.BUCKET, "large", in, null);
        }
        long t1 = System.nanoTime();
        report("put", size, t1 - t0);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (UnauthenticatedObjectStream in = cse.getObject(OssTransfer.BUCKET, "large")) {
          byte[] buf = new byte[64 * 1024];
          for (int r; (r = in.read(buf)) > 0; ) {
            received.update(buf, 0, r);
            n += r;
          }
        }
        long t2 = System.nanoTime();
        report("get", n, t2 - t1);
        String a = HexFormat.of().formatHex(sent.digest());
        String b = HexFormat.of().formatHex(received.digest());
        boolean ok = n == size && a.equals(b);
        System.out.printf(
            "large object: %s (sha256 %s, %,d bytes back)%n", ok ? "ok" : "MISMATCH", b, n);
        if (!ok) {
          System.exit(1);
        }
      } finally {
        plain.shutdown();
      }
    } finally {
      OssTransfer.deleteTree(dir);
    }
  }

  private static void report(String what, long bytes, long nanos) {
    System.out.printf(
        "large object: %s %,d bytes in %.1f s (%.0f MB/s)%n",
        what, bytes, nanos / 1e9, bytes / (nanos / 1e3));
  }

  /** A seeded pseudo-random stream of a fixed length that digests what it hands out. */
  private static final class GeneratedStream extends InputStream {
    private final Random random;
    private final MessageDigest digest;
    private long remaining;
    private final byte[] block = new byte[64 * 1024];
    private int blockPos = block.length;

    GeneratedStream(long size, long seed, MessageDigest digest) {
      this.remaining = size;
      this.random = new Random(seed);
      this.digest = digest;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      if (blockPos == block.length) {
        random.nextBytes(block);
        blockPos = 0;
      }
      int n = (int) Math.min(Math.min(len, block.length - blockPos), remaining);
      System.arraycopy(block, blockPos, b, off, n);
      digest.update(block, blockPos, n);
      blockPos += n;
      remaining -= n;
      return n;
    }
  }
}
