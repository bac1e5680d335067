package dev.osscse.oss.reliability;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.local.oss.LocalOssServer;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.testing.FakeKeyService;
import dev.osscse.provider.KmsKeyReference;
import dev.osscse.provider.OssCseProviders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local OSS server on 127.0.0.1 holding every object of {@link BadCases}, planted with the plain
 * SDK client (user metadata written as given, body as given), plus the fixed, known secrets they
 * are built from: one content key and IV, two RSA key pairs and two KMS keys of an in-process key
 * service. Cases that OSS itself would refuse to store (a missing or empty wrapped key) are made by
 * editing the stored metadata on disk and restarting the server on the same directory.
 */
public final class BadObjectBed implements AutoCloseable {
  /** Access key id of the local server. */
  public static final String AK = "reliability-ak";

  /** Access key secret of the local server. */
  public static final String SK = "reliability-sk";

  /** The bucket. */
  public static final String BUCKET = "reliability";

  /** Matdesc of the objects wrapped with RSA key A. */
  public static final Map<String, String> RSA_DESC = Map.of("desc", "main");

  /** Matdesc of the KMS objects. */
  public static final Map<String, String> KMS_DESC = Map.of("kms", "k1");

  /** KMS key id the reader holds. */
  public static final String KMS_KEY_1 = "11111111-2222-4333-8444-555555555555";

  /** Another KMS key id the key service knows. */
  public static final String KMS_KEY_2 = "66666666-7777-4888-9999-aaaaaaaaaaaa";

  /** Plaintext size of the planted objects. */
  public static final int SIZE = 5000;

  private static final KeyPair PAIR_A = rsa();
  private static final KeyPair PAIR_B = rsa();

  /** The fixed content key every planted object is encrypted under. */
  static final byte[] CEK = seeded(32, 0x5EC12E7L);

  /** The fixed IV (bytes 8-11 zero, FMT-2). */
  static final byte[] IV = iv();

  /** The plaintext of every planted object. */
  public static final byte[] PLAINTEXT = seeded(SIZE, 42);

  private final Path dir;
  private final FakeKeyService kms = new FakeKeyService().addKey(KMS_KEY_1).addKey(KMS_KEY_2);
  private LocalOssServer server;
  private OSS oss;

  /** Starts the server under {@code dir} and plants every case. */
  public BadObjectBed(Path dir) throws Exception {
    this.dir = dir;
    start();
    server.createBucket(BUCKET);
    Map<String, String> rsaMeta = rsaMetadata();
    Map<String, String> kmsMeta = kmsMetadata();
    byte[] ciphertext = ctr(PLAINTEXT);
    plant("good/rsa", rsaMeta, ciphertext);
    plant("good/kms", kmsMeta, ciphertext);
    boolean edited = false;
    for (BadCases.ObjectCase c : BadCases.objectCases()) {
      Map<String, String> base = c.kms() ? kmsMeta : rsaMeta;
      Map<String, String> meta = new LinkedHashMap<>(base);
      c.edit().accept(this, meta);
      byte[] body = c.body() == null ? ciphertext : c.body().apply(ciphertext);
      if (c.diskOnly() != null) {
        plant(c.objectKey(), base, body);
        edited = true;
      } else {
        plant(c.objectKey(), meta, body);
      }
    }
    if (edited) {
      oss.shutdown();
      server.close();
      for (BadCases.ObjectCase c : BadCases.objectCases()) {
        if (c.diskOnly() != null) {
          editOnDisk(c.objectKey(), c.diskOnly());
        }
      }
      start();
    }
  }

  private void start() {
    server = LocalOssServer.builder().dataDirectory(dir).credentials(AK, SK).build().start();
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    conf.setMaxErrorRetry(0);
    oss = new OSSClientBuilder().build(server.endpoint(), AK, SK, conf);
  }

  /** The server. */
  public LocalOssServer server() {
    return server;
  }

  /** The plain SDK client. */
  public OSS oss() {
    return oss;
  }

  /** The endpoint URL. */
  public String endpoint() {
    return server.endpoint();
  }

  /** RSA key pair A: the objects' master key. */
  public static KeyPair pairA() {
    return PAIR_A;
  }

  /** RSA key pair B: a stranger's key. */
  public static KeyPair pairB() {
    return PAIR_B;
  }

  /** The in-process KMS. */
  public FakeKeyService kms() {
    return kms;
  }

