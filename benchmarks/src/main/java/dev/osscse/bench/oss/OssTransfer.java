package dev.osscse.bench.oss;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSEncryptionClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.crypto.SimpleRSAEncryptionMaterials;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.OssCseProviders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Comparator;
import java.util.Map;
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
 * Whole-object PUT and GET, and a 1 MiB ranged GET, through the OSS SDK against the local OSS
 * endpoint on 127.0.0.1 (objects streamed to disk there).
 *
 * <p>{@code client} is {@code plain} (the SDK's {@code OSSClient}, no encryption: the floor),
 * {@code official} (the SDK's {@code OSSEncryptionClient} with RSA materials: the baseline) or
 * {@code OssCse} ({@link OssCseClient}, RSA master key, the OssCse provider, over an SDK client
 * with the SDK's CRC-64 check off: {@link #ownCrcClient}). Client and server share the machine's
 * cores, so the figures are end-to-end costs on one host, not network throughput.
 *
 * <p>All three clients upload the same input: an {@code InputStream} over the object's bytes whose
 * length is declared in the {@code ObjectMetadata} ({@link #upload}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1500m", "-Xmx1500m"})
public class OssTransfer {
  static final String BUCKET = "bench";
  private static final String KEY = "object";
  static final String AK = "bench-ak";
  static final String SK = "bench-sk";
  private static final int RANGE = 1 << 20;

  @Param({"plain", "official", "OssCse"})
  public String client;

  /** Object size in bytes; 256 MiB by default. */
  @Param({"268435456"})
  public int size;

  private OssFixture fixture;
  private OSS oss;
  private OssCseClient cse;
  private byte[] data;
  private final byte[] sink = new byte[1 << 16];
  private long[] rangeStarts;
  private int next;

  /** Starts the local endpoint, builds the client and uploads the object once. */
  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    fixture = OssFixture.inProcess(0);
    oss = fixture.sdkClientFor(client);
    if (client.equals("OssCse")) {
      cse = cseClient(oss);
    }
    data = OssFixture.randomBytes(size);
    upload(oss, cse, BUCKET, KEY, data);
    OssFixture.checkReadBack(open(null), data, client + " read back different bytes than it wrote");
    rangeStarts = OssFixture.rangeStarts(size, RANGE);
  }

  /** Stops the endpoint and deletes its files. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Deletes {@code dir} and everything under it (the endpoint's data directory). */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Builds the SDK's plain client for the local endpoint. */
  static OSS plainClient(LocalOssServer server) {
    return plainClient(server.endpoint());
  }

  /** Builds the SDK's plain client for an endpoint URL. */
  static OSS plainClient(String endpoint) {
    return new OSSClientBuilder().build(endpoint, AK, SK);
  }

  /**
   * Builds the SDK client OssCse runs over, as the command line and the Hadoop file system build
   * theirs: the SDK's CRC-64 check off, so that the binding compares its own CRC-64, computed in
   * the encryption pass (docs/binding.md). The plain client stays the SDK's default.
   */
  static OSS ownCrcClient(String endpoint) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setCrcCheckEnabled(false);
    return new OSSClientBuilder().build(endpoint, AK, SK, conf);
  }

  /** Builds the SDK's {@code OSSEncryptionClient} for an endpoint URL with a fresh key pair. */
  static OSS officialClient(String endpoint) throws GeneralSecurityException {
    return new OSSEncryptionClientBuilder()
        .build(
            endpoint,
            new DefaultCredentialProvider(AK, SK),
            new SimpleRSAEncryptionMaterials(OssFixture.rsaKeyPair()));
  }

  /** Builds an oss-cse client with a fresh RSA-2048 master key over a plain SDK client. */
  static OssCseClient cseClient(OSS plain) throws GeneralSecurityException {
    return OssCseClient.builder(plain)
        .provider(OssCseProviders.provider())
        .encryptWith(MasterKey.rsa(OssFixture.rsaKeyPair(), Map.of()))
        .build();
  }

  /**
   * Uploads {@code data} with whichever client is given: {@code cse} if not null, else {@code oss}.
   * Every client gets the same input, a stream over the bytes with the length declared in the
   * metadata, so none of them has to buffer or count it.
   */
  static String upload(OSS oss, OssCseClient cse, String bucket, String key, byte[] data)
      throws IOException, GeneralSecurityException {
    ObjectMetadata metadata = new ObjectMetadata();
    metadata.setContentLength(data.length);
    InputStream in = new ByteArrayInputStream(data);
    if (cse != null) {
      return cse.putObject(bucket, key, in, metadata).getETag();
    }
    return oss.putObject(bucket, key, in, metadata).getETag();
  }

  /** Uploads the whole object. */
  @Benchmark
  public String put() throws IOException, GeneralSecurityException {
    return upload(oss, cse, BUCKET, "put", data);
  }

  /** Downloads and reads the whole object. */
  @Benchmark
  public long get() throws IOException, GeneralSecurityException {
    try (InputStream in = open(null)) {
      return drain(in);
    }
  }

  /** Downloads and reads 1 MiB from a random offset. */
  @Benchmark
  public long rangedGet1MiB() throws IOException, GeneralSecurityException {
    long start = rangeStarts[next++ & (rangeStarts.length - 1)];
    try (InputStream in = open(ByteRange.of(start, start + RANGE - 1))) {
      return drain(in);
    }
  }

  private InputStream open(ByteRange range) throws IOException, GeneralSecurityException {
    return open(oss, cse, BUCKET, KEY, range);
  }

  /**
   * Opens the object (or a range of it, if {@code range} is not null) with {@code cse} if not null,
   * else with {@code oss}.
   */
  static InputStream open(OSS oss, OssCseClient cse, String bucket, String key, ByteRange range)
      throws IOException, GeneralSecurityException {
    if (cse != null) {
      return range == null ? cse.getObject(bucket, key) : cse.getObject(bucket, key, range);
    }
    GetObjectRequest request = new GetObjectRequest(bucket, key);
    if (range != null) {
      request.setRange(range.first(), range.last());
    }
    OSSObject o = oss.getObject(request);
    return o.getObjectContent();
  }

  private long drain(InputStream in) throws IOException {
    return drain(in, sink);
  }

  /** Reads {@code in} to its end through {@code buffer}; returns the bytes read. */
  static long drain(InputStream in, byte[] buffer) throws IOException {
    long total = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      total += n;
    }
    return total;
  }
}
