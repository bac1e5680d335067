package dev.osscse.provider;

import java.util.Locale;
import java.util.regex.Pattern;

/** Key id forms: a bare key UUID, an ARN naming one, or an alias (which only the service knows). */
final class KeyIds {
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private KeyIds() {}

  /**
   * Returns the key UUID of a bare key id or of an ARN {@code acs:kms:<region>:<account>:key/<id>},
   * lowercased, or null for anything else (an alias, an alias ARN).
   */
  static String localKeyId(String name) {
    if (name == null) {
      return null;
    }
    String s = name.strip();
    if (s.startsWith("acs:kms:")) {
      int slash = s.lastIndexOf(":key/");
      if (slash < 0) {
        return null;
      }
      s = s.substring(slash + ":key/".length());
    }
    return UUID.matcher(s).matches() ? s.toLowerCase(Locale.ROOT) : null;
  }
}
