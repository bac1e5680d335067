package dev.osscse.oss.internal;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The material-description JSON: written exactly as Go's {@code encoding/json} writes a {@code
 * map[string]string} (compact, keys sorted by UTF-8 bytes, {@code < > &} as six-char unicode
 * escapes), read tolerantly with bounds (FMT-7, FMT-14).
 */
public final class MatDescJson {
  /** Upper bound on the matdesc header length, in chars. */
  public static final int MAX_LENGTH = 8192;

  /** Upper bound on the number of entries. */
  public static final int MAX_ENTRIES = 64;

  private MatDescJson() {}

  /** Encodes a map as compact JSON with UTF-8-byte-sorted keys; {@code {}} for an empty map. */
  public static String encode(Map<String, String> matDesc) {
    return matDesc.entrySet().stream()
        .sorted(
            Comparator.comparing(
                (Map.Entry<String, String> e) -> e.getKey().getBytes(StandardCharsets.UTF_8),
                Arrays::compareUnsigned))
        .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append("\\ufffd"); // what Go writes for invalid UTF-8
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * Parses a matdesc header value (unverified) into a sorted map. Blank means empty. String, number
   * and boolean values are taken as their text; anything else is refused.
   *
   * @throws IllegalArgumentException with a message naming the problem (never the content)
   */
  public static SortedMap<String, String> parse(String json) {
    if (json.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("longer than " + MAX_LENGTH + " chars");
    }
    TreeMap<String, String> out = new TreeMap<>();
    if (json.isBlank()) {
      return out;
    }
    try (JsonReader r = new JsonReader(new StringReader(json))) {
      r.setStrictness(Strictness.LEGACY_STRICT);
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      r.beginObject();
      while (r.hasNext()) {
        String name = r.nextName();
        String value =
            switch (r.peek()) {
              case STRING, NUMBER -> r.nextString();
              case BOOLEAN -> Boolean.toString(r.nextBoolean());
              default -> throw new IllegalArgumentException("value is not a string");
            };
        if (out.put(name, value) != null) {
          throw new IllegalArgumentException("duplicate key");
        }
        if (out.size() > MAX_ENTRIES) {
          throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries");
        }
      }
      r.endObject();
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("trailing data after the JSON object");
      }
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new IllegalArgumentException("not valid JSON");
    }
    return out;
  }
}
