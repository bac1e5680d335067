package dev.osscse.provider.internal.kms;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