  /** A reader holding RSA key A (matdesc {@link #RSA_DESC}) and KMS key 1, without a default. */
  public OssCseClient reader() {
    return OssCseClient.builder(oss)
        .decryptWith(
            MasterKeyRing.of(
                MasterKey.rsa(PAIR_A, RSA_DESC),
                MasterKey.kms(KmsKeyReference.of(kms, KMS_KEY_1), KMS_DESC)))
        .build();
  }

  /** A writer with RSA key A. */
  public OssCseClient writer() {
    return OssCseClient.builder(oss).encryptWith(MasterKey.rsa(PAIR_A, RSA_DESC)).build();
  }

  /** Every rendering of the bed's secrets. */
  public static SecretPatterns secrets() {
    return new SecretPatterns()
        .add("CEK", CEK)
        .add("IV", IV)
        .addRsa("rsaA", (RSAPrivateCrtKey) PAIR_A.getPrivate())
        .addRsa("rsaB", (RSAPrivateCrtKey) PAIR_B.getPrivate());
  }

  // ---------------------------------------------------------------- building blocks

  Map<String, String> rsaMetadata() throws GeneralSecurityException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(BadCases.KEY, b64(rsaWrap(PAIR_A, CEK)));
    m.put(BadCases.START, b64(rsaWrap(PAIR_A, IV)));
    m.put(BadCases.CEK_ALG, "AES/CTR/NoPadding");
    m.put(BadCases.WRAP_ALG, "RSA/NONE/PKCS1Padding");
    m.put(BadCases.MATDESC, "{\"desc\":\"main\"}");
    m.put(BadCases.LENGTH, Integer.toString(SIZE));
    return m;
  }

  Map<String, String> kmsMetadata() throws GeneralSecurityException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(BadCases.KEY, kmsWrap(KMS_KEY_1, CEK));
    m.put(BadCases.START, kmsWrap(KMS_KEY_1, IV));
    m.put(BadCases.CEK_ALG, "AES/CTR/NoPadding");
    m.put(BadCases.WRAP_ALG, "KMS/ALICLOUD");
    m.put(BadCases.MATDESC, "{\"kms\":\"k1\"}");
    m.put(BadCases.LENGTH, Integer.toString(SIZE));
    return m;
  }

  static byte[] rsaWrap(KeyPair pair, byte[] secret) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("RSA/NONE/PKCS1Padding", OssCseProviders.provider());
    c.init(Cipher.ENCRYPT_MODE, pair.getPublic());
    return c.doFinal(secret);
  }

  String kmsWrap(String keyId, byte[] secret) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("KMS/ALICLOUD/NoPadding", OssCseProviders.provider());
    c.init(Cipher.ENCRYPT_MODE, KmsKeyReference.of(kms, keyId));
    return new String(c.doFinal(secret), StandardCharsets.US_ASCII);
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static byte[] ctr(byte[] plain) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(CEK, "AES"), new IvParameterSpec(IV));
    return c.doFinal(plain);
  }

  /** Stores an object with exactly this user metadata and body. */
  public void plant(String key, Map<String, String> userMeta, byte[] body) {
    ObjectMetadata md = new ObjectMetadata();
    userMeta.forEach(md::addUserMetadata);
    md.setContentLength(body.length);
    oss.putObject(BUCKET, key, new ByteArrayInputStream(body), md);
  }

  private void editOnDisk(String key, String edit) throws IOException {
    String[] parts = edit.split("=", 2);
    String field = "meta." + parts[0];
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> metas = files.filter(p -> p.toString().endsWith(".meta")).toList();
      for (Path m : metas) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(m)) {
          p.load(in);
        }
        if (!key.equals(p.getProperty("key"))) {
          continue;
        }
        if (parts.length == 1) {
          p.remove(field);
        } else {
          p.setProperty(field, parts[1]);
        }
        try (OutputStream out = Files.newOutputStream(m)) {
          p.store(out, null);
        }
        return;
      }
    }
    throw new UncheckedIOException(new IOException("no stored object " + key));
  }

  @Override
  public void close() {
    oss.shutdown();
    server.close();
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] seeded(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] iv() {
    byte[] iv = seeded(16, 0x1F1F1FL);
    iv[8] = 0;
    iv[9] = 0;
    iv[10] = 0;
    iv[11] = 0;
    return iv;
  }
}
