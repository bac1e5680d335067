package dev.osscse.oss.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Standard base64 read with whitespace tolerance and a bound (FMT-3). */
public final class LenientBase64 {
  private LenientBase64() {}

  /**
   * Decodes standard base64 after removing ASCII whitespace; padding is optional.
   *
   * @param maxDecoded upper bound on the decoded length, checked before decoding
   * @throws IllegalArgumentException if the text is not base64 or decodes to more than the bound
   */
  public static byte[] decode(String text, int maxDecoded) {
    String stripped = text.replaceAll("[ \t\r\n]", "");
    if (stripped.length() > 4L * ((maxDecoded + 2) / 3)) {
      throw new IllegalArgumentException("longer than " + maxDecoded + " bytes");
    }
    byte[] out = Base64.getDecoder().decode(stripped);
    if (out.length > maxDecoded) {
      throw new IllegalArgumentException("longer than " + maxDecoded + " bytes");
    }
    return out;
  }

  /** True if every byte is in the standard alphabet (or {@code =}) and the length is 4k. */
  public static boolean looksLikeBase64Text(byte[] data) {
    return data.length >= 4
        && data.length % 4 == 0
        && new String(data, StandardCharsets.ISO_8859_1).matches("[A-Za-z0-9+/=]*");
  }
}
