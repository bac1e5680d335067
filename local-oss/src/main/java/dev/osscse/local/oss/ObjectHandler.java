package dev.osscse.local.oss;

import static dev.osscse.local.oss.OssWire.CRC_HEADER;
import static dev.osscse.local.oss.OssWire.ISO_8601;
import static dev.osscse.local.oss.OssWire.META_PREFIX;
import static dev.osscse.local.oss.OssWire.RFC_822;
import static dev.osscse.local.oss.OssWire.percentDecode;
import static dev.osscse.local.oss.OssWire.quote;
import static dev.osscse.local.oss.OssWire.text;
import static dev.osscse.local.oss.OssWire.urlEncode;

import dev.osscse.local.oss.ObjectStore.Attrs;
import dev.osscse.local.oss.ObjectStore.Blob;
import dev.osscse.local.oss.ObjectStore.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Object operations: PutObject, GetObject and HeadObject (ranges, conditions, overrides),
 * DeleteObject, DeleteObjects and CopyObject.
 */
final class ObjectHandler {
  private static final int BUFFER = 64 * 1024;
  private static final List<String> SYSTEM_HEADERS =
      List.of(
          "cache-control",
          "content-disposition",
          "content-encoding",
          "content-language",
          "expires");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private final ObjectStore store;
  private final FaultInjector faults;

  ObjectHandler(ObjectStore store, FaultInjector faults) {
    this.store = store;
    this.faults = faults;
  }

  void deleteObject(OssExchange c) throws IOException {
    store.bucket(c.bucket);
    store.delete(c.bucket, c.key);
    c.resp.setStatus(204);
  }

  static Attrs attrsFromRequest(OssExchange c) {
    Attrs a = new Attrs();
    String ct = c.header("Content-Type");
    if (ct != null && !ct.isBlank()) {
      a.contentType = ct;
    }
    for (HttpField f : c.req.getHeaders()) {
      String lower = f.getName().toLowerCase(Locale.ROOT);
      if (lower.startsWith(META_PREFIX) && lower.length() > META_PREFIX.length()) {
        a.userMeta.put(
            lower.substring(META_PREFIX.length()), f.getValue() == null ? "" : f.getValue());
      } else if (SYSTEM_HEADERS.contains(lower)) {
        a.systemHeaders.put(lower, f.getValue());
      }
    }
    return a;
  }

