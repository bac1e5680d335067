package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSEncryptionClient;
import com.aliyun.oss.crypto.MultipartUploadCryptoContext;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadPartRequest;
import dev.osscse.oss.MultipartUploadResult;
import dev.osscse.oss.MultipartUploader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Encrypted multipart upload of one object in 8 MiB parts against the local OSS endpoint, with 1 or
 * 2 parts in flight ({@code parallelism}).
 *
 * <p>{@code client} is {@code OssCse} ({@link MultipartUploader}, which runs the parts itself, over
 * an SDK client with the SDK's CRC-64 check off, as the command line builds it: the binding checks
 * its own CRC-64 computed in the AES pass) or {@code official} (the SDK's {@code
 * OSSEncryptionClient} with a {@code MultipartUploadCryptoContext}, parts submitted to a thread
 * pool of {@code parallelism} threads, as its documentation shows). Every part has its own counter
 * start, so parts encrypt independently; the ratio of 2 to 1 in flight shows how much of that
 * becomes speed here.
 *
 * <p>{@code link} is the network between client and endpoint. {@code loopback}: 127.0.0.1 as it is,
 * no bandwidth limit, so the upload is bound by the CPU that client and server share (the server's
 * MD5 and CRC-64 included), and a second part in flight can only add the idle share of the cores.
 * {@code 100MBps}: the endpoint reads every request body at no more than 100 MB/s ({@link
 * LocalOssServer.Builder#requestBodyRate(long)}), each request on its own, which models a link
 * whose bandwidth per connection (TCP window over round-trip time, or a per-connection cap) is 100
 * MB/s while the path as a whole carries more. That is the case parallel parts exist for: with one
 * part in flight the upload takes at least size / 100 MB/s (about 2.7 s for 256 MiB), with two the
 * connections share the wait and the CPU work runs while the link is busy. Latency per request and
 * a cap on the path as a whole are not modelled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1500m", "-Xmx1500m"})
public class OssMultipart {
  private static final String BUCKET = OssTransfer.BUCKET;
  private static final long PART = MultipartUploader.DEFAULT_PART_SIZE;

  @Param({"official", "OssCse"})
  public String client;

  @Param({"1", "2"})
  public int parallelism;

  /** {@code loopback} (no pacing) or {@code <n>MBps}: request bodies paced to n MB/s each. */
  @Param({"loopback", "100MBps"})
  public String link;

  /** Object size in bytes; 256 MiB by default. */
  @Param({"268435456"})
  public int size;

  private OssFixture fixture;
  private OSS oss;
  private ExecutorService pool;
  private MultipartUploader uploader;
  private byte[] data;

  /** Starts the local endpoint and builds the uploader. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    fixture = OssFixture.inProcess(linkRate(link));
    if (client.equals("OssCse")) {
      oss = fixture.ownCrcClient();
      uploader =
          MultipartUploader.builder(OssTransfer.cseClient(oss).core())
              .partSize(PART)
              .parallelism(parallelism)
              .build();
    } else if (client.equals("official")) {
      oss = fixture.officialClient();
      pool = Executors.newFixedThreadPool(parallelism);
    } else {
      throw new IllegalArgumentException("client must be official or OssCse, got " + client);
    }
    data = OssFixture.randomBytes(size);
  }

  /**
   * Returns the request body rate of a {@code link} value in bytes per second: 0 for {@code
   * loopback}, n * 1,000,000 for {@code <n>MBps}.
   *
   * @throws IllegalArgumentException for any other value
   */
  static long linkRate(String link) {
    if (link.equals("loopback")) {
      return 0;
    }
    if (link.matches("[1-9][0-9]{0,5}MBps")) {
      return Long.parseLong(link.substring(0, link.length() - 4)) * 1_000_000L;
    }
    throw new IllegalArgumentException("link must be loopback or <n>MBps, got " + link);
  }

  /** Stops the endpoint and deletes its files. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Uploads the object in parts; returns the ETag of the completed object. */
  @Benchmark
  public String upload() throws IOException, GeneralSecurityException, InterruptedException {
    if (uploader != null) {
      MultipartUploadResult result =
          uploader.upload(BUCKET, "multipart", new ByteArrayInputStream(data), size, null);
      return result.toString();
    }
    return uploadOfficial();
  }

  private String uploadOfficial() throws InterruptedException {
    OSSEncryptionClient encryption = (OSSEncryptionClient) oss;
    MultipartUploadCryptoContext context = new MultipartUploadCryptoContext();
    context.setPartSize(PART);
    context.setDataSize(size);
    String uploadId =
        encryption
            .initiateMultipartUpload(
                new InitiateMultipartUploadRequest(BUCKET, "multipart"), context)
            .getUploadId();
    int parts = (int) ((size + PART - 1) / PART);
    List<Future<PartETag>> futures = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      int partNumber = i + 1;
      int offset = (int) (i * PART);
      int length = (int) Math.min(PART, size - (long) offset);
      futures.add(
          pool.submit(
              () ->
                  encryption
                      .uploadPart(
                          new UploadPartRequest(
                              BUCKET,
                              "multipart",
                              uploadId,
                              partNumber,
                              new ByteArrayInputStream(data, offset, length),
                              length),
                          context)
                      .getPartETag()));
    }
    List<PartETag> tags = new ArrayList<>();
    for (Future<PartETag> f : futures) {
      try {
        tags.add(f.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("official multipart part upload failed", e.getCause());
      }
    }
    return encryption
        .completeMultipartUpload(
            new CompleteMultipartUploadRequest(BUCKET, "multipart", uploadId, tags), context)
        .getETag();
  }
}
