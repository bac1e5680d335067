package dev.osscse.aliyun.kms;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.AlibabaCloudCredentials;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.auth.StaticCredentialsProvider;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.kms.model.v20160120.CreateKeyRequest;
import com.aliyuncs.kms.model.v20160120.CreateKeyResponse;
import com.aliyuncs.kms.model.v20160120.DecryptRequest;
import com.aliyuncs.kms.model.v20160120.DecryptResponse;
import com.aliyuncs.kms.model.v20160120.DescribeKeyRequest;
import com.aliyuncs.kms.model.v20160120.DescribeKeyResponse;
import com.aliyuncs.kms.model.v20160120.EncryptRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyResponse;
import com.aliyuncs.profile.DefaultProfile;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.osscse.provider.DataKey;
import dev.osscse.provider.KeyService;
import dev.osscse.provider.KeyServiceException;
import dev.osscse.provider.KeyServiceException.Kind;
import dev.osscse.provider.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * {@link KeyService} over Alibaba Cloud KMS (API 2016-01-20) with {@code aliyun-java-sdk-kms}
 * 2.16.6 on {@code aliyun-java-sdk-core} 4.7.8.
 *
 * <p><b>What it is.</b> One {@code DefaultAcsClient}, built once and reused by every call, that
 * sends {@code Encrypt}, {@code Decrypt}, {@code GenerateDataKey} and {@code DescribeKey} (and
 * {@code CreateKey} for {@link #createKey(String)}) over HTTPS to {@code kms.<region>.aliyuncs.com}
 * (or an explicit endpoint). Plain HTTP is used only for an explicitly configured {@link
 * Builder#localEndpoint(URI) local endpoint} on a loopback address; a local HTTPS endpoint can use
 * its own trust store.
 *
 * <p><b>Credentials.</b> Explicit values, or (default) the environment: {@code
 * OSS_ACCESS_KEY_ID}/{@code OSS_ACCESS_KEY_SECRET}/{@code OSS_SESSION_TOKEN} first, then {@code
 * ALIBABA_CLOUD_ACCESS_KEY_ID}/{@code ALIBABA_CLOUD_ACCESS_KEY_SECRET}/{@code
 * ALIBABA_CLOUD_SECURITY_TOKEN}. The RAM identity needs {@code kms:Encrypt}, {@code kms:Decrypt},
 * {@code kms:GenerateDataKey} and {@code kms:DescribeKey} on the key, and {@code kms:CreateKey} to
 * use {@link #createKey(String)}.
 *
 * <p><b>Retries.</b> Throttling ({@code Throttling*} codes), server errors (5xx) and I/O errors are
 * retried up to {@link Builder#maxRetries(int)} times (default 3) with full-jitter exponential
 * backoff (base 100 ms, cap 5 s by default); then the call fails with a {@link KeyServiceException}
 * of kind {@code THROTTLED}, {@code UNAVAILABLE} or {@code IO}. Other errors fail at once as {@code
 * REJECTED}.
 *
 * <p><b>Security.</b> Exceptions carry the action, the service's error code and request id, and
 * nothing else: the SDK's own exceptions are dropped because their messages can quote the request
 * URL or the string to sign, which contain the plaintext.
 *
 * <p><b>Thread safety.</b> Safe for concurrent use; the two wraps of one object can run at once
 * (the OSS binding's {@code EnvelopeCrypto} does so). Call {@link #close()} when done.
 */
public final class AliyunKmsKeyService implements KeyService, AutoCloseable {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final DefaultAcsClient client;
  private final String endpointHost;
  private final ProtocolType protocol;
  private final RetryPolicy retryPolicy;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();

  private AliyunKmsKeyService(Builder b, AlibabaCloudCredentials credentials) {
    String region = b.region != null ? b.region : "cn-hangzhou";
    if (b.localEndpoint != null) {
      this.endpointHost = b.localEndpoint.getHost() + ":" + port(b.localEndpoint);
      this.protocol =
          "http".equalsIgnoreCase(b.localEndpoint.getScheme())
              ? ProtocolType.HTTP
              : ProtocolType.HTTPS;
    } else {
      this.endpointHost = b.endpoint != null ? b.endpoint : "kms." + region + ".aliyuncs.com";
      this.protocol = ProtocolType.HTTPS;
    }
    this.retryPolicy =
        RetryPolicy.of(
            b.maxRetries,
            b.baseBackoff.toMillis(),
            b.maxBackoff.toMillis(),
            t -> t instanceof KeyServiceException k && k.isTransient());
    DefaultProfile profile = DefaultProfile.getProfile(region);
    HttpClientConfig config = HttpClientConfig.getDefault();
    // Per-client HttpURLConnection transport: the default Apache transport is a JVM-wide
    // singleton whose first user fixes timeouts and trust managers for every client.
    config.setCompatibleMode(true);
    config.setProtocolType(protocol);
    config.setConnectionTimeoutMillis(b.connectTimeout.toMillis());
    config.setReadTimeoutMillis(b.readTimeout.toMillis());
    if (b.trustManager != null) {
      config.setX509TrustManagers(new X509TrustManager[] {b.trustManager});
    }
    profile.setHttpClientConfig(config);
    this.client = new DefaultAcsClient(profile, new StaticCredentialsProvider(credentials));
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String encrypt(String keyId, String plaintextBase64, Map<String, String> context)
      throws KeyServiceException {
    EncryptRequest req = new EncryptRequest();
    req.setKeyId(Objects.requireNonNull(keyId, "keyId"));
    req.setPlaintext(Objects.requireNonNull(plaintextBase64, "plaintextBase64"));
    setContext(req, context);
    return call("Encrypt", req).getCiphertextBlob();
  }

  @Override
  public String decrypt(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    DecryptRequest req = new DecryptRequest();
    req.setCiphertextBlob(Objects.requireNonNull(ciphertextBlob, "ciphertextBlob"));
    setContext(req, context);
    return call("Decrypt", req).getPlaintext();
  }

  /** {@code Decrypt}, with the {@code KeyId} of the reply (the key that decrypted the blob). */
  @Override
  public Decryption decryptWithKeyId(String ciphertextBlob, Map<String, String> context)
      throws KeyServiceException {
    DecryptRequest req = new DecryptRequest();
    req.setCiphertextBlob(Objects.requireNonNull(ciphertextBlob, "ciphertextBlob"));
    setContext(req, context);
    DecryptResponse r = call("Decrypt", req);
    return new Decryption(r.getPlaintext(), r.getKeyId());
  }

  /**
   * A key UUID, or an ARN ending in {@code key/<uuid>}, is resolved locally; an alias ({@code
   * alias/...} or its ARN) with one {@code DescribeKey} call, which needs {@code kms:DescribeKey}.
   */
  @Override
  public String resolveKeyId(String keyIdAliasOrArn) throws KeyServiceException {
    Objects.requireNonNull(keyIdAliasOrArn, "keyIdAliasOrArn");
    try {
      return KeyService.super.resolveKeyId(keyIdAliasOrArn);
    } catch (KeyServiceException notLocal) {
      DescribeKeyRequest req = new DescribeKeyRequest();
      req.setKeyId(keyIdAliasOrArn);
      DescribeKeyResponse r = call("DescribeKey", req);
      String id = r.getKeyMetadata() == null ? null : r.getKeyMetadata().getKeyId();
      if (id == null || id.isBlank()) {
        throw new KeyServiceException(
            Kind.BAD_RESPONSE, null, r.getRequestId(), "KMS DescribeKey reply has no KeyId", null);
      }
      return id;
    }
  }

  @Override
  public DataKey generateDataKey(String keyId, int numberOfBytes, Map<String, String> context)
      throws KeyServiceException {
    if (numberOfBytes < 1 || numberOfBytes > 1024) {
      throw new IllegalArgumentException("numberOfBytes must be 1..1024, got " + numberOfBytes);
    }
    GenerateDataKeyRequest req = new GenerateDataKeyRequest();
    req.setKeyId(Objects.requireNonNull(keyId, "keyId"));
    req.setNumberOfBytes(numberOfBytes);
    setContext(req, context);
    GenerateDataKeyResponse r = call("GenerateDataKey", req);
    byte[] key;
    try {
      key = Base64.getDecoder().decode(r.getPlaintext());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new KeyServiceException(
          Kind.BAD_RESPONSE, null, r.getRequestId(), "KMS GenerateDataKey reply unreadable", null);
    }
    try {
      if (r.getCiphertextBlob() == null || r.getKeyId() == null) {
        throw new KeyServiceException(
            Kind.BAD_RESPONSE,
            null,
            r.getRequestId(),
            "KMS GenerateDataKey reply incomplete",
            null);
      }
      return new DataKey(r.getKeyId(), key, r.getCiphertextBlob());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Returns the state of a master key ({@code "Enabled"}, {@code "Disabled"}, {@code
   * "PendingDeletion"}...), to check configuration and permissions before writing.
   */
  public String describeKeyState(String keyId) throws KeyServiceException {
    DescribeKeyRequest req = new DescribeKeyRequest();
    req.setKeyId(Objects.requireNonNull(keyId, "keyId"));
    return call("DescribeKey", req).getKeyMetadata().getKeyState();
  }

  /**
   * Creates a symmetric master key ({@code Aliyun_AES_256}, usage {@code ENCRYPT/DECRYPT}) and
   * returns its id, usable at once with {@link #encrypt}, {@link #generateDataKey} and {@link
   * #decrypt}. Retried and translated like every other call; needs {@code kms:CreateKey}.
   *
   * <p>A failed attempt that the service did carry out can leave an extra, unused key behind when
   * the call is retried.
   *
   * @param description text stored with the key; null or empty for none
   * @throws KeyServiceException if the service refuses or the reply has no key id
   */
  public String createKey(String description) throws KeyServiceException {
    CreateKeyRequest req = new CreateKeyRequest();
    req.setKeySpec("Aliyun_AES_256");
    req.setKeyUsage("ENCRYPT/DECRYPT");
    if (description != null && !description.isEmpty()) {
      req.setDescription(description);
    }
    CreateKeyResponse r = call("CreateKey", req);
    String id = r.getKeyMetadata() == null ? null : r.getKeyMetadata().getKeyId();
    if (id == null || id.isBlank()) {
      throw new KeyServiceException(
          Kind.BAD_RESPONSE, null, r.getRequestId(), "KMS CreateKey reply has no KeyId", null);
    }
    return id;
  }

  /** Returns the host (and port) requests go to. */
  public String endpoint() {
    return endpointHost;
  }

  /** Returns true if requests use HTTPS. */
  public boolean usesHttps() {
    return protocol == ProtocolType.HTTPS;
  }

  /** Returns the number of HTTP requests sent, retries included. */
  public long requestCount() {
    return requests.get();
  }

  /** Returns the number of retries made. */
  public long retryCount() {
    return retries.get();
  }

  /** Releases the client. */
  @Override
  public void close() {
    client.shutdown();
  }

  private static void setContext(AcsRequest<?> req, Map<String, String> context) {
    Objects.requireNonNull(context, "context");
    if (!context.isEmpty()) {
      String json = GSON.toJson(new TreeMap<>(context));
      if (req instanceof EncryptRequest) {
        ((EncryptRequest) req).setEncryptionContext(json);
      } else if (req instanceof DecryptRequest) {
        ((DecryptRequest) req).setEncryptionContext(json);
      } else if (req instanceof GenerateDataKeyRequest) {
        ((GenerateDataKeyRequest) req).setEncryptionContext(json);
      }
    }
  }

  private <T extends AcsResponse> T call(String action, AcsRequest<T> req)
      throws KeyServiceException {
    req.setSysEndpoint(endpointHost);
    req.setSysProtocol(protocol);
    RetryPolicy.Budget budget = retryPolicy.budget();
    while (true) {
      requests.incrementAndGet();
      KeyServiceException last;
      try {
        return client.getAcsResponse(req);
      } catch (ServerException e) {
        last = translate(action, e, true);
      } catch (ClientException e) {
        last = translate(action, e, false);
      } catch (RuntimeException e) {
        last =
            new KeyServiceException(
                Kind.BAD_RESPONSE,
                null,
                null,
                "KMS " + action + " failed: " + e.getClass().getName(),
                null);
      }
      try {
        if (!budget.retry(last)) {
          throw last;
        }
      } catch (InterruptedIOException e) {
        throw last;
      }
      retries.incrementAndGet();
    }
  }

  /** Maps an SDK exception to a secret-free {@link KeyServiceException} (the SDK's is dropped). */
  static KeyServiceException translate(String action, ClientException e, boolean server) {
    String code = e.getErrCode();
    String requestId = e.getRequestId();
    Kind kind;
    if (code != null && code.toLowerCase(Locale.ROOT).startsWith("throttling")) {
      kind = Kind.THROTTLED;
    } else if (server) {
      kind = Kind.UNAVAILABLE;
    } else if ("SDK.ServerUnreachable".equals(code)
        || "SDK.ReadTimeout".equals(code)
        || "SDK.RequestTryOrRetryFailed".equals(code)) {
      kind = Kind.IO;
    } else if (code == null || "SDK.InvalidServerResponse".equals(code)) {
      kind = Kind.BAD_RESPONSE;
    } else {
      kind = Kind.REJECTED;
    }
    String what = meaning(code);
    return new KeyServiceException(
        kind,
        code,
        requestId,
        "KMS " + action + " failed" + (what == null ? "" : ": " + what),
        null);
  }

  /** Plain words for the codes a user can act on, or null. */
  private static String meaning(String code) {
    if (code == null) {
      return null;
    }
    String c = code.toLowerCase(Locale.ROOT);
    if (c.contains("keynotfound") || c.equals("forbidden.resourcenotfound")) {
      return "the KMS key was not found";
    }
    if (c.contains("disabled") || c.contains("notenabled") || c.contains("pendingdeletion")) {
      return "the KMS key is disabled or pending deletion";
    }
    if (c.equals("forbidden.nopermission") || c.contains("accessdenied")) {
      return "access to the KMS key was denied";
    }
    if (c.equals("sdk.serverunreachable")) {
      return "the KMS endpoint could not be reached (network, name or TLS trust)";
    }
    if (c.equals("sdk.readtimeout")) {
      return "the KMS endpoint did not answer in time";
    }
    if (c.startsWith("invalidaccesskeyid")
        || c.equals("signaturedoesnotmatch")
        || c.equals("sdk.invalidaccesskeysecret")) {
      return "the KMS credentials were refused";
    }
    return null;
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Builds an {@link AliyunKmsKeyService}. */
  public static final class Builder {
    private String region;
    private String endpoint;
    private URI localEndpoint;
    private String accessKeyId;
    private String accessKeySecret;
    private String securityToken;
    private Map<String, String> environment;
    private X509TrustManager trustManager;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(10);
    private int maxRetries = 3;
    private Duration baseBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Sets the region, e.g. {@code cn-hangzhou}; the endpoint is then {@code
     * kms.<region>.aliyuncs.com}.
     */
    public Builder region(String region) {
      this.region = requireText(region, "region");
      return this;
    }

    /** Sets an explicit HTTPS endpoint host, e.g. {@code kms-vpc.cn-hangzhou.aliyuncs.com}. */
    public Builder endpoint(String host) {
      String h = requireText(host, "endpoint");
      if (h.contains("/") || h.contains("?")) {
        throw new IllegalArgumentException("endpoint must be a host name, got " + h);
      }
      this.endpoint = h;
      return this;
    }

    /**
     * Points at a local KMS-protocol endpoint, {@code http://} or {@code https://} on a loopback
     * address (127.0.0.1, localhost or ::1). The only way to get plain HTTP.
     */
    public Builder localEndpoint(URI uri) {
      Objects.requireNonNull(uri, "localEndpoint");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("localEndpoint must be http or https, got " + uri);
      }
      String host = uri.getHost();
      if (!"127.0.0.1".equals(host) && !"localhost".equals(host) && !"[::1]".equals(host)) {
        throw new IllegalArgumentException("localEndpoint must be a loopback address, got " + uri);
      }
      this.localEndpoint = uri;
      return this;
    }

    /** Sets long-term credentials. */
    public Builder credentials(String accessKeyId, String accessKeySecret) {
      return credentials(accessKeyId, accessKeySecret, null);
    }

    /** Sets STS credentials (the token may be null for long-term keys). */
    public Builder credentials(String accessKeyId, String accessKeySecret, String securityToken) {
      this.accessKeyId = requireText(accessKeyId, "accessKeyId");
      this.accessKeySecret = requireText(accessKeySecret, "accessKeySecret");
      this.securityToken = securityToken;
      return this;
    }

    /**
     * Reads credentials from this map instead of {@code System.getenv()} (same variable names); for
     * tests and for callers with their own configuration source.
     */
    public Builder environment(Map<String, String> env) {
      this.environment = Map.copyOf(env);
      return this;
    }

    /** Trusts the certificates of a PKCS12 or JKS trust store (for a local HTTPS endpoint). */
    public Builder trustStore(Path path, char[] password)
        throws IOException, GeneralSecurityException {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      try (InputStream in = Files.newInputStream(path)) {
        ks.load(in, password);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager) {
          this.trustManager = (X509TrustManager) tm;
          return this;
        }
      }
      throw new GeneralSecurityException("no X509TrustManager for " + path);
    }

    /** Sets the connect timeout (default 5 s). */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** Sets the read timeout (default 10 s). */
    public Builder readTimeout(Duration d) {
      this.readTimeout = positive(d, "readTimeout");
      return this;
    }

    /** Sets how many times a transient failure is retried, 0 to 10 (default 3). */
    public Builder maxRetries(int n) {
      if (n < 0 || n > 10) {
        throw new IllegalArgumentException("maxRetries must be 0..10, got " + n);
      }
      this.maxRetries = n;
      return this;
    }

    /**
     * Sets the backoff base and cap (defaults 100 ms and 5 s); the delay before retry k is uniform
     * in [0, min(cap, base * 2^(k-1))].
     */
    public Builder backoff(Duration base, Duration cap) {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(cap, "cap");
      if (base.isNegative() || cap.compareTo(base) < 0) {
        throw new IllegalArgumentException("backoff needs 0 <= base <= cap");
      }
      this.baseBackoff = base;
      this.maxBackoff = cap;
      return this;
    }

    /**
     * Builds the service.
     *
     * @throws IllegalStateException if no region or endpoint is set, or no credentials are found
     */
    public AliyunKmsKeyService build() {
      if (region == null && endpoint == null && localEndpoint == null) {
        throw new IllegalStateException("region, endpoint or localEndpoint is required");
      }
      if (endpoint != null && localEndpoint != null) {
        throw new IllegalStateException("set endpoint or localEndpoint, not both");
      }
      AlibabaCloudCredentials creds;
      if (accessKeyId != null) {
        creds = sdkCredentials(accessKeyId, accessKeySecret, securityToken);
      } else {
        Map<String, String> env = environment != null ? environment : System.getenv();
        creds = fromEnvironment(env);
      }
      return new AliyunKmsKeyService(this, creds);
    }

    private static AlibabaCloudCredentials fromEnvironment(Map<String, String> env) {
      String[][] sets = {
        {"OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "OSS_SESSION_TOKEN"},
        {
          "ALIBABA_CLOUD_ACCESS_KEY_ID",
          "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
          "ALIBABA_CLOUD_SECURITY_TOKEN"
        }
      };
      for (String[] names : sets) {
        String id = env.get(names[0]);
        String secret = env.get(names[1]);
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
          return sdkCredentials(id, secret, env.get(names[2]));
        }
      }
      throw new IllegalStateException(
          "no KMS credentials: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or"
              + " ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    }

    private static AlibabaCloudCredentials sdkCredentials(String id, String secret, String token) {
      return token == null || token.isBlank()
          ? new BasicCredentials(id, secret)
          : new BasicSessionCredentials(id, secret, token);
    }

    private static String requireText(String s, String name) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return s.trim();
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be > 0, got " + d);
      }
      return d;
    }
  }
}
