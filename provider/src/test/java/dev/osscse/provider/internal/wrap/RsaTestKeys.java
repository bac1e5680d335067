package dev.osscse.provider.internal.wrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Assumptions;

/** Key pairs generated once per test JVM, and access to the shared vectors folder. */
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

  /** Returns a folder under the shared directory, or aborts the test with a visible reason. */
  static Path sharedDir(String sub) {
    String dir = System.getProperty("osscse.shared.dir");
    if (dir == null) {
      Assumptions.abort("skipped: system property osscse.shared.dir is not set (shared vectors)");
    }
    Path p = Path.of(dir).resolve(sub);
    if (!Files.isDirectory(p)) {
      Assumptions.abort("skipped: shared vectors folder " + p + " is absent");
    }
    return p;
  }
}
