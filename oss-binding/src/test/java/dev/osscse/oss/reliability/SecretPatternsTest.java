package dev.osscse.oss.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The secret scanner itself: a secret planted at any offset inside a larger buffer, rendered in
 * each form, is found; the same rendering of a buffer without it is not.
 */
class SecretPatternsTest {
  private static final byte[] SECRET = BadObjectBed.seeded(32, 41);

  /** {@code before} random bytes, the secret (or its first {@code secretBytes}), 23 more. */
  private static byte[] buffer(int before, int secretBytes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = new byte[before + secretBytes + 23];
    r.nextBytes(b);
    System.arraycopy(SECRET, 0, b, before, secretBytes);
    return b;
  }

  private static byte[] withoutSecret(long seed) {
    byte[] b = new byte[80];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static SecretPatterns scanner() {
    return new SecretPatterns().add("s", SECRET);
  }

  @ParameterizedTest(name = "offset {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 17})
  void secretInsideLargerBase64Buffer_isFound_atEveryAlignment(int offset) {
    byte[] b = buffer(offset, SECRET.length, offset);
    assertThat(scanner().findIn("x=" + Base64.getEncoder().encodeToString(b) + ";"))
        .anyMatch(n -> n.startsWith("s (base64, offset " + offset % 3));
    assertThat(scanner().findIn(Base64.getUrlEncoder().withoutPadding().encodeToString(b)))
        .isNotEmpty();
    assertThat(scanner().findIn(Base64.getEncoder().encodeToString(withoutSecret(offset))))
        .isEmpty();
  }

  @ParameterizedTest(name = "offset {0}")
  @ValueSource(ints = {0, 1, 2})
  void partialSecretInsideLargerBase64Buffer_isFound(int offset) {
    // 14 consecutive bytes of the secret (not from its start) inside a larger buffer.
    SplittableRandom r = new SplittableRandom(7 + offset);
    byte[] b = new byte[offset + 14 + 9];
    r.nextBytes(b);
    System.arraycopy(SECRET, 5, b, offset, 14);
    assertThat(scanner().findIn(Base64.getEncoder().encodeToString(b))).isNotEmpty();
  }

  @ParameterizedTest(name = "offset {0}")
  @ValueSource(ints = {0, 1, 2})
  void secretInsideLargerHexBuffer_isFound_lowerAndUpperCase(int offset) {
    String hex = HexFormat.of().formatHex(buffer(offset, SECRET.length, 100 + offset));
    assertThat(scanner().findIn(hex)).contains("s (hex)");
    assertThat(scanner().findIn(hex.toUpperCase(Locale.ROOT))).contains("s (HEX)");
    assertThat(scanner().findIn(HexFormat.of().formatHex(withoutSecret(offset)))).isEmpty();
  }

  @ParameterizedTest(name = "offset {0}")
  @ValueSource(ints = {0, 1, 2, 9})
  void secretInsideLongerArraysToString_isFound(int offset) {
    String text = Arrays.toString(buffer(offset, SECRET.length, 200 + offset));
    assertThat(scanner().findIn(text)).contains("s (Arrays.toString)");
    assertThat(scanner().findIn(Arrays.toString(withoutSecret(offset)))).isEmpty();
  }

  @ParameterizedTest(name = "offset {0}")
  @ValueSource(ints = {0, 1, 2})
  void elementMatch_respectsElementBounds(int offset) {
    String exact = Arrays.toString(Arrays.copyOfRange(SECRET, 0, 12));
    String inner = exact.substring(1, exact.length() - 1);
    SecretPatterns p = new SecretPatterns().add("w", Arrays.copyOfRange(SECRET, 0, 12));
    assertThat(p.findIn("[" + inner + "]")).contains("w (Arrays.toString)");
    // The same digits glued to a neighbouring element are another array.
    assertThat(p.findIn("[" + "1".repeat(offset + 1) + inner + "]"))
        .doesNotContain("w (Arrays.toString)");
    assertThat(p.findIn("[" + inner + "1".repeat(offset + 1) + "]"))
        .doesNotContain("w (Arrays.toString)");
  }
}
