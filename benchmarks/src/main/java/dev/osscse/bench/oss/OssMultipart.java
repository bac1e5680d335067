package dev.osscse.bench.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.MultipartUploadResult;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.OssCseClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Encrypted multipart upload of one object through {@link MultipartUploader} (8 MiB parts) against
 * the local OSS endpoint, with 1 or 2 parts in flight ({@code parallelism}). Every part has its own
 * counter start, so parts encrypt independently; the ratio of the two shows how much of that the
 * uploader turns into speed on this machine.
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
  private static final String BUCKET = "bench";
  private static final String AK = "bench-ak";
  private static final String SK = "bench-sk";

  @Param({"1", "2"})
  public int parallelism;

  /** Object size in bytes; 256 MiB by default. */
  @Param({"268435456"})
  public int size;

  private Path dir;
  private LocalOssServer server;
  private OSS oss;
  private MultipartUploader uploader;
  private byte[] data;

  /** Starts the local endpoint and builds the uploader. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    dir = Files.createTempDirectory("oss-cse-bench");
    server = LocalOssServer.builder().dataDirectory(dir).credentials(AK, SK).build().start();
    server.createBucket(BUCKET);
    oss = new OSSClientBuilder().build(server.endpoint(), AK, SK);
    OssCseClient cse = OssTransfer.cseClient(oss);
    uploader =
        MultipartUploader.builder(cse)
            .partSize(MultipartUploader.DEFAULT_PART_SIZE)
            .parallelism(parallelism)
            .build();
    data = new byte[size];
    new SplittableRandom(9).nextBytes(data);
  }

  /** Stops the endpoint and deletes its files. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (oss != null) {
      oss.shutdown();
    }
    if (server != null) {
      server.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Uploads the object in parts. */
  @Benchmark
  public MultipartUploadResult upload() throws IOException, GeneralSecurityException {
    return uploader.upload(BUCKET, "multipart", new ByteArrayInputStream(data), size, null);
  }
}
