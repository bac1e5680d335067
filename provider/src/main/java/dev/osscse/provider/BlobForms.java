package dev.osscse.provider;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises how a stored wrapped value encodes the KMS {@code CiphertextBlob}.
 *
 * <p>Java and Go SDKs store the blob string itself. Python oss2 ({@code AliKMSProvider}) stores
 * base64 of the blob string. A KMS blob is base64 text that decodes to ASCII starting with the
 * 36-character key UUID, so: if decoding once gives a UUID prefix, the value is the blob; if it
 * gives base64 text that decodes to a UUID prefix, the decoded text is the blob; otherwise the
 * value is passed through unchanged.
 */
final class BlobForms {
  private static final Pattern UUID_PREFIX =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern BASE64_TEXT = Pattern.compile("^[A-Za-z0-9+/]+={0,2}$");

  private BlobForms() {}

  /** Returns the blob to send to {@code Decrypt} for a stored value. */
  static String blobForDecrypt(String stored) {
    String once = decodeAscii(stored);
    if (once == null || UUID_PREFIX.matcher(once).find()) {
      return stored;
    }
    if (BASE64_TEXT.matcher(once).matches()) {
      String twice = decodeAscii(once);
      if (twice != null && UUID_PREFIX.matcher(twice).find()) {
        return once;
      }
    }
    return stored;
  }

  /**
   * The key UUID a blob names (its first 36 chars after one base64 decoding), or null when the blob
   * does not have that layout.
   */
  static String keyIdOf(String blob) {
    String once = decodeAscii(blob);
    if (once == null) {
      return null;
    }
    Matcher m = UUID_PREFIX.matcher(once);
    return m.find() ? m.group() : null;
  }

  /** True if {@code keyId} is a bare key UUID (not an alias or ARN). */
  static boolean isKeyUuid(String keyId) {
    return keyId != null && keyId.length() == 36 && UUID_PREFIX.matcher(keyId).find();
  }

  private static String decodeAscii(String s) {
    if (s.length() > 16_384 || !BASE64_TEXT.matcher(s).matches()) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(s), StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