  Blob receiveBody(OssExchange c) throws IOException {
    InputStream in = c.requestBody();
    Blob blob = store.ingest(in);
    String declared = c.header("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) != blob.size) {
          store.discard(blob);
          throw new OssError(
              400, "IncompleteBody", "The request body is shorter than Content-Length.");
        }
      } catch (NumberFormatException e) {
        store.discard(blob);
        throw new OssError(400, "InvalidArgument", "Content-Length is not a number.");
      }
    }
    String md5 = c.header("Content-MD5");
    if (md5 != null && !md5.equals(Base64.getEncoder().encodeToString(blob.md5))) {
      store.discard(blob);
      throw new OssError(
              400, "InvalidDigest", "The Content-MD5 you specified is not valid.", "0002-00000016")
          .with("ContentMD5", md5);
    }
    return blob;
  }

  void putObject(OssExchange c) throws IOException {
    store.bucket(c.bucket);
    Attrs attrs = attrsFromRequest(c);
    Cse.checkPut(attrs.userMeta);
    checkForbidOverwrite(c);
    Blob blob = receiveBody(c);
    StoredObject o;
    try {
      o = store.commit(c.bucket, c.key, blob, attrs, null, "Normal");
    } finally {
      store.discard(blob);
    }
    c.resp.setStatus(200);
    c.resp.getHeaders().put("ETag", quote(o.etag));
    c.resp.getHeaders().put("Content-MD5", Base64.getEncoder().encodeToString(blob.md5));
    putCrc(c, o.crc);
  }

  /** {@code x-oss-forbid-overwrite: true}: refuse to replace an existing object. */
  void checkForbidOverwrite(OssExchange c) {
    if ("true".equalsIgnoreCase(c.header("x-oss-forbid-overwrite"))
        && store.bucket(c.bucket).containsKey(c.key)) {
      throw new OssError(409, "FileAlreadyExists", "The object you specified already exists.")
          .with("Key", c.key);
    }
  }

  void putCrc(OssExchange c, long crc) {
    long value = crc;
    if (faults.take(FaultType.WRONG_CRC, c.method, c.bucket, c.key) != null) {
      value ^= 1;
    }
    c.resp.getHeaders().put(CRC_HEADER, Long.toUnsignedString(value));
  }

  private void objectHeaders(OssExchange c, StoredObject o) {
    var h = c.resp.getHeaders();
    h.put("Content-Type", override(c, "response-content-type", o.attrs.contentType));
    h.put("ETag", quote(o.etag));
    h.put("Last-Modified", RFC_822.format(Instant.ofEpochMilli(o.lastModified)));
    h.put("Accept-Ranges", "bytes");
    h.put("x-oss-object-type", o.objectType);
    h.put("x-oss-storage-class", "Standard");
    for (Map.Entry<String, String> e : o.attrs.userMeta.entrySet()) {
      h.put(META_PREFIX + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : o.attrs.systemHeaders.entrySet()) {
      String v = override(c, "response-" + e.getKey(), e.getValue());
      h.put(canonicalHeaderName(e.getKey()), v);
    }
    for (String name : SYSTEM_HEADERS) {
      String v = c.query.get("response-" + name);
      if (v != null && !o.attrs.systemHeaders.containsKey(name)) {
        h.put(canonicalHeaderName(name), v);
      }
    }
  }

  private static String override(OssExchange c, String param, String value) {
    String v = c.query.get(param);
    return v != null ? v : value;
  }

  private static String canonicalHeaderName(String lower) {
    StringBuilder sb = new StringBuilder(lower.length());
    boolean up = true;
    for (int i = 0; i < lower.length(); i++) {
      char ch = lower.charAt(i);
      sb.append(up ? Character.toUpperCase(ch) : ch);
      up = ch == '-';
    }
    return sb.toString();
  }

  void getObject(OssExchange c, boolean head) throws IOException {
    StoredObject o = store.get(c.bucket, c.key);
    FileChannel ch = null;
    if (!head) {
      try {
        ch = FileChannel.open(o.dataFile, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        o = store.get(c.bucket, c.key); // replaced concurrently: take the new version
        ch = FileChannel.open(o.dataFile, StandardOpenOption.READ);
      }
    }
    try {
      checkConditions(c, o);
      long start = 0;
      long length = o.size;
      int status = 200;
      long[] range = head ? null : range(c, o.size);
      if (range != null) {
        start = range[0];
        length = range[1] - range[0] + 1;
        status = 206;
        c.resp
            .getHeaders()
            .put("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + o.size);
      }
      objectHeaders(c, o);
      if (status == 200 && o.objectType.equals("Normal") && o.etag.length() == 32) {
        c.resp
            .getHeaders()
            .put(
                "Content-MD5", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(o.etag)));
      }
      putCrc(c, o.crc);
      c.resp.setStatus(status);
      c.resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
      if (head) {
        return;
      }
      FaultInjector.Decision reset = faults.take(FaultType.RESET, c.method, c.bucket, c.key);
      FaultInjector.Decision truncate =
          reset == null ? faults.take(FaultType.TRUNCATE, c.method, c.bucket, c.key) : null;
      FaultInjector.Decision corrupt =
          faults.take(FaultType.CORRUPT_BODY, c.method, c.bucket, c.key);
      long corruptAt = corrupt == null ? -1 : start + corrupt.afterBytes;
      long limit = length;
      if (reset != null) {
        limit = Math.min(length, reset.afterBytes);
      } else if (truncate != null) {
        limit = Math.min(length, truncate.afterBytes);
      }
      c.committed = true;
      OutputStream out = Content.Sink.asOutputStream(c.resp);
      ByteBuffer buf = ByteBuffer.allocate(BUFFER);
      long pos = start;
      long end = start + limit;
      while (pos < end) {
        buf.clear();
        buf.limit((int) Math.min(BUFFER, end - pos));
        int n = ch.read(buf, pos);
        if (n < 0) {
          throw new IOException("object file shorter than recorded size: " + c.key);
        }
        if (corruptAt >= pos && corruptAt < pos + n) {
          int i = (int) (corruptAt - pos);
          buf.array()[i] = (byte) ~buf.array()[i];
        }
        out.write(buf.array(), 0, n);
        pos += n;
      }
      if (reset != null || truncate != null) {
        out.flush();
        EndPoint ep = c.req.getConnectionMetaData().getConnection().getEndPoint();
        if (reset != null && ep.getTransport() instanceof NetworkChannel nc) {
          try {
            nc.setOption(StandardSocketOptions.SO_LINGER, 0);
          } catch (IOException | UnsupportedOperationException e) {
            // close without RST then
          }
        }
        ep.close();
        c.cb.failed(new IOException("injected " + (reset != null ? "reset" : "truncation")));
        return;
      }
      out.close();
      c.cb.succeeded();
    } finally {
      if (ch != null) {
        ch.close();
      }
    }
  }

  private static void checkConditions(OssExchange c, StoredObject o) {
    String etag = quote(o.etag);
    String ifMatch = c.header("If-Match");
    if (ifMatch != null && !etagMatches(ifMatch, etag)) {
      throw new OssError(
          412,
          "PreconditionFailed",
          "At least one of the pre-conditions you specified did not hold.");
    }
    String ifNoneMatch = c.header("If-None-Match");
    if (ifNoneMatch != null && etagMatches(ifNoneMatch, etag)) {
      throw new OssError(304, "NotModified", "Not Modified");
    }
    long modifiedSeconds = o.lastModified / 1000;
    Long since = parseDate(c.header("If-Unmodified-Since"));
    if (since != null && modifiedSeconds > since) {
      throw new OssError(
          412,
          "PreconditionFailed",
          "At least one of the pre-conditions you specified did not hold.");
    }
    since = parseDate(c.header("If-Modified-Since"));
    if (since != null && modifiedSeconds <= since) {
      throw new OssError(304, "NotModified", "Not Modified");
    }
  }

  private static boolean etagMatches(String header, String etag) {
    for (String t : header.split(",", -1)) {
      String v = t.trim();
      if (v.equals("*") || v.equalsIgnoreCase(etag) || quote(v).equalsIgnoreCase(etag)) {
        return true;
      }
    }
    return false;
  }

  private static Long parseDate(String v) {
    if (v == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The byte range to serve as {start, endInclusive}, or null for the whole object (200). Default
   * OSS behaviour ignores any range it cannot satisfy; {@code x-oss-range-behavior: standard}
   * clamps the end and answers 416 when the start is past the end.
   */
  static long[] range(String header, String behavior, long size) {
    if (header == null) {
      return null;
    }
    boolean standard = behavior != null && behavior.trim().equalsIgnoreCase("standard");
    String v = header.trim();
    if (v.contains(",")) {
      if (standard && v.startsWith("bytes=")) {
        throw invalidRange(size);
      }
      return null;
    }
    Matcher m = RANGE.matcher(v);
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    try {
      if (m.group(1).isEmpty()) {
        long n = Long.parseLong(m.group(2));
        if (n == 0 || size == 0) {
          if (standard) {
            throw invalidRange(size);
          }
          return null;
        }
        if (n > size) {
          return standard ? new long[] {0, size - 1} : null;
        }
        return new long[] {size - n, size - 1};
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? -1 : Long.parseLong(m.group(2));
      if (last >= 0 && last < first) {
        return null; // reversed: syntactically invalid, ignored in both behaviours
      }
      if (first >= size) {
        if (standard) {
          throw invalidRange(size);
        }
        return null;
      }
      if (last < 0) {
        return new long[] {first, size - 1};
      }
      if (last >= size) {
        return standard ? new long[] {first, size - 1} : null;
      }
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return null; // numbers beyond long: treat as malformed
    }
  }

  private static long[] range(OssExchange c, long size) {
    try {
      return range(c.header("Range"), c.header("x-oss-range-behavior"), size);
    } catch (OssError e) {
      c.resp.getHeaders().put("Content-Range", "bytes */" + size);
      throw e;
    }
  }

  private static OssError invalidRange(long size) {
    return new OssError(
            416, "InvalidRange", "The requested range cannot be satisfied.", "0003-00000009")
        .with("ActualObjectSize", Long.toString(size));
  }

  void copyObject(OssExchange c) throws IOException {
    store.bucket(c.bucket);
    String source = c.header("x-oss-copy-source");
    String src = source;
    int q = src.indexOf('?');
    if (q >= 0) {
      src = src.substring(0, q);
    }
    src = percentDecode(src);
    if (src.startsWith("/")) {
      src = src.substring(1);
    }
    int slash = src.indexOf('/');
    if (slash <= 0 || slash == src.length() - 1) {
      throw OssError.invalidArgument(
          "Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.",
          "x-oss-copy-source",
          source);
    }
    String srcBucket = src.substring(0, slash);
    String srcKey = src.substring(slash + 1);
    StoredObject s = store.get(srcBucket, srcKey);
    String etag = quote(s.etag);
    String ifMatch = c.header("x-oss-copy-source-if-match");
    String ifNoneMatch = c.header("x-oss-copy-source-if-none-match");
    if ((ifMatch != null && !etagMatches(ifMatch, etag))
        || (ifNoneMatch != null && etagMatches(ifNoneMatch, etag))) {
      throw new OssError(
          412,
          "PreconditionFailed",
          "At least one of the pre-conditions you specified did not hold.");
    }
    String directive = c.header("x-oss-metadata-directive");
    Attrs attrs;
    if (directive == null || directive.equalsIgnoreCase("COPY")) {
      attrs = s.attrs;
    } else if (directive.equalsIgnoreCase("REPLACE")) {
      Attrs requested = attrsFromRequest(c);
      if (Cse.isCse(requested.userMeta)) {
        throw OssError.cse(
            null,
            "client-side encryption metadata is protected and cannot be set or changed by"
                + " CopyObject.");
      }
      attrs = requested;
      for (Map.Entry<String, String> e : s.attrs.userMeta.entrySet()) {
        if (e.getKey().startsWith(Cse.PREFIX)) {
          attrs.userMeta.put(e.getKey(), e.getValue());
        }
      }
    } else {
      throw OssError.invalidArgument(
          "Unknown metadata directive.", "x-oss-metadata-directive", directive);
    }
    checkForbidOverwrite(c);
    Blob blob = store.snapshot(s);
    StoredObject o;
    try {
      o = store.commit(c.bucket, c.key, blob, attrs, s.etag, s.objectType);
    } finally {
      store.discard(blob);
    }
    c.resp.setStatus(200);
    c.resp.getHeaders().put("x-oss-hash-crc64ecma", Long.toUnsignedString(o.crc));
    c.sendXml(
        new Xml()
            .open("CopyObjectResult")
            .elem("ETag", quote(o.etag))
            .elem("LastModified", ISO_8601.format(Instant.ofEpochMilli(o.lastModified)))
            .close("CopyObjectResult"));
  }

  void deleteObjects(OssExchange c) throws IOException {
    store.bucket(c.bucket);
    byte[] body = c.readSmallBody();
    Document doc = Xml.parse(body);
    boolean quiet = "true".equalsIgnoreCase(text(doc.getDocumentElement(), "Quiet"));
    boolean url = "url".equals(c.query.get("encoding-type"));
    Xml x = new Xml().open("DeleteResult");
    NodeList objects = doc.getElementsByTagName("Object");
    for (int i = 0; i < objects.getLength(); i++) {
      String key = text((Element) objects.item(i), "Key");
      if (key == null) {
        continue;
      }
      if (url) {
        key = percentDecode(key);
      }
      store.delete(c.bucket, key);
      if (!quiet) {
        x.open("Deleted").elem("Key", url ? urlEncode(key) : key).close("Deleted");
      }
    }
    if (url) {
      x.elem("EncodingType", "url");
    }
    c.sendXml(x.close("DeleteResult"));
  }
}
