package dev.osscse.bench;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RSA-2048 PKCS#1 v1.5 unwrap of a 32-byte content key: {@code init(UNWRAP_MODE, privateKey)} then
 * {@code unwrap} on a reused cipher, once per object read. The transformation is {@code
 * RSA/NONE/PKCS1Padding} for OssCse and BC, {@code RSA/ECB/PKCS1Padding} for SunJCE (same
 * operation, SunJCE's name).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RsaUnwrap {
  @Param({"OssCse", "SunJCE", "BC"})
  public String provider;

  private Cipher cipher;
  private PrivateKey privateKey;
  private byte[] wrapped;

  /** Generates a key pair and wraps a content key with SunJCE. */
  @Setup
  public void setUp() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    privateKey = pair.getPrivate();
    Cipher wrapper = Cipher.getInstance("RSA/ECB/PKCS1Padding", Providers.named(Providers.SUN_JCE));
    wrapper.init(Cipher.WRAP_MODE, pair.getPublic());
    wrapped = wrapper.wrap(new SecretKeySpec(Fixtures.bytes(7, 32), "AES"));
    cipher =
        Cipher.getInstance(Providers.rsaPkcs1Transformation(provider), Providers.named(provider));
  }

  /** Unwraps one content key. */
  @Benchmark
  public Key unwrap() throws GeneralSecurityException {
    cipher.init(Cipher.UNWRAP_MODE, privateKey);
    return cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
  }
}
