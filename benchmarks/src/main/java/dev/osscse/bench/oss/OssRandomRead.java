package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.EncryptedObjectChannel;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Random access at scale, the access pattern of Parquet and ORC readers: one operation is {@value
 * #READS} reads of {@value #READ} bytes at seeded random offsets of one object (1 GiB by default),
 * the same offsets for every client. The object is uploaded once per trial to the local OSS
 * endpoint running in a JVM process of its own ({@link ExternalEndpoint}).
 *
 * <p>{@code plain}: the SDK's {@code OSSClient}, one HEAD for the size (as a reader needs it), then
 * one ranged GET per read, each body read to its end. {@code OssCse}: {@link
 * EncryptedObjectChannel#open(dev.osscse.oss.EncryptedStore, String, String, int)} (one HEAD and
 * the content-key unwrap), then {@code position} and {@code read} per read, the channel closed at
 * the end. The channel's read-ahead is the {@code readAhead} parameter (default: the read size, as
 * a reader that knows its ranges would set it; the channel's own default is {@value
 * EncryptedObjectChannel#DEFAULT_READ_AHEAD}, meant for sequential reads); it does not apply to
 * {@code plain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class OssRandomRead {
  /** Reads per operation. */
  public static final int READS = 1000;

  /** Bytes per read: 64 KiB. */
  public static final int READ = 64 * 1024;

  private static final String BUCKET = OssTransfer.BUCKET;
  private static final String KEY = "random";
  private static final long CONTENT_SEED = 2026;
  private static final long OFFSET_SEED = 13;

  @Param({"plain", "OssCse"})
  public String client;

  /** Object size in bytes; 1 GiB by default. */
  @Param({"1073741824"})
  public long size;

  /** Read-ahead of the encrypted channel in bytes. */
  @Param({"65536"})
  public int readAhead;

  private OssFixture fixture;
  private OSS oss;
  private OssCseClient cse;
  private long[] offsets;
  private final ByteBuffer buffer = ByteBuffer.allocate(READ);
  private final byte[] sink = new byte[READ];

  /** Starts the endpoint process, uploads the object and checks reads at the first offsets. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    if (size < READ) {
      throw new IllegalArgumentException("size must be at least " + READ + ", got " + size);
    }
    fixture = OssFixture.external();
    oss = fixture.plainClient();
    if (client.equals("OssCse")) {
      cse = OssTransfer.cseClient(oss);
    } else if (!client.equals("plain")) {
      throw new IllegalArgumentException("client must be plain or OssCse, got " + client);
    }
    offsets = offsets(size);
    SeededObject content = new SeededObject(CONTENT_SEED, size);
    ObjectMetadata metadata = new ObjectMetadata();
    metadata.setContentLength(size);
    try (InputStream in = content.stream()) {
      if (cse != null) {
        cse.putObject(BUCKET, KEY, in, metadata);
      } else {
        oss.putObject(BUCKET, KEY, in, metadata);
      }
    }
    checkReads(content);
  }

  /** Returns {@value #READS} offsets in {@code [0, size - READ]}, the same for every client. */
  static long[] offsets(long size) {
    SplittableRandom random = new SplittableRandom(OFFSET_SEED);
    long[] out = new long[READS];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextLong(size - READ + 1);
    }
    return out;
  }

  /** Reads at the first 16 offsets through the benchmarked path and compares with the content. */
  private void checkReads(SeededObject content) throws IOException, GeneralSecurityException {
    long[] all = offsets;
    try {
      offsets = Arrays.copyOf(all, 16);
      byte[][] got = new byte[offsets.length][];
      int[] i = {0};
      readAll((offset, bytes) -> got[i[0]++] = bytes.clone());
      for (int k = 0; k < offsets.length; k++) {
        if (!Arrays.equals(got[k], content.bytes(offsets[k], READ))) {
          throw new IllegalStateException(
              client + " read different bytes than were written at offset " + offsets[k]);
        }
      }
    } finally {
      offsets = all;
    }
  }

  /** Shuts the client down and stops the endpoint process. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** {@value #READS} reads of {@value #READ} bytes at the seeded offsets. */
  @Benchmark
  public long randomReads() throws IOException, GeneralSecurityException {
    long[] sum = {0};
    readAll((offset, bytes) -> sum[0] += bytes[0] + bytes[READ - 1]);
    return sum[0];
  }

  /** What is done with the bytes of one read. */
  private interface ReadSink {
    void accept(long offset, byte[] bytes);
  }

  private void readAll(ReadSink out) throws IOException, GeneralSecurityException {
    if (cse != null) {
      try (EncryptedObjectChannel ch =
          EncryptedObjectChannel.open(cse.core(), BUCKET, KEY, readAhead)) {
        for (long offset : offsets) {
          readAt(ch, offset, buffer);
          out.accept(offset, buffer.array());
        }
      }
      return;
    }
    if (oss.getObjectMetadata(BUCKET, KEY).getContentLength() != size) {
      throw new IOException("HEAD returned another size than was written");
    }
    for (long offset : offsets) {
      rangedGet(oss, KEY, offset, sink);
      out.accept(offset, sink);
    }
  }

  /** Fills {@code buffer} ({@value #READ} bytes) from {@code offset} of the channel. */
  static void readAt(EncryptedObjectChannel ch, long offset, ByteBuffer buffer) throws IOException {
    ch.position(offset);
    buffer.clear();
    while (buffer.hasRemaining()) {
      if (ch.read(buffer) < 0) {
        throw new IOException("channel ended before " + READ + " bytes at " + offset);
      }
    }
  }

  /**
   * One ranged GET of {@value #READ} bytes at {@code offset} into {@code sink}, read to its end.
   */
  static void rangedGet(OSS oss, String key, long offset, byte[] sink) throws IOException {
    GetObjectRequest request = new GetObjectRequest(BUCKET, key);
    request.setRange(offset, offset + READ - 1);
    try (OSSObject o = oss.getObject(request);
        InputStream in = o.getObjectContent()) {
      int n = in.readNBytes(sink, 0, READ);
      if (n != READ || in.read() >= 0) {
        throw new IOException("ranged GET at " + offset + " did not return " + READ + " bytes");
      }
    }
  }
}
