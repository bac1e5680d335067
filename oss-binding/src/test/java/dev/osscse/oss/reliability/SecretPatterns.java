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
import java.util.StringJoiner;

/**
 * The textual forms in which a secret could leak into a message or a log line, found also when the
 * secret sits inside a larger rendered buffer:
 *
 * <ul>
 *   <li>hex, lower and upper case (a byte is always two characters, so the secret's hex is a
 *       substring of any larger buffer's hex);
 *   <li>standard and URL-safe base64 at each of the three alignments: the secret encoded after 0, 1
 *       and 2 filler bytes, keeping only the characters whose 3-byte groups lie wholly inside the
 *       secret (the inner substring that any buffer holding the secret at that offset modulo 3
 *       shares);
 *   <li>{@code Arrays.toString}: the comma-separated elements without brackets, matched only at
 *       element boundaries, so the secret is found inside a longer array;
 *   <li>each of the above for every 12-byte window starting at a multiple of 3 (a leak of any 14
 *       consecutive secret bytes contains one).
 * </ul>
 */
public final class SecretPatterns {
  private static final int WINDOW = 12;

  private final Map<String, String> patterns = new LinkedHashMap<>(); // pattern -> secret name
  private final Map<String, String> elementPatterns = new LinkedHashMap<>(); // "1, -2, 3" -> name

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
    for (int shift = 0; shift < 3; shift++) {
      patterns.put(
          stableBase64(Base64.getEncoder(), s, shift), name + " (base64, offset " + shift + ")");
      patterns.put(
          stableBase64(Base64.getUrlEncoder(), s, shift),
          name + " (base64url, offset " + shift + ")");
    }
    elementPatterns.put(elements(s), name + " (Arrays.toString)");
  }

  /**
   * The base64 characters of {@code s} placed after {@code shift} filler bytes that depend on
   * {@code s} alone: the 4-character groups whose 3 input bytes all belong to {@code s}.
   */
  static String stableBase64(Base64.Encoder encoder, byte[] s, int shift) {
    byte[] shifted = new byte[shift + s.length];
    System.arraycopy(s, 0, shifted, shift, s.length);
    String b64 = encoder.withoutPadding().encodeToString(shifted);
    int firstGroup = (shift + 2) / 3; // first group starting at or after the secret's first byte
    int endGroup = (shift + s.length) / 3; // groups before this one end inside the secret
    return b64.substring(4 * firstGroup, 4 * endGroup);
  }

  private static String elements(byte[] s) {
    StringJoiner j = new StringJoiner(", ");
    for (byte b : s) {
      j.add(Byte.toString(b));
    }
    return j.toString();
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
    for (Map.Entry<String, String> p : elementPatterns.entrySet()) {
      if (containsElements(text, p.getKey())) {
        found.add(p.getValue());
      }
    }
    return found;
  }

  /**
   * True if {@code elements} occurs in {@code text} starting and ending at array-element bounds.
   */
  private static boolean containsElements(String text, String elements) {
    for (int i = text.indexOf(elements); i >= 0; i = text.indexOf(elements, i + 1)) {
      int end = i + elements.length();
      boolean startsElement = i == 0 || text.charAt(i - 1) == '[' || text.charAt(i - 1) == ' ';
      boolean endsElement =
          end == text.length() || text.charAt(end) == ']' || text.charAt(end) == ',';
      if (startsElement && endsElement) {
        return true;
      }
    }
    return false;
  }

  /** Number of patterns scanned for. */
  public int size() {
    return patterns.size() + elementPatterns.size();
  }
}
