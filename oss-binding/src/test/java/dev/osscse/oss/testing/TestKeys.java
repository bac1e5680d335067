package dev.osscse.oss.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/** RSA key pairs generated once per JVM for tests. */
public final class TestKeys {
  private static KeyPair rsa2048;
  private static KeyPair rsa2048b;

  private TestKeys() {}

  /** A 2048-bit pair. */
  public static synchronized KeyPair rsa() {
    if (rsa2048 == null) {
      rsa2048 = generate();
    }
    return rsa2048;
  }

  /** A second, different 2048-bit pair. */
  public static synchronized KeyPair otherRsa() {
    if (rsa2048b == null) {
      rsa2048b = generate();
    }
    return rsa2048b;
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
