package dev.osscse.provider;

import dev.osscse.provider.internal.selftest.SelfTest;
import dev.osscse.provider.internal.selftest.SelfTestRunner;
import dev.osscse.provider.internal.selftest.SelfTests;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.CipherSpi;

/**
 * The oss-cse JCA provider, named {@value #NAME}.
 *
 * <p><b>What it is.</b> A {@link Provider} holding the project's ciphers: a seekable {@code
 * AES/CTR/NoPadding} (plus {@code AES_128/…}, {@code AES_192/…}, {@code AES_256/CTR/NoPadding} that
 * enforce their key size) and the RSA and KMS key-wrap ciphers. Every service is listed in {@code
 * registerServices()} and built by constructor reference; nothing is loaded by name or by
 * reflection.
 *
 * <p><b>Security guarantees.</b> Known-answer self-tests run once, before the first service object
 * is handed out. If any of them fails, every service refuses with {@link NoSuchAlgorithmException}
 * for the lifetime of this provider object (fail closed). {@link #getSelfTestStatus()} and {@link
 * #getLoadingError()} report the outcome; {@link #assertHealthy()} runs the tests on demand.
 *
 * <p><b>Restrictions / failure behaviour.</b> AES-CTR is unauthenticated. The provider does not
 * register itself; use {@link OssCseProviders#install()} or pass the instance to {@code
 * getInstance}.
 *
 * <pre>{@code
 * Cipher c = Cipher.getInstance("AES/CTR/NoPadding", OssCseProviders.provider());
 * }</pre>
 */
public final class OssCseProvider extends Provider {
  private static final long serialVersionUID = 1L;

  /** The provider name, as passed to {@code Cipher.getInstance(transformation, "OssCse")}. */
  public static final String NAME = "OssCse";

  private static final String VERSION = "0.1";
  private static final String INFO =
      "oss-cse provider (seekable AES-CTR, RSA and KMS key wrap for OSS client-side encryption)";

  /** Outcome of the provider's known-answer self-tests. */
  public enum SelfTestStatus {
    /** The self-tests have not run yet; they run before the first service is handed out. */
    NOT_RUN,
    /** Every self-test passed; services are available. */
    PASSED,
    /** A self-test failed; every service refuses with {@link NoSuchAlgorithmException}. */
    FAILED
  }

  @SuppressWarnings("serial") // never serialised: services are rebuilt by the constructor
  private final transient SelfTestRunner selfTests;

  @SuppressWarnings("serial")
  private final transient Set<String> registeredKeys = new HashSet<>();

  /** Creates the provider with the built-in self-tests. Public for {@code java.security} files. */
  public OssCseProvider() {
    this(allSelfTests());
  }

  /** The engine self-tests, then the RSA known answers built on this package's SPIs. */
  private static List<SelfTest> allSelfTests() {
    List<SelfTest> all = new ArrayList<>(SelfTests.all());
    all.add(new SelfTest("RSA PKCS#1 v1.5", RsaKnownAnswers::pkcs1V15));
    all.add(new SelfTest("RSA OAEP SHA-256", RsaKnownAnswers::oaepSha256));
    all.add(new SelfTest("RSA OAEP SHA-1", RsaKnownAnswers::oaepSha1));
    return List.copyOf(all);
  }

  /**
   * Creates the provider with the given self-tests. Package-private: the self-test gate's meta-test
   * injects a failing list here.
   */
  OssCseProvider(List<SelfTest> selfTests) {
    super(NAME, VERSION, INFO);
    this.selfTests = new SelfTestRunner(selfTests);
    registerServices();
  }

