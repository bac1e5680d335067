package dev.osscse.local.oss;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A local endpoint that speaks the Alibaba Cloud OSS protocol on 127.0.0.1, for tests, demos and
 * benchmarks. The unmodified {@code aliyun-sdk-oss} client works against {@link #endpoint()}
 * (path-style addressing, V1 or V4 signatures, CRC64 checks).
 *
 * <p><b>What it is.</b> An HTTP server (Jetty 12 core) storing objects as files under a data
 * directory. Bodies are streamed to disk and back, never held in memory, so multi-GiB objects work
 * with a small heap. Buckets, objects and unfinished multipart uploads survive a restart on the
 * same directory.
 *
 * <p><b>Supported:</b> PutObject, GetObject (ranges, both range behaviours, conditional headers,
 * {@code response-*} overrides), HeadObject, DeleteObject, DeleteObjects, CopyObject (COPY and
 * REPLACE directives), ListObjects (v1 and v2), multipart (Initiate, UploadPart, Complete, Abort,
 * ListParts with the {@code ClientEncryption*} fields, ListMultipartUploads), PutBucket,
 * DeleteBucket, ListBuckets, GetBucketInfo. Replies carry {@code x-oss-request-id}, ETags, {@code
 * x-oss-hash-crc64ecma} and OSS error XML. The server-side client-side-encryption checks of OSS are
 * applied (docs/format.md FMT-24; the table is in local-oss/README.md).
 *
 * <p><b>Restrictions.</b> Listens on 127.0.0.1 only. No versioning, ACLs, append, symlinks,
 * UploadPartCopy, V4 presigned URLs or STS token checks ({@code NotImplemented} where a
 * sub-resource names them). V4 header signatures are accepted for any region. A server without
 * credentials accepts every request unsigned, and must be built with {@link
 * Builder#allowAnonymous()} to say so. Multipart parts other than the last must be at least {@link
 * #DEFAULT_MIN_PART_SIZE} unless {@link Builder#minPartSize(long)} says otherwise. Loopback has no
 * bandwidth limit of its own; {@link Builder#requestBodyRate(long)} models one per connection for
 * uploads.
 *
 * <p><b>Freshness.</b> As on OSS, a signed request whose {@code Date} (V1) or {@code x-oss-date}
 * (V4) is more than 15 minutes from the server clock is refused with {@code RequestTimeTooSkewed}
 * (403), and a presigned URL past its {@code Expires} with {@code AccessDenied}. A captured request
 * can be replayed within those 15 minutes, as on OSS.
 *
 * <pre>{@code
 * try (LocalOssServer oss = LocalOssServer.builder()
 *     .dataDirectory(dir).credentials("ak", "sk").build().start()) {
 *   oss.createBucket("bkt");
 *   OSS client = new OSSClientBuilder().build(oss.endpoint(), "ak", "sk");
 * }
 * }</pre>
 */
public final class LocalOssServer implements AutoCloseable {

  /** Default minimum size of every multipart part but the last, as on OSS (100 KiB). */
  public static final long DEFAULT_MIN_PART_SIZE = 100 * 1024;

  /** Options for a {@link LocalOssServer}. */
  public static final class Builder {
    private Path dataDirectory;
    private int port;
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private long minPartSize = DEFAULT_MIN_PART_SIZE;
    private boolean strictCseUploadPart;
    private int maxThreads = 32;
    private long requestBodyRate;
    private boolean anonymous;
    private Clock clock = Clock.systemUTC();
    private Duration maxPresignedValidity;

    private Builder() {}

    /**
     * Where objects are stored; created if missing. When not set, a fresh temporary directory is
     * used and deleted by {@link LocalOssServer#close()}.
     */
    public Builder dataDirectory(Path dir) {
      this.dataDirectory = Objects.requireNonNull(dir, "dataDirectory");
      return this;
    }

    /** TCP port on 127.0.0.1; 0 (the default) picks a free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Adds an accepted access key pair; may be called several times. Every request must then carry
     * a valid, fresh signature: V1 or V4 in the Authorization header (with a {@code Date} or {@code
     * x-oss-date} within 15 minutes of the server clock) or a V1 presigned URL that has not
     * expired.
     */
    public Builder credentials(String accessKeyId, String accessKeySecret) {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(accessKeySecret, "accessKeySecret");
      if (accessKeyId.isEmpty() || accessKeySecret.isEmpty()) {
        throw new IllegalArgumentException("accessKeyId and accessKeySecret must not be empty");
      }
      credentials.put(accessKeyId, accessKeySecret);
      return this;
    }

    /**
     * Accepts every request, signed or not, without checking it. Only for a server with no
     * credentials; {@link #build()} refuses a server with neither credentials nor this option, so
     * that an open endpoint is always a stated choice.
     */
    public Builder allowAnonymous() {
      this.anonymous = true;
      return this;
    }

    /**
     * The clock against which request times ({@code Date}, {@code x-oss-date}) and presigned {@code
     * Expires} are checked. Default: the system clock in UTC.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Refuses a V1 presigned URL whose {@code Expires} lies further than {@code validity} ahead of
     * the server clock ({@code AccessDenied}). Default: no bound, as OSS documents none for V1 (its
     * V4 presigned URLs are capped at 7 days).
     */
    public Builder maxPresignedValidity(Duration validity) {
      Objects.requireNonNull(validity, "validity");
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("maxPresignedValidity must be positive: " + validity);
      }
      this.maxPresignedValidity = validity;
      return this;
    }

    /**
     * Minimum size of every part but the last at CompleteMultipartUpload ({@code EntityTooSmall}
     * otherwise). Default {@link #DEFAULT_MIN_PART_SIZE}; 0 disables the check.
     */
    public Builder minPartSize(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("minPartSize must not be negative: " + bytes);
      }
      this.minPartSize = bytes;
      return this;
    }

    /**
     * When true, an UploadPart without client-side-encryption headers into an upload initiated with
     * them is refused (the Java SDK sends none; whether OSS refuses is UNCONFIRMED). Default false.
     */
    public Builder strictCseUploadPart(boolean strict) {
      this.strictCseUploadPart = strict;
      return this;
    }

    /** Maximum number of request threads (default 32). */
    public Builder maxThreads(int maxThreads) {
      if (maxThreads < 4) {
        throw new IllegalArgumentException("maxThreads must be at least 4: " + maxThreads);
      }
      this.maxThreads = maxThreads;
      return this;
    }

    /**
     * Paces the reading of every request body (PutObject, UploadPart, and the XML bodies of
     * CompleteMultipartUpload and DeleteObjects) to at most {@code bytesPerSecond}, each request on
     * its own, as a network link with that bandwidth per connection would deliver it; the client's
     * writes block once the socket buffers are full. The pace is kept on the cumulative byte count
     * (a 10 MB body at 10 MB/s takes about 1 s), by sleeping. 0 (the default) reads at full speed.
     * Replies are not paced.
     *
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public Builder requestBodyRate(long bytesPerSecond) {
      if (bytesPerSecond < 0) {
        throw new IllegalArgumentException(
            "requestBodyRate must not be negative: " + bytesPerSecond);
      }
      this.requestBodyRate = bytesPerSecond;
      return this;
    }

    /**
     * Creates the server (not started). Opens the data directory.
     *
     * @throws IllegalStateException if no credentials were added and {@link #allowAnonymous()} was
     *     not called, or if both were
     */
    public LocalOssServer build() {
      if (credentials.isEmpty() && !anonymous) {
        throw new IllegalStateException(
            "no credentials: add credentials(accessKeyId, accessKeySecret), or call"
                + " allowAnonymous() to accept unsigned requests");
      }
      if (!credentials.isEmpty() && anonymous) {
        throw new IllegalStateException("allowAnonymous() and credentials(...) exclude each other");
      }
      return new LocalOssServer(this);
    }
  }

  private final Path dataDirectory;
  private final boolean temporary;
  private final int requestedPort;
  private final ObjectStore store;
  private final FaultInjector faults = new FaultInjector();
  private final OssHandler handler;
  private final Server server;
  private ServerConnector connector;

  private LocalOssServer(Builder b) {
    this.temporary = b.dataDirectory == null;
    this.requestedPort = b.port;
    try {
      this.dataDirectory = temporary ? Files.createTempDirectory("local-oss-") : b.dataDirectory;
      Files.createDirectories(dataDirectory);
      this.store = new ObjectStore(dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open data directory " + b.dataDirectory, e);
    }
    this.handler =
        new OssHandler(
            store,
            new OssAuthenticator(Map.copyOf(b.credentials), b.clock, b.maxPresignedValidity),
            faults,
            b.minPartSize,
            b.strictCseUploadPart,
            b.requestBodyRate);
    QueuedThreadPool pool = new QueuedThreadPool(b.maxThreads, 2);
    pool.setName("local-oss");
    pool.setDaemon(true);
    this.server = new Server(pool);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts listening; returns this. */
  public synchronized LocalOssServer start() {
    if (connector != null) {
      throw new IllegalStateException("already started");
    }
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendDateHeader(true);
    config.setUriCompliance(UriCompliance.UNSAFE);
    config.setRequestHeaderSize(64 * 1024);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(requestedPort);
    connector.setIdleTimeout(120_000);
    server.addConnector(connector);
    server.setHandler(handler);
    server.setStopTimeout(2_000);
    try {
      server.start();
    } catch (Exception e) {
      connector = null;
      throw new IllegalStateException(
          "cannot start local OSS endpoint on port " + requestedPort, e);
    }
    return this;
  }

  /** The port actually bound. */
  public int port() {
    ServerConnector c = connector;
    if (c == null) {
      throw new IllegalStateException("not started");
    }
    return c.getLocalPort();
  }

  /** For example {@code http://127.0.0.1:40123}; pass it to {@code OSSClientBuilder.build}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * Creates a bucket if it does not exist yet (name: 3-63 characters of {@code [a-z0-9-]}).
   *
   * @return true if it was created, false if it existed
   */
  public boolean createBucket(String name) {
    try {
      return store.createBucket(Objects.requireNonNull(name, "name"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create bucket " + name, e);
    }
  }

  /** The fault hooks of this server. */
  public FaultInjector faults() {
    return faults;
  }

  /** Number of HTTP requests received so far. */
  public long requestCount() {
    return handler.requestCount();
  }

  /**
   * Stops the server. Stored data stays on disk, unless the data directory is the temporary one
   * created because none was set.
   */
  @Override
  public synchronized void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop local OSS endpoint", e);
    } finally {
      if (temporary) {
        deleteTree(dataDirectory);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort for a temporary directory
    }
  }
}
