package dev.osscse.local.oss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Hand-made OSS requests (signed with V1 unless told otherwise) for what the SDK never sends. */
final class RawOss {
  final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  final String endpoint;
  final String ak;
  final String sk;

  RawOss(String endpoint, String ak, String sk) {
    this.endpoint = endpoint;
    this.ak = ak;
    this.sk = sk;
  }

  /** A finished exchange: status, headers and body text. */
  record Reply(int status, okhttp3.Headers headers, String body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /**
   * Sends a request. {@code pathAndQuery} is URL-encoded as it goes on the wire; {@code resource}
   * is the canonical resource (raw key plus signed sub-resources).
   */
  Reply send(
      String method, String pathAndQuery, String resource, Map<String, String> headers, byte[] body)
      throws IOException {
    return send(method, pathAndQuery, resource, headers, body, sk);
  }

  Reply send(
      String method,
      String pathAndQuery,
      String resource,
      Map<String, String> headers,
      byte[] body,
      String secret)
      throws IOException {
    return sendAt(Instant.now(), method, pathAndQuery, resource, headers, body, secret);
  }

  /** Sends a request whose {@code Date} is {@code when} (null: no Date header). */
  Reply sendAt(
      Instant when,
      String method,
      String pathAndQuery,
      String resource,
      Map<String, String> headers,
      byte[] body,
      String secret)
      throws IOException {
    String date =
        when == null
            ? ""
            : DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .format(when.atZone(ZoneOffset.UTC));
    Request.Builder rb = new Request.Builder().url(endpoint + pathAndQuery);
    if (when != null) {
      rb.header("Date", date);
    }
    TreeMap<String, String> oss = new TreeMap<>();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      rb.header(h.getKey(), h.getValue());
      String lower = h.getKey().toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-oss-")) {
        oss.put(lower, h.getValue().trim());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(method).append('\n');
    sb.append(headers.getOrDefault("Content-MD5", "")).append('\n');
    sb.append(headers.getOrDefault("Content-Type", "")).append('\n');
    sb.append(date).append('\n');
    oss.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
    sb.append(resource);
    if (secret != null) {
      rb.header(
          "Authorization", "OSS " + ak + ":" + OssAuthenticator.hmacSha1(secret, sb.toString()));
    }
    RequestBody rbody =
        body == null
            ? (method.equals("PUT") || method.equals("POST")
                ? RequestBody.create(new byte[0], null)
                : null)
            : RequestBody.create(body, null);
    rb.method(method, rbody);
    try (Response r = http.newCall(rb.build()).execute()) {
      String text = r.body() == null ? "" : new String(r.body().bytes(), StandardCharsets.UTF_8);
      return new Reply(r.code(), r.headers(), text);
    }
  }

  Reply get(String pathAndQuery, String resource, Map<String, String> headers) throws IOException {
    return send("GET", pathAndQuery, resource, headers, null);
  }

  void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
