package dev.osscse.oss.reliability;

import java.math.BigInteger;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The textual forms in which a secret could leak into a message or a log line: hex (lower and upper
 * case), standard and URL-safe base64 (with and without padding) of the whole secret and of every
 * 12-byte window of it (so a partial or differently aligned rendering is found too).
 */
public final class SecretPatterns {
  private static final int WINDOW = 12;

  private final Map<String, String> patterns = new LinkedHashMap<>(); // pattern -> secret name

  /** Adds every rendering of {@code secret} under a name used in failure messages. */
  public SecretPatterns add(String name, byte[] secret) {
    if (secret.length < 8) {
      throw new IllegalArgumentException("too short to scan for without false positives");
    }
    addForms(name, secret);
    if (secret.length > WINDOW) {
      for (int i = 0; i + WINDOW <= secret.length; i += 3) {
        addForms(name + "[" + i + "..]", Arrays.copyOfRange(secret, i, i + WINDOW));
      }
    }
    return this;
  }

  /** Adds the private exponent and primes of an RSA private key. */
  public SecretPatterns addRsa(String name, RSAPrivateCrtKey key) {
    add(name + ".d", unsigned(key.getPrivateExponent()));
    add(name + ".p", unsigned(key.getPrimeP()));
    add(name + ".q", unsigned(key.getPrimeQ()));
    for (BigInteger v : List.of(key.getPrivateExponent(), key.getPrimeP())) {
      String dec = v.toString();
      patterns.put(dec.substring(0, 24), name + " (decimal)");
    }
    return this;
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private void addForms(String name, byte[] s) {
    String hex = HexFormat.of().formatHex(s);
    patterns.put(hex, name + " (hex)");
    patterns.put(hex.toUpperCase(Locale.ROOT), name + " (HEX)");
    String b64 = Base64.getEncoder().withoutPadding().encodeToString(s);
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(s);
    // A base64 rendering of a longer buffer containing s at another offset differs; the windows
    // at three alignments cover that.
    patterns.put(b64, name + " (base64)");
    patterns.put(url, name + " (base64url)");
    patterns.put(Arrays.toString(s), name + " (Arrays.toString)");
  }

  /** The names of the secrets found in {@code text} (empty when clean). */
  public List<String> findIn(String text) {
    List<String> found = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return found;
    }
    for (Map.Entry<String, String> p : patterns.entrySet()) {
      if (text.contains(p.getKey())) {
        found.add(p.getValue());
      }
    }
    return found;
  }

  /** Number of patterns scanned for. */
  public int size() {
    return patterns.size();
  }
}
