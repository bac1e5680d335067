package dev.osscse.local.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.utils.IOUtils;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.PutObjectResult;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a forked JVM with a small heap by {@link LargeObjectTest}: starts a server, PUTs a
 * generated object of the given size through the SDK (chunked, streamed), GETs it back, compares
 * every byte with the generator and the CRC with the server's, then prints "OK" and figures.
 */
public final class LargeObjectProbe {
  private LargeObjectProbe() {}

  /** Deterministic pseudo-random bytes; position-addressable so the reader can regenerate. */
  static final class Generated extends InputStream {
    private final long size;
    private long pos;

    Generated(long size) {
      this.size = size;
    }

    static byte at(long i) {
      long x = (i >>> 3) * 0x9E3779B97F4A7C15L;
      x ^= x >>> 29;
      return (byte) (x >>> ((i & 7) * 8));
    }

    @Override
    public int read() {
      return pos < size ? at(pos++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = at(pos + i);
      }
      pos += n;
      return n;
    }
  }

  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[0]);
    Path dir = Files.createTempDirectory("local-oss-large");
    long t0 = System.nanoTime();
    try (LocalOssServer server =
        LocalOssServer.builder().dataDirectory(dir).credentials("ak", "sk").build().start()) {
      server.createBucket("bkt");
      OSS client = new OSSClientBuilder().build(server.endpoint(), "ak", "sk");
      PutObjectResult put = client.putObject("bkt", "big", new Generated(size));
      long t1 = System.nanoTime();
      long n = 0;
      byte[] buf = new byte[64 * 1024];
      long mismatch = -1;
      OSSObject o = client.getObject("bkt", "big");
      try (InputStream in = o.getObjectContent()) {
        int r;
        while ((r = in.read(buf)) >= 0) {
          for (int i = 0; i < r && mismatch < 0; i++) {
            if (buf[i] != Generated.at(n + i)) {
              mismatch = n + i;
            }
          }
          n += r;
        }
      }
      long t2 = System.nanoTime();
      Long clientCrc = IOUtils.getCRCValue(o.getObjectContent());
      boolean ok =
          n == size
              && mismatch < 0
              && clientCrc.equals(o.getServerCRC())
              && put.getServerCRC().equals(o.getServerCRC());
      client.shutdown();
      System.out.printf(
          "%s size=%d read=%d mismatch=%d put_s=%.1f get_s=%.1f maxHeapMiB=%d%n",
          ok ? "OK" : "FAIL",
          size,
          n,
          mismatch,
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          Runtime.getRuntime().maxMemory() >> 20);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
