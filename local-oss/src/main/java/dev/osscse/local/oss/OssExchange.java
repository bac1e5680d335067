package dev.osscse.local.oss;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One OSS request in flight: the parsed target, the query, and the reply helpers. */
final class OssExchange {
  private static final int MAX_XML_BODY = 4 * 1024 * 1024;

  final Request req;
  final Response resp;
  final Callback cb;
  final String method;
  final String requestId;
  private final long requestBodyRate;
  String bucket;
  String key;
  final Map<String, String> query = new LinkedHashMap<>();
  boolean committed;

  OssExchange(Request req, Response resp, Callback cb, String requestId, long requestBodyRate) {
    this.req = req;
    this.resp = resp;
    this.cb = cb;
    this.method = req.getMethod().toUpperCase(Locale.ROOT);
    this.requestId = requestId;
    this.requestBodyRate = requestBodyRate;
  }

  String header(String name) {
    return req.getHeaders().get(name);
  }

  boolean has(String param) {
    return query.containsKey(param);
  }

  /** Splits the path into bucket and key and the query into (decoded) parameters. */
  void parseTarget() {
    String rawPath = req.getHttpURI().getPath();
    if (rawPath == null || rawPath.isEmpty()) {
      rawPath = "/";
    }
    String path = OssWire.percentDecode(rawPath);
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.indexOf('/');
    if (path.isEmpty()) {
      bucket = null;
    } else if (slash < 0) {
      bucket = path;
    } else {
      bucket = path.substring(0, slash);
      String k = path.substring(slash + 1);
      key = k.isEmpty() ? null : k;
    }
    String q = req.getHttpURI().getQuery();
    if (q != null && !q.isEmpty()) {
      for (String pair : q.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq < 0) {
          query.put(OssWire.percentDecode(pair), null);
        } else {
          query.put(
              OssWire.percentDecode(pair.substring(0, eq)),
              OssWire.percentDecode(pair.substring(eq + 1)));
        }
      }
    }
  }

  /** The request body as a stream, paced when a request body rate is set. */
  InputStream requestBody() {
    InputStream in = Content.Source.asInputStream(req);
    return requestBodyRate > 0 ? new PacedInputStream(in, requestBodyRate) : in;
  }

  byte[] readSmallBody() throws IOException {
    InputStream in = requestBody();
    byte[] body = in.readNBytes(MAX_XML_BODY + 1);
    if (body.length > MAX_XML_BODY) {
      throw new OssError(400, "MalformedXML", "The XML body is too large.");
    }
    return body;
  }

  void sendXml(Xml xml) {
    byte[] body = xml.toBytes();
    resp.setStatus(200);
    resp.getHeaders().put("Content-Type", "application/xml");
    resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    committed = true;
    resp.write(true, ByteBuffer.wrap(body), cb);
  }
}