  /**
   * The service table: one line per service, nothing else.
   *
   * <p>To add a service, append one line:
   *
   * <ul>
   *   <li>{@code cipher(transformation, SpiClass::new, attributes...)} for a {@code Cipher}; the
   *       attributes are name/value pairs such as {@code "SupportedKeyFormats", "RAW"};
   *   <li>{@code cipherForKeys(transformation, SpiClass::new, List.of(KeyType.class), attrs...)}
   *       when the cipher accepts only some key classes (used for delayed provider selection);
   *   <li>{@code algorithmParameters(name, SpiClass::new)}, {@code keyFactory(name,
   *       SpiClass::new)}, or the general {@code service(type, algorithm, SpiClass::new,
   *       keyClasses, attrs...)}.
   * </ul>
   *
   * <p>The supplier is called once per {@code getInstance}, after the self-tests passed. Register
   * every name once: a second registration of the same type and name (or alias) throws. A new
   * algorithm also needs a known-answer test ({@code internal.selftest.SelfTests} for the engine,
   * {@link #allSelfTests()} for the ciphers built here); self-tests must build their SPIs or cores
   * directly, never through this provider.
   */
  private void registerServices() {
    cipher("AES/CTR/NoPadding", () -> AesCtrCipherSpi.anyKeySize(this), AES_ATTRIBUTES);
    cipher("AES_128/CTR/NoPadding", () -> AesCtrCipherSpi.aes128(this), AES_ATTRIBUTES);
    cipher("AES_192/CTR/NoPadding", () -> AesCtrCipherSpi.aes192(this), AES_ATTRIBUTES);
    cipher("AES_256/CTR/NoPadding", () -> AesCtrCipherSpi.aes256(this), AES_ATTRIBUTES);
    algorithmParameters(AesCtrSeekParametersSpi.ALGORITHM, AesCtrSeekParametersSpi::new);
    cipherForKeys(RsaPkcs1CipherSpi.TRANSFORMATION, RsaPkcs1CipherSpi::new, RSA_KEYS);
    cipherForKeys("RSA/ECB/PKCS1Padding", RsaPkcs1CipherSpi::new, RSA_KEYS);
    cipherForKeys(RsaOaepSha256CipherSpi.TRANSFORMATION, RsaOaepSha256CipherSpi::new, RSA_KEYS);
    cipherForKeys(RsaOaepSha1CipherSpi.TRANSFORMATION, RsaOaepSha1CipherSpi::new, RSA_KEYS);
    cipherForKeys("RSA/ECB/OAEPWithSHA-1AndMGF1Padding", RsaOaepSha1CipherSpi::new, RSA_KEYS);
    cipherForKeys(KmsCipherSpi.TRANSFORMATION, KmsCipherSpi::new, List.of(KmsKeyReference.class));
    keyGenerator(KmsKeyGeneratorSpi.ALGORITHM, KmsKeyGeneratorSpi::new);
  }

  private static final String[] AES_ATTRIBUTES = {"SupportedKeyFormats", "RAW"};

  // No RSA/ECB/OAEPWithSHA-256AndMGF1Padding alias: SunJCE's service of that name uses MGF1 with
  // SHA-1, ours SHA-256; see docs/algorithms.md.
  private static final List<Class<? extends Key>> RSA_KEYS =
      List.of(RSAPublicKey.class, RSAPrivateKey.class);

  // ---- registration helpers -------------------------------------------------------------------

  private void cipher(String transformation, Supplier<? extends CipherSpi> spi, String... attrs) {
    service("Cipher", transformation, spi, List.of(), attrs);
  }

  private void cipherForKeys(
      String transformation,
      Supplier<? extends CipherSpi> spi,
      List<Class<? extends Key>> keyClasses,
      String... attrs) {
    service("Cipher", transformation, spi, keyClasses, attrs);
  }

  private void algorithmParameters(
      String name, Supplier<? extends java.security.AlgorithmParametersSpi> spi) {
    service("AlgorithmParameters", name, spi, List.of());
  }

  @SuppressWarnings("UnusedMethod") // part of the table's vocabulary; no key factory yet
  private void keyFactory(String name, Supplier<? extends java.security.KeyFactorySpi> spi) {
    service("KeyFactory", name, spi, List.of());
  }

  private void keyGenerator(String name, Supplier<? extends javax.crypto.KeyGeneratorSpi> spi) {
    service("KeyGenerator", name, spi, List.of());
  }

  /** Registers one service; package-private so the duplicate-key guard can be tested. */
  void service(
      String type,
      String algorithm,
      Supplier<?> spi,
      List<Class<? extends Key>> keyClasses,
      String... attrs) {
    service(type, algorithm, List.of(), spi, keyClasses, attrs);
  }

