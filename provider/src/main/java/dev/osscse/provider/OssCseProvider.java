package dev.osscse.provider;

import dev.osscse.provider.internal.ctr.JdkAesCtrKeystream;
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

/**
 * The oss-cse JCA provider, named {@value #NAME}.
 *
 * <p><b>What it is.</b> A {@link Provider} holding the project's ciphers: a seekable {@code
 * AES/CTR/NoPadding} (plus {@code AES_128/…}, {@code AES_192/…}, {@code AES_256/CTR/NoPadding} that
 * enforce their key size) and the RSA and KMS key-wrap ciphers. Every service is listed in {@code
 * registerServices()} and built by its constructor (one {@code switch}); nothing is loaded by name
 * or by reflection.
 *
 * <p><b>Security guarantees.</b> Known-answer self-tests run once per algorithm, before the first
 * object of a service that uses it is handed out (the AES-CTR test before the first AES-CTR cipher,
 * each RSA padding's test before its first cipher). If one fails, the services it gates refuse with
 * {@link NoSuchAlgorithmException} for the lifetime of this provider object (fail closed). {@link
 * #getSelfTestStatus()} and {@link #getLoadingError()} report the outcome; {@link #assertHealthy()}
 * runs the tests on demand.
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

  static {
    // Provider creation is the earliest sign that AES-CTR is coming: start the JIT warm-up before
    // anything else, so that its thread loads SunJCE while this one builds the provider and the JDK
    // sets up the JCA (docs/algorithms.md 2.5).
    JdkAesCtrKeystream.startWarmup();
  }

  private static final String VERSION = "0.1";
  private static final String INFO =
      "oss-cse provider (seekable AES-CTR, RSA and KMS key wrap for OSS client-side encryption)";

  /** Outcome of the provider's known-answer self-tests. */
  public enum SelfTestStatus {
    /** Not every self-test has run yet; each runs before the first object of its services. */
    NOT_RUN,
    /** Every self-test passed; services are available. */
    PASSED,
    /** A self-test failed; the services it gates refuse with {@link NoSuchAlgorithmException}. */
    FAILED
  }

  // One gate per algorithm; never serialised: services are rebuilt by the constructor.
  @SuppressWarnings("serial")
  private final transient SelfTestRunner aesCtrTests;

  @SuppressWarnings("serial")
  private final transient SelfTestRunner pkcs1Tests;

  @SuppressWarnings("serial")
  private final transient SelfTestRunner oaepSha256Tests;

  @SuppressWarnings("serial")
  private final transient SelfTestRunner oaepSha1Tests;

  @SuppressWarnings("serial") // KMS: no known answer (the result depends on a remote key)
  private final transient SelfTestRunner noKnownAnswer;

  @SuppressWarnings("serial")
  private final transient List<SelfTestRunner> allTests;

  @SuppressWarnings("serial")
  private final transient Set<String> registeredKeys = new HashSet<>();

  /**
   * Creates the provider with the built-in self-tests, each run when its first service object is
   * built. Creating the JVM's first provider starts the AES-CTR JIT warm-up thread, unless {@code
   * -Ddev.osscse.provider.aesCtrWarmup=false} turns it off (docs/algorithms.md 2.5). Public for
   * {@code java.security} files.
   */
  public OssCseProvider() {
    this(
        SelfTests.all(),
        List.of(new SelfTest("RSA PKCS#1 v1.5", RsaKnownAnswers.Check.PKCS1_V15)),
        List.of(new SelfTest("RSA OAEP SHA-256", RsaKnownAnswers.Check.OAEP_SHA256)),
        List.of(new SelfTest("RSA OAEP SHA-1", RsaKnownAnswers.Check.OAEP_SHA1)));
  }

  /**
   * Creates the provider with one list of self-tests per algorithm, each run before the first
   * object of its services. Package-private: the schedule's tests inject counting or failing lists.
   */
  OssCseProvider(
      List<SelfTest> aesCtr,
      List<SelfTest> pkcs1,
      List<SelfTest> oaepSha256,
      List<SelfTest> oaepSha1) {
    super(NAME, VERSION, INFO);
    aesCtrTests = new SelfTestRunner(aesCtr);
    pkcs1Tests = new SelfTestRunner(pkcs1);
    oaepSha256Tests = new SelfTestRunner(oaepSha256);
    oaepSha1Tests = new SelfTestRunner(oaepSha1);
    noKnownAnswer = new SelfTestRunner(List.of());
    allTests = List.of(aesCtrTests, pkcs1Tests, oaepSha256Tests, oaepSha1Tests, noKnownAnswer);
    registerServices();
  }

  /**
   * Creates the provider with the given self-tests gating every service. Package-private: the
   * self-test gate's meta-test injects a failing list here.
   */
  OssCseProvider(List<SelfTest> selfTests) {
    super(NAME, VERSION, INFO);
    SelfTestRunner all = new SelfTestRunner(selfTests);
    aesCtrTests = all;
    pkcs1Tests = all;
    oaepSha256Tests = all;
    oaepSha1Tests = all;
    noKnownAnswer = all;
    allTests = List.of(all);
    registerServices();
  }

  /**
   * The service table: one line per service, nothing else.
   *
   * <p>To add a service, append one line, with a {@link Spi} constant whose case in {@link #newSpi}
   * calls the SPI's constructor:
   *
   * <ul>
   *   <li>{@code cipher(transformation, gate, Spi.X, attributes...)} for a {@code Cipher}; the
   *       attributes are name/value pairs such as {@code "SupportedKeyFormats", "RAW"};
   *   <li>{@code cipherForKeys(transformation, gate, Spi.X, List.of(KeyType.class), attrs...)} when
   *       the cipher accepts only some key classes (used for delayed provider selection);
   *   <li>{@code algorithmParameters(name, gate, Spi.X)}, {@code keyFactory(name, gate, Spi.X)} or
   *       {@code keyGenerator(name, gate, Spi.X)}.
   * </ul>
   *
   * <p>The SPI is made once per {@code getInstance}, after the line's self-tests passed. Register
   * every name once: a second registration of the same type and name (or alias) throws. A new
   * algorithm also needs a known-answer test and its own {@link SelfTestRunner} field, passed on
   * its lines ({@code internal.selftest.SelfTests} for the engine, {@code RsaKnownAnswers} for the
   * ciphers built here); self-tests must build their SPIs or cores directly, never through this
   * provider.
   */
  private void registerServices() {
    SelfTestRunner aes = aesCtrTests;
    cipher("AES/CTR/NoPadding", aes, Spi.AES_CTR, AES_ATTRIBUTES);
    cipher("AES_128/CTR/NoPadding", aes, Spi.AES_128_CTR, AES_ATTRIBUTES);
    cipher("AES_192/CTR/NoPadding", aes, Spi.AES_192_CTR, AES_ATTRIBUTES);
    cipher("AES_256/CTR/NoPadding", aes, Spi.AES_256_CTR, AES_ATTRIBUTES);
    algorithmParameters(AesCtrSeekParametersSpi.ALGORITHM, aes, Spi.AES_CTR_SEEK_PARAMETERS);
    cipherForKeys(RsaPkcs1CipherSpi.TRANSFORMATION, pkcs1Tests, Spi.RSA_PKCS1, RSA_KEYS);
    cipherForKeys("RSA/ECB/PKCS1Padding", pkcs1Tests, Spi.RSA_PKCS1, RSA_KEYS);
    cipherForKeys(
        RsaOaepSha256CipherSpi.TRANSFORMATION, oaepSha256Tests, Spi.RSA_OAEP_SHA256, RSA_KEYS);
    cipherForKeys(RsaOaepSha1CipherSpi.TRANSFORMATION, oaepSha1Tests, Spi.RSA_OAEP_SHA1, RSA_KEYS);
    cipherForKeys(
        "RSA/ECB/OAEPWithSHA-1AndMGF1Padding", oaepSha1Tests, Spi.RSA_OAEP_SHA1, RSA_KEYS);
    cipherForKeys(KmsCipherSpi.TRANSFORMATION, noKnownAnswer, Spi.KMS_CIPHER, KMS_KEYS);
    keyGenerator(KmsKeyGeneratorSpi.ALGORITHM, noKnownAnswer, Spi.KMS_KEY_GENERATOR);
  }

  /**
   * The SPI a built-in service makes: one constant per SPI constructor, and {@link #newSpi} the
   * table from constant to constructor. A constant rather than a constructor reference on each
   * line: every reference is linked when the provider is created and spins a hidden class (about a
   * millisecond each in a fresh JVM), while the switch loads an SPI class only when its first
   * object is made.
   */
  private enum Spi {
    AES_CTR,
    AES_128_CTR,
    AES_192_CTR,
    AES_256_CTR,
    AES_CTR_SEEK_PARAMETERS,
    RSA_PKCS1,
    RSA_OAEP_SHA256,
    RSA_OAEP_SHA1,
    KMS_CIPHER,
    KMS_KEY_GENERATOR
  }

  /** Makes one object of a built-in SPI, by constructor; nothing is loaded by name. */
  private Object newSpi(Spi spi) {
    return switch (spi) {
      case AES_CTR -> AesCtrCipherSpi.anyKeySize(this);
      case AES_128_CTR -> AesCtrCipherSpi.aes128(this);
      case AES_192_CTR -> AesCtrCipherSpi.aes192(this);
      case AES_256_CTR -> AesCtrCipherSpi.aes256(this);
      case AES_CTR_SEEK_PARAMETERS -> new AesCtrSeekParametersSpi();
      case RSA_PKCS1 -> new RsaPkcs1CipherSpi();
      case RSA_OAEP_SHA256 -> new RsaOaepSha256CipherSpi();
      case RSA_OAEP_SHA1 -> new RsaOaepSha1CipherSpi();
      case KMS_CIPHER -> new KmsCipherSpi();
      case KMS_KEY_GENERATOR -> new KmsKeyGeneratorSpi();
    };
  }

  /** The supplier of a built-in service: {@link #newSpi} of its constant. */
  private static final class BuiltIn implements Supplier<Object> {
    private final OssCseProvider owner;
    private final Spi spi;

    BuiltIn(OssCseProvider owner, Spi spi) {
      this.owner = owner;
      this.spi = spi;
    }

    @Override
    public Object get() {
      return owner.newSpi(spi);
    }
  }

  private static final String[] AES_ATTRIBUTES = {"SupportedKeyFormats", "RAW"};

  // No RSA/ECB/OAEPWithSHA-256AndMGF1Padding alias: SunJCE's service of that name uses MGF1 with
  // SHA-1, ours SHA-256; see docs/algorithms.md.
  private static final List<Class<? extends Key>> RSA_KEYS =
      List.of(RSAPublicKey.class, RSAPrivateKey.class);

  private static final List<Class<? extends Key>> KMS_KEYS = List.of(KmsKeyReference.class);

  // ---- registration helpers -------------------------------------------------------------------

  private void cipher(String transformation, SelfTestRunner gate, Spi spi, String... attrs) {
    service("Cipher", transformation, List.of(), gate, spi, List.of(), attrs);
  }

  private void cipherForKeys(
      String transformation,
      SelfTestRunner gate,
      Spi spi,
      List<Class<? extends Key>> keyClasses,
      String... attrs) {
    service("Cipher", transformation, List.of(), gate, spi, keyClasses, attrs);
  }

  private void algorithmParameters(String name, SelfTestRunner gate, Spi spi) {
    service("AlgorithmParameters", name, List.of(), gate, spi, List.of());
  }

  @SuppressWarnings("UnusedMethod") // part of the table's vocabulary; no key factory yet
  private void keyFactory(String name, SelfTestRunner gate, Spi spi) {
    service("KeyFactory", name, List.of(), gate, spi, List.of());
  }

  private void keyGenerator(String name, SelfTestRunner gate, Spi spi) {
    service("KeyGenerator", name, List.of(), gate, spi, List.of());
  }

  private void service(
      String type,
      String algorithm,
      List<String> aliases,
      SelfTestRunner gate,
      Spi spi,
      List<Class<? extends Key>> keyClasses,
      String... attrs) {
    service(type, algorithm, aliases, gate, new BuiltIn(this, spi), keyClasses, attrs);
  }

  /**
   * Registers one service gated by no known answer of its own; package-private so the duplicate-key
   * guard can be tested.
   */
  void service(
      String type,
      String algorithm,
      Supplier<?> spi,
      List<Class<? extends Key>> keyClasses,
      String... attrs) {
    service(type, algorithm, List.of(), noKnownAnswer, spi, keyClasses, attrs);
  }

  private void service(
      String type,
      String algorithm,
      List<String> aliases,
      SelfTestRunner gate,
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
    putService(
        new OssCseService(this, type, algorithm, aliases, attributes, gate, spi, keyClasses));
  }

  // ---- self-test gate --------------------------------------------------------------------------

  /**
   * Runs every self-test that has not run yet and returns the outcome. Never throws for a failed
   * test; see {@link #getLoadingError()}.
   */
  public SelfTestStatus runSelfTests() {
    boolean passed = true;
    for (SelfTestRunner r : allTests) {
      passed &= r.runOnce();
    }
    return passed ? SelfTestStatus.PASSED : SelfTestStatus.FAILED;
  }

  /**
   * Returns the self-test outcome without running anything: {@code FAILED} if any test failed,
   * {@code PASSED} once every test passed, else {@code NOT_RUN}.
   */
  public SelfTestStatus getSelfTestStatus() {
    boolean allPassed = true;
    for (SelfTestRunner r : allTests) {
      SelfTestRunner.State s = r.state();
      if (s == SelfTestRunner.State.FAILED) {
        return SelfTestStatus.FAILED;
      }
      allPassed &= s == SelfTestRunner.State.PASSED;
    }
    return allPassed ? SelfTestStatus.PASSED : SelfTestStatus.NOT_RUN;
  }

  /**
   * Returns why (part of) the provider is unusable: the first self-test failure, or {@code null}
   * while no test that has run failed.
   */
  public Throwable getLoadingError() {
    for (SelfTestRunner r : allTests) {
      Throwable t = r.failure();
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /**
   * Runs every self-test that has not run yet and throws if one failed.
   *
   * @throws IllegalStateException naming the failed self-test, with the failure as cause
   */
  public void assertHealthy() {
    if (runSelfTests() != SelfTestStatus.PASSED) {
      throw new IllegalStateException(
          "provider " + NAME + " is unavailable: self-test failed", getLoadingError());
    }
  }

  /** A service that builds its SPI with its supplier once its self-tests passed. */
  private static final class OssCseService extends Provider.Service {
    private final SelfTestRunner gate;
    private final Supplier<?> spi;
    private final List<Class<? extends Key>> keyClasses;

    OssCseService(
        OssCseProvider owner,
        String type,
        String algorithm,
        List<String> aliases,
        Map<String, String> attributes,
        SelfTestRunner gate,
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
      this.gate = gate;
      this.spi = spi;
      this.keyClasses = List.copyOf(keyClasses);
    }

    @Override
    public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
      if (constructorParameter != null) {
        throw new InvalidParameterException(
            "constructorParameter not used with " + getType() + " engines");
      }
      if (!gate.runOnce()) {
        NoSuchAlgorithmException e =
            new NoSuchAlgorithmException(
                getType()
                    + "."
                    + getAlgorithm()
                    + " is unavailable: provider "
                    + NAME
                    + " self-test failed");
        e.initCause(gate.failure());
        throw e;
      }
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
