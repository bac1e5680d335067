package dev.osscse.hadoop;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import dev.osscse.aliyun.kms.AliyunKmsKeyService;
import dev.osscse.keys.PemKeys;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.KmsKeyReference;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;

/**
 * The {@code fs.osscse.*} configuration keys, read once per file system instance.
 *
 * <p><b>What it is.</b> Every key the {@code osscse://} file system reads, with its default, and
 * the code that turns them into an OSS client and an {@link OssCseClient}. docs/hadoop-spark.md
 * lists the same keys.
 *
 * <p><b>Security guarantees.</b> Secrets (the access key secret, the security token) are read
 * through {@link Configuration#getPassword(String)}, so a Hadoop credential provider can hold them;
 * they never appear in messages or {@link #toString()}. Without a write key the file system cannot
 * create files; it never writes plaintext.
 *
 * <p><b>Restrictions / failure behaviour.</b> A missing endpoint, missing credentials, an
 * unreadable PEM file or a malformed number fail {@code initialize} with an {@link IOException} or
 * {@link IllegalArgumentException} naming the key.
 */
public final class OssCseFsSettings {
  /** Prefix of every key. */
  public static final String PREFIX = "fs.osscse.";

  /** OSS endpoint URL, e.g. {@code https://oss-cn-hangzhou.aliyuncs.com}. Required. */
  public static final String ENDPOINT = PREFIX + "endpoint";

  /** Access key id (falls back to the environment variable {@code OSS_ACCESS_KEY_ID}). */
  public static final String ACCESS_KEY_ID = PREFIX + "access.key.id";

  /** Access key secret, read with getPassword (falls back to {@code OSS_ACCESS_KEY_SECRET}). */
  public static final String ACCESS_KEY_SECRET = PREFIX + "access.key.secret";

  /** STS security token, read with getPassword (falls back to {@code OSS_SESSION_TOKEN}). */
  public static final String SECURITY_TOKEN = PREFIX + "security.token";

  /** Local path of the RSA public key PEM used to write (wrap new content keys). */
  public static final String RSA_PUBLIC_KEY_FILE = PREFIX + "rsa.public.key.file";

  /** Comma-separated local paths of RSA private key PEMs used to read; every one is tried. */
  public static final String RSA_PRIVATE_KEY_FILES = PREFIX + "rsa.private.key.files";

  /** KMS key id, alias or ARN: writes with it when no RSA public key is set, reads with it. */
  public static final String KMS_KEY_ID = PREFIX + "kms.key.id";

  /** KMS region, e.g. {@code cn-hangzhou}. */
  public static final String KMS_REGION = PREFIX + "kms.region";

  /** KMS endpoint: a host name, or an {@code http://127.0.0.1:port} URL of a local endpoint. */
  public static final String KMS_ENDPOINT = PREFIX + "kms.endpoint";

  /** Material description of the write key: {@code k=v,k2=v2} (default: none). */
  public static final String MATDESC = PREFIX + "matdesc";

  /** Multipart part size in bytes, a multiple of 16 (default 8 MiB). */
  public static final String PART_SIZE = PREFIX + "multipart.part.size";

  /** Parts of one output stream in flight, and threads of the shared pool (default 4). */
  public static final String PARALLELISM = PREFIX + "parallelism";

  /** Bytes a random-policy read fetches at least per GET (default 256 KiB). */
  public static final String READ_AHEAD = PREFIX + "read.ahead";

  /** Whether objects without an envelope are returned as stored (default false: refused). */
  public static final String ALLOW_PLAINTEXT = PREFIX + "allow.plaintext";

  /**
   * Whether writes are authenticated: marker and companion record {@code .oss-cse-auth/<key>}
   * (docs/format.md FMT-26..FMT-31; default false). Needs a part size that is a multiple of 1 MiB.
   */
  public static final String AUTHENTICATE = PREFIX + "authenticate";

  /**
   * Whether reads refuse objects that are untagged or fail their record (FMT-30; default false).
   */
  public static final String REQUIRE_AUTHENTICATION = PREFIX + "require.authentication";

  /** Block size reported in file status, the split size of jobs (default 64 MiB). */
  public static final String BLOCK_SIZE = PREFIX + "block.size";

  /**
   * Entries of the RSA content-key cache (default 256; 0 turns it off): repeated GETs of one object
   * (Parquet footer, column chunks, vectored ranges) then cost one RSA unwrap instead of one each.
   */
  public static final String RSA_KEY_CACHE_ENTRIES = PREFIX + "rsa.key.cache.entries";

  /** Seconds a cached RSA content key lives (default 60). */
  public static final String RSA_KEY_CACHE_SECONDS = PREFIX + "rsa.key.cache.seconds";

