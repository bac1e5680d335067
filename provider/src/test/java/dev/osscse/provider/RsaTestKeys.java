package dev.osscse.provider;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Key pairs generated once per test JVM. */
final class RsaTestKeys {
  private static final ConcurrentMap<List<Integer>, KeyPair> PAIRS = new ConcurrentHashMap<>();

  private RsaTestKeys() {}

  /** Returns a key pair with a modulus of {@code bits} bits, generated on first use. */
  static KeyPair pair(int bits) {
    return pair(bits, 0);
  }

  /** Returns the {@code index}-th distinct key pair of {@code bits} bits. */
  static KeyPair pair(int bits, int index) {
    return PAIRS.computeIfAbsent(
        List.of(bits, index),
        key -> {
          int b = key.get(0);
          try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
            g.initialize(b, new SecureRandom());
            return g.generateKeyPair();
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate RSA-" + b, e);
          }
        });
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
