package dev.osscse.oss;

import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.spi.ObjectStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one filter of a caller's metadata before an encrypted upload (single PUT, multipart
 * Initiate): headers and user metadata are kept, except {@code Content-Length} (taken as the
 * plaintext length) and {@code Content-MD5} (moved to {@code unencrypted-content-md5}, FMT-8: it
 * would not match the ciphertext); envelope keys in the user metadata are refused (FMT-17).
 *
 * @param outgoing the metadata to send, without envelope (fresh, mutable maps)
 * @param contentMd5 the caller's {@code Content-MD5}, or null
 * @param contentLength the caller's {@code Content-Length}, or -1
 */
record CallerMetadata(ObjectStore.Metadata outgoing, String contentMd5, long contentLength) {
  /**
   * Filters {@code caller} (may be null); a reserved key or a {@code Content-Length} that is not a
   * number is an {@link IllegalArgumentException}.
   */
  static CallerMetadata of(ObjectStore.Metadata caller) {
    ObjectStore.Metadata outgoing =
        new ObjectStore.Metadata(new LinkedHashMap<>(), new LinkedHashMap<>());
    String md5 = null;
    long length = -1;
    if (caller == null) {
      return new CallerMetadata(outgoing, null, -1);
    }
    for (Map.Entry<String, Object> h : caller.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("content-md5")) {
        md5 = String.valueOf(h.getValue());
      } else if (name.equals("content-length")) {
        length = length(h.getValue());
      } else {
        outgoing.headers().put(h.getKey(), h.getValue());
      }
    }
    for (Map.Entry<String, String> u : caller.user().entrySet()) {
      if (MetadataKeys.isReserved(u.getKey())) {
        throw new IllegalArgumentException(
            "user metadata may not set the reserved key "
                + u.getKey().toLowerCase(Locale.ROOT)
                + " (FMT-17)");
      }
      outgoing.user().put(u.getKey(), u.getValue());
    }
    return new CallerMetadata(outgoing, md5, length);
  }

  private static long length(Object value) {
    try {
      return value instanceof Number n
          ? n.longValue()
          : Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metadata Content-Length is not a number", e);
    }
  }
}
