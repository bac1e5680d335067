package dev.osscse.local.kms;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An in-process endpoint speaking the Alibaba Cloud KMS RPC protocol (API version 2016-01-20) on
 * 127.0.0.1, for tests and offline demos.
 *
 * <p><b>What it is.</b> Jetty 12 serving {@code POST /} (and GET) with the RPC query parameters (or
 * a form body) for {@code Encrypt}, {@code Decrypt}, {@code GenerateDataKey}, {@code DescribeKey}
 * and {@code CreateKey}. Requests must carry a valid RPC V1 (HMAC-SHA1) signature made with
 * configured credentials, a {@code Timestamp} within 15 minutes of the server clock ({@code
 * InvalidTimeStamp.Expired} otherwise) and a {@code SignatureNonce} no earlier accepted request
 * used ({@code SignatureNonceUsed}); only {@link Builder#allowAnonymous()} lifts these checks.
 * Replies and error bodies are JSON shaped like the real service's, so {@code aliyun-java-sdk-kms}
 * works against it unchanged (with {@code setSysProtocol(HTTP)} and {@code
 * setSysEndpoint("127.0.0.1:PORT")} per request for plain HTTP).
 *
 * <p><b>Keys and blobs.</b> Master keys are AES-256, one file each under {@code <dir>/keys}, so a
 * server restarted on the same directory decrypts old blobs. Blobs are AES-GCM, carry the key id,
 * and bind the encryption context as associated data (see {@code MasterKeys}).
 *
 * <p><b>HTTPS.</b> Each start generates a self-signed certificate for 127.0.0.1 and localhost and
 * writes a PKCS12 trust store holding it to {@code <dir>/tls/truststore.p12}; {@link
 * #trustStorePath()} and {@link #trustStorePassword()} let HTTPS clients trust it.
 *
 * <p><b>Security.</b> Test use only: key files are plain base64 (mode 0600 where supported).
 *
 * <pre>{@code
 * try (LocalKmsServer kms = LocalKmsServer.builder().dir(tmp).credentials("ak", "sk").build()) {
 *   kms.start();
 *   String keyId = kms.createKey();
 *   URI endpoint = kms.httpEndpoint();   // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class LocalKmsServer implements AutoCloseable {
  /** Default number of nonces remembered against replay. */
  public static final int DEFAULT_NONCE_CAPACITY = 100_000;

  private final Path dir;
  private final int httpPort;
  private final int httpsPort;
  private final Map<String, String> credentials;
  private final boolean verifySignatures;
  private final Clock clock;
  private final int nonceCapacity;
  private final KmsFaults faults = new KmsFaults();
  private final SecureRandom random = new SecureRandom();
  private Server server;
  private ServerConnector httpConnector;
  private ServerConnector httpsConnector;
  private MasterKeys keys;
  private KmsHandler handler;
  private Path trustStorePath;
  private String trustStorePassword;

  private LocalKmsServer(Builder b) {
    this.dir = b.dir;
    this.httpPort = b.httpPort;
    this.httpsPort = b.httpsPort;
    this.verifySignatures = !b.anonymous;
    this.clock = b.clock;
    this.nonceCapacity = b.nonceCapacity;
    Map<String, String> creds = new LinkedHashMap<>(b.credentials);
    if (creds.isEmpty()) {
      creds.put(
          "LTAIlocal" + Long.toHexString(random.nextLong()),
          Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
    }
    this.credentials = creds;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the keys, generates the TLS certificate and trust store, and starts listening.
   *
   * @return this
   * @throws IOException if the directory cannot be used or a port cannot be bound
   */
  public synchronized LocalKmsServer start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    Files.createDirectories(dir);
    keys = new MasterKeys(dir);
    handler = new KmsHandler(keys, credentials, verifySignatures, faults, clock, nonceCapacity);
    QueuedThreadPool pool = new QueuedThreadPool(32, 2);
    pool.setName("local-kms");
    pool.setDaemon(true);
    Server s = new Server(pool);
    httpConnector = new ServerConnector(s, 1, 1);
    httpConnector.setHost("127.0.0.1");
    httpConnector.setPort(httpPort);
    s.addConnector(httpConnector);
    if (httpsPort >= 0) {
      SelfSignedTls tls;
      try {
        tls = SelfSignedTls.generate(random);
        trustStorePassword = Long.toHexString(random.nextLong()) + "tS";
        trustStorePath = dir.resolve("tls").resolve("truststore.p12");
        tls.writeTrustStore(trustStorePath, trustStorePassword);
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot create the TLS certificate", e);
      }
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(tls.keyStore);
      ssl.setKeyStorePassword(tls.keyStorePassword);
      ssl.setKeyManagerPassword(tls.keyStorePassword);
      HttpConfiguration https = new HttpConfiguration();
      https.addCustomizer(new SecureRequestCustomizer(false));
      httpsConnector =
          new ServerConnector(
              s, 1, 1, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
      httpsConnector.setHost("127.0.0.1");
      httpsConnector.setPort(httpsPort);
      s.addConnector(httpsConnector);
    }
    s.setHandler(handler);
    try {
      s.start();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot start the local KMS", e);
    }
    server = s;
    return this;
  }

  /** Returns {@code http://127.0.0.1:PORT}. */
  public URI httpEndpoint() {
    return URI.create("http://127.0.0.1:" + started().httpConnector.getLocalPort());
  }

  /**
   * Returns {@code https://127.0.0.1:PORT}.
   *
   * @throws IllegalStateException if HTTPS was disabled
   */
  public URI httpsEndpoint() {
    if (started().httpsConnector == null) {
      throw new IllegalStateException("HTTPS disabled");
    }
    return URI.create("https://127.0.0.1:" + httpsConnector.getLocalPort());
  }

  /** Returns the PKCS12 trust store file holding this run's server certificate. */
  public Path trustStorePath() {
    started();
    if (trustStorePath == null) {
      throw new IllegalStateException("HTTPS disabled");
    }
    return trustStorePath;
  }

  /** Returns the trust store password. */
  public String trustStorePassword() {
    trustStorePath();
    return trustStorePassword;
  }

  /** Returns the first configured access key id (random if none was configured). */
  public String accessKeyId() {
    return credentials.keySet().iterator().next();
  }

  /** Returns the secret of {@link #accessKeyId()}. */
  public String accessKeySecret() {
    return credentials.values().iterator().next();
  }

  /** Creates a master key (persisted in the directory) and returns its id, a UUID. */
  public String createKey() throws IOException {
    return started().keys.create();
  }

  /**
   * Disables or enables a master key, as KMS's DisableKey and EnableKey do (also served over HTTP).
   * A disabled key answers {@code Forbidden.KeyNotEnabled}. Kept in memory only.
   */
  public void setKeyEnabled(String keyId, boolean enabled) {
    try {
      started().keys.setEnabled(keyId, enabled);
    } catch (KmsError e) {
      throw new IllegalArgumentException("no such key: " + keyId, e);
    }
  }

  /** Returns the fault hooks and their counters. */
  public KmsFaults faults() {
    return faults;
  }

  /** Returns the number of requests received since start. */
  public long requestCount() {
    return started().handler.requests.get();
  }

  /** Returns the number of requests received since start for one action, e.g. "Decrypt". */
  public long requestCount(String action) {
    AtomicLong n = started().handler.actions.get(action);
    return n == null ? 0 : n.get();
  }

  /**
   * Returns the largest number of requests that were being handled at the same time since start (or
   * since {@link #resetMaxConcurrentRequests()}): 2 means two requests overlapped.
   */
  public int maxConcurrentRequests() {
    return started().handler.maxInFlight.get();
  }

  /** Sets the {@link #maxConcurrentRequests()} mark back to the number handled right now. */
  public void resetMaxConcurrentRequests() {
    KmsHandler h = started().handler;
    h.maxInFlight.set(h.inFlight.get());
  }

  /** Returns the number of requests refused for a missing or wrong signature or access key. */
  public long signatureFailures() {
    return started().handler.signatureFailures.get();
  }

  /** Returns the number of request nonces currently remembered against replay. */
  public int noncesHeld() {
    return started().handler.noncesHeld();
  }

  /** Stops the server; keys stay on disk. Idempotent. */
  @Override
  public synchronized void close() {
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        // stopping a local test server: nothing useful to do
      }
      server = null;
    }
  }

  private synchronized LocalKmsServer started() {
    if (server == null) {
      throw new IllegalStateException("local KMS not started");
    }
    return this;
  }

  /** Builds a {@link LocalKmsServer}. */
  public static final class Builder {
    private Path dir;
    private int httpPort;
    private int httpsPort;
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private boolean anonymous;
    private Clock clock = Clock.systemUTC();
    private int nonceCapacity = DEFAULT_NONCE_CAPACITY;

    private Builder() {}

    /** Sets the directory holding keys and the trust store (required). */
    public Builder dir(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Sets the HTTP port; 0 (default) picks a free one. */
    public Builder httpPort(int port) {
      this.httpPort = checkPort(port);
      return this;
    }

    /** Sets the HTTPS port; 0 (default) picks a free one, -1 disables HTTPS. */
    public Builder httpsPort(int port) {
      this.httpsPort = port == -1 ? -1 : checkPort(port);
      return this;
    }

    /**
     * Adds an accepted access key pair. With none, a random pair is made (see {@link
     * LocalKmsServer#accessKeyId()}).
     */
    public Builder credentials(String accessKeyId, String accessKeySecret) {
      credentials.put(
          Objects.requireNonNull(accessKeyId, "accessKeyId"),
          Objects.requireNonNull(accessKeySecret, "accessKeySecret"));
      return this;
    }

    /**
     * Accepts every request without checking its signature, Timestamp or nonce. Excludes {@link
     * #credentials}; without either, a random pair is made and required.
     */
    public Builder allowAnonymous() {
      this.anonymous = true;
      return this;
    }

    /**
     * The clock request {@code Timestamp}s are checked against. Default: the system clock in UTC.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How many {@code SignatureNonce}s of fresh accepted requests are kept (default {@value
     * #DEFAULT_NONCE_CAPACITY}). When that many are held, further requests are refused with 503
     * until the oldest expire (15 minutes after their Timestamp), rather than forgetting one.
     */
    public Builder nonceCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("nonceCapacity must be at least 1: " + capacity);
      }
      this.nonceCapacity = capacity;
      return this;
    }

    /**
     * Builds the server (not started).
     *
     * @throws IllegalStateException if no directory was set, or if both {@link #allowAnonymous()}
     *     and credentials were
     */
    public LocalKmsServer build() {
      if (dir == null) {
        throw new IllegalStateException("dir is required");
      }
      if (anonymous && !credentials.isEmpty()) {
        throw new IllegalStateException("allowAnonymous() and credentials(...) exclude each other");
      }
      return new LocalKmsServer(this);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      return port;
    }
  }
}
