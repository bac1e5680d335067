package dev.osscse.local.oss;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Text forms shared by the OSS handlers: encodings, ETag quoting, dates, XML lookups. */
final class OssWire {
  static final String META_PREFIX = "x-oss-meta-";
  static final String CRC_HEADER = "x-oss-hash-crc64ecma";
  static final DateTimeFormatter RFC_822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  static final DateTimeFormatter ISO_8601 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private OssWire() {}

  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new OssError(400, "InvalidURI", "Couldn't parse the specified URI.");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (ch == '%') {
        throw new OssError(400, "InvalidURI", "Couldn't parse the specified URI.");
      } else {
        byte[] b = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(ch) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static String urlEncode(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  /** {@code v} URL-encoded when {@code encoding-type=url} was asked for. */
  static String enc(String v, boolean url) {
    return url && v != null ? urlEncode(v) : v;
  }

  static String quote(String etag) {
    return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
  }

  static String unquote(String etag) {
    String v = etag;
    if (v.startsWith("\"")) {
      v = v.substring(1);
    }
    if (v.endsWith("\"")) {
      v = v.substring(0, v.length() - 1);
    }
    return v;
  }

  static String text(Element parent, String name) {
    NodeList l = parent.getElementsByTagName(name);
    return l.getLength() == 0 ? null : l.item(0).getTextContent();
  }
}