  /** Maximum HTTP connections of the OSS client (default 64). */
  public static final String MAX_CONNECTIONS = PREFIX + "connection.maximum";

  static final long DEFAULT_PART_SIZE = 8L << 20;
  static final int DEFAULT_PARALLELISM = 4;
  static final int DEFAULT_READ_AHEAD = 256 << 10;
  static final long DEFAULT_BLOCK_SIZE = 64L << 20;

  final String endpoint;

  /** Multipart part size. */
  public final long partSize;

  /** Parts in flight per upload. */
  public final int parallelism;

  final int readAhead;
  final boolean allowPlaintext;
  final boolean authenticate;
  final boolean requireAuthentication;
  final long blockSize;
  final int maxConnections;
  final int keyCacheEntries;
  final long keyCacheSeconds;
  private final Configuration conf;
  private final UnaryOperator<String> env;

  private OssCseFsSettings(Configuration conf, UnaryOperator<String> env) {
    this.conf = conf;
    this.env = env;
    this.endpoint = conf.getTrimmed(ENDPOINT);
    if (endpoint == null || endpoint.isEmpty()) {
      throw new IllegalArgumentException(ENDPOINT + " is not set");
    }
    this.partSize = conf.getLongBytes(PART_SIZE, DEFAULT_PART_SIZE);
    if (partSize <= 0 || partSize % 16 != 0) {
      throw new IllegalArgumentException(PART_SIZE + " must be a positive multiple of 16");
    }
    this.parallelism = conf.getInt(PARALLELISM, DEFAULT_PARALLELISM);
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException(PARALLELISM + " must be between 1 and 64");
    }
    long ra = conf.getLongBytes(READ_AHEAD, DEFAULT_READ_AHEAD);
    if (ra < 1 || ra > (64L << 20)) {
      throw new IllegalArgumentException(READ_AHEAD + " must be between 1 and 64 MiB");
    }
    this.readAhead = (int) ra;
    this.allowPlaintext = conf.getBoolean(ALLOW_PLAINTEXT, false);
    this.authenticate = conf.getBoolean(AUTHENTICATE, false);
    this.requireAuthentication = conf.getBoolean(REQUIRE_AUTHENTICATION, false);
    if (requireAuthentication && allowPlaintext) {
      throw new IllegalArgumentException(
          REQUIRE_AUTHENTICATION + " and " + ALLOW_PLAINTEXT + " cannot both be true (FMT-30)");
    }
    if (authenticate && partSize % (1L << 20) != 0) {
      throw new IllegalArgumentException(
          PART_SIZE + " must be a multiple of 1 MiB when " + AUTHENTICATE + " is true (FMT-31)");
    }
    this.blockSize = conf.getLongBytes(BLOCK_SIZE, DEFAULT_BLOCK_SIZE);
    if (blockSize < 1) {
      throw new IllegalArgumentException(BLOCK_SIZE + " must be positive");
    }
    this.maxConnections = conf.getInt(MAX_CONNECTIONS, 64);
    this.keyCacheEntries = conf.getInt(RSA_KEY_CACHE_ENTRIES, 256);
    this.keyCacheSeconds = conf.getLong(RSA_KEY_CACHE_SECONDS, 60);
    if (keyCacheEntries < 0 || keyCacheEntries > 10_000) {
      throw new IllegalArgumentException(RSA_KEY_CACHE_ENTRIES + " must be between 0 and 10000");
    }
    if (keyCacheSeconds < 1 || keyCacheSeconds > 86_400) {
      throw new IllegalArgumentException(RSA_KEY_CACHE_SECONDS + " must be between 1 and 86400");
    }
  }

  /** Reads the settings from {@code conf}, with the process environment as fallback. */
  public static OssCseFsSettings from(Configuration conf) {
    return new OssCseFsSettings(conf, System::getenv);
  }

  static OssCseFsSettings from(Configuration conf, UnaryOperator<String> env) {
    return new OssCseFsSettings(conf, env);
  }

  private String secret(String key, String envName) throws IOException {
    char[] value = conf.getPassword(key);
    if (value != null && value.length > 0) {
      return new String(value);
    }
    return env.apply(envName);
  }

  private String[] credentials() throws IOException {
    String id = conf.getTrimmed(ACCESS_KEY_ID);
    if (id == null || id.isEmpty()) {
      id = env.apply("OSS_ACCESS_KEY_ID");
    }
    String secret = secret(ACCESS_KEY_SECRET, "OSS_ACCESS_KEY_SECRET");
    if (id == null || secret == null) {
      throw new IOException(
          "no OSS credentials: set "
              + ACCESS_KEY_ID
              + " and "
              + ACCESS_KEY_SECRET
              + " (or OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET in the environment)");
    }
    return new String[] {id, secret, secret(SECURITY_TOKEN, "OSS_SESSION_TOKEN")};
  }

  /** A new plain OSS client for this configuration; the caller shuts it down. */
  public OSS newOssClient() throws IOException {
    String[] c = credentials();
    ClientBuilderConfiguration cbc = new ClientBuilderConfiguration();
    cbc.setMaxConnections(maxConnections);
    cbc.setMaxErrorRetry(3);
    cbc.setConnectionTimeout(10_000);
    cbc.setSocketTimeout(60_000);
    // Object bodies go through the binding, which compares its own CRC-64 of each body with the
    // server's (computed in the encryption pass, several times faster than the SDK's).
    cbc.setCrcCheckEnabled(false);
    DefaultCredentialProvider creds =
        c[2] == null
            ? new DefaultCredentialProvider(c[0], c[1])
            : new DefaultCredentialProvider(c[0], c[1], c[2]);
    return new OSSClientBuilder().build(endpoint, creds, cbc);
  }

  /** The material description of the write key, parsed from {@code k=v,k2=v2}. */
  public Map<String, String> matDesc() {
    Map<String, String> desc = new LinkedHashMap<>();
    for (String pair : conf.getTrimmedStrings(MATDESC)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(MATDESC + " entries must be key=value");
      }
      desc.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return desc;
  }

  /**
   * Builds the encrypting client: the write key (RSA public key, else KMS key) and a read ring of
   * every configured key, tried in turn.
   */
  public OssCseClient newCseClient(OSS oss) throws IOException, GeneralSecurityException {
    Map<String, String> desc = matDesc();
    List<RSAPrivateKey> privates = new ArrayList<>();
    for (String file : conf.getTrimmedStrings(RSA_PRIVATE_KEY_FILES)) {
      privates.add(PemKeys.readPrivateKey(Path.of(file)));
    }
    MasterKey write = null;
    RSAPublicKey writePublic = null;
    String publicFile = conf.getTrimmed(RSA_PUBLIC_KEY_FILE);
    MasterKeyRing.Builder ring = MasterKeyRing.builder();
    if (publicFile != null && !publicFile.isEmpty()) {
      RSAPublicKey pub = PemKeys.readPublicKey(Path.of(publicFile));
      writePublic = pub;
      RSAPrivateKey pair = null;
      for (RSAPrivateKey p : privates) {
        if (p.getModulus().equals(pub.getModulus())) {
          pair = p;
        }
      }
      write = MasterKey.rsa(pub, pair, desc);
      if (pair != null) {
        ring.add(write);
      }
    }
    for (RSAPrivateKey p : privates) {
      if (writePublic == null || !p.getModulus().equals(writePublic.getModulus())) {
        ring.add(MasterKey.rsa(null, p, Map.of()));
      }
    }
    String kmsKeyId = conf.getTrimmed(KMS_KEY_ID);
    if (kmsKeyId != null && !kmsKeyId.isEmpty()) {
      MasterKey kms = MasterKey.kms(KmsKeyReference.of(newKms(), kmsKeyId), desc);
      ring.add(kms);
      if (write == null) {
        write = kms;
      }
    }
    OssCseClient.Builder b =
        OssCseClient.builder(oss)
            .decryptWith(ring.tryEveryKey().build())
            .allowPlaintextObjects(allowPlaintext)
            .authenticate(authenticate)
            .requireAuthentication(requireAuthentication);
    if (write != null) {
      b.encryptWith(write);
    }
    if (keyCacheEntries > 0) {
      b.cacheRsaContentKeys(keyCacheEntries, java.time.Duration.ofSeconds(keyCacheSeconds));
    }
    return b.build();
  }

  private AliyunKmsKeyService newKms() throws IOException {
    String[] c = credentials();
    AliyunKmsKeyService.Builder b = AliyunKmsKeyService.builder();
    String region = conf.getTrimmed(KMS_REGION);
    if (region != null && !region.isEmpty()) {
      b.region(region);
    }
    String endpoint = conf.getTrimmed(KMS_ENDPOINT);
    if (endpoint != null && !endpoint.isEmpty()) {
      if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
        b.localEndpoint(URI.create(endpoint));
      } else {
        b.endpoint(endpoint);
      }
    }
    b.credentials(c[0], c[1], c[2]);
    return b.build();
  }

  @Override
  public String toString() {
    return "OssCseFsSettings{endpoint="
        + endpoint
        + ", partSize="
        + partSize
        + ", parallelism="
        + parallelism
        + ", readAhead="
        + readAhead
        + ", allowPlaintext="
        + allowPlaintext
        + ", authenticate="
        + authenticate
        + ", requireAuthentication="
        + requireAuthentication
        + '}';
  }
}