  private void service(
      String type,
      String algorithm,
      List<String> aliases,
      Supplier<?> spi,
      List<Class<? extends Key>> keyClasses,
      String... attrs) {
    if (attrs.length % 2 != 0) {
      throw new IllegalArgumentException(
          "attributes of " + type + "." + algorithm + " must be name/value pairs");
    }
    Map<String, String> attributes = new HashMap<>();
    for (int i = 0; i < attrs.length; i += 2) {
      attributes.put(attrs[i], attrs[i + 1]);
    }
    List<String> names = new ArrayList<>(aliases);
    names.add(algorithm);
    for (String name : names) {
      String key = type.toUpperCase(Locale.ROOT) + "." + name.toUpperCase(Locale.ROOT);
      if (!registeredKeys.add(key)) {
        throw new IllegalStateException("duplicate service registration: " + type + "." + name);
      }
    }
    putService(new OssCseService(this, type, algorithm, aliases, attributes, spi, keyClasses));
  }

  // ---- self-test gate --------------------------------------------------------------------------

  /**
   * Runs the self-tests if they have not run yet and returns the outcome. Never throws for a failed
   * test; see {@link #getLoadingError()}.
   */
  public SelfTestStatus runSelfTests() {
    return selfTests.runOnce() ? SelfTestStatus.PASSED : SelfTestStatus.FAILED;
  }

  /** Returns the self-test outcome without running them. */
  public SelfTestStatus getSelfTestStatus() {
    return switch (selfTests.state()) {
      case PASSED -> SelfTestStatus.PASSED;
      case FAILED -> SelfTestStatus.FAILED;
      case NOT_RUN, RUNNING -> SelfTestStatus.NOT_RUN;
    };
  }

  /**
   * Returns why the provider is unusable: the first self-test failure, or {@code null} while the
   * provider is healthy or the tests have not run.
   */
  public Throwable getLoadingError() {
    return selfTests.failure();
  }

  /**
   * Runs the self-tests if needed and throws if they failed.
   *
   * @throws IllegalStateException naming the failed self-test, with the failure as cause
   */
  public void assertHealthy() {
    if (!selfTests.runOnce()) {
      throw new IllegalStateException(
          "provider " + NAME + " is unavailable: self-test failed", selfTests.failure());
    }
  }

  private void checkSelfTests(String type, String algorithm) throws NoSuchAlgorithmException {
    if (!selfTests.runOnce()) {
      NoSuchAlgorithmException e =
          new NoSuchAlgorithmException(
              type + "." + algorithm + " is unavailable: provider " + NAME + " self-test failed");
      e.initCause(selfTests.failure());
      throw e;
    }
  }

  /** A service that builds its SPI with a constructor reference once the self-tests passed. */
  private static final class OssCseService extends Provider.Service {
    private final OssCseProvider owner;
    private final Supplier<?> spi;
    private final List<Class<? extends Key>> keyClasses;

    OssCseService(
        OssCseProvider owner,
        String type,
        String algorithm,
        List<String> aliases,
        Map<String, String> attributes,
        Supplier<?> spi,
        List<Class<? extends Key>> keyClasses) {
      // The class name is descriptive only: newInstance below never loads a class by name.
      super(
          owner,
          type,
          algorithm,
          OssCseProvider.class.getName() + "$Service[" + type + "." + algorithm + "]",
          aliases,
          attributes);
      this.owner = owner;
      this.spi = spi;
      this.keyClasses = List.copyOf(keyClasses);
    }

    @Override
    public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
      if (constructorParameter != null) {
        throw new InvalidParameterException(
            "constructorParameter not used with " + getType() + " engines");
      }
      owner.checkSelfTests(getType(), getAlgorithm());
      try {
        return spi.get();
      } catch (RuntimeException e) {
        throw new NoSuchAlgorithmException(
            "cannot create " + getType() + "." + getAlgorithm() + " from provider " + NAME, e);
      }
    }

    @Override
    public boolean supportsParameter(Object parameter) {
      if (keyClasses.isEmpty()) {
        return super.supportsParameter(parameter);
      }
      for (Class<? extends Key> c : keyClasses) {
        if (c.isInstance(parameter)) {
          return true;
        }
      }
      return false;
    }
  }
}
