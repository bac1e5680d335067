package dev.osscse.local.oss;

import dev.osscse.local.oss.ObjectStore.Attrs;
import dev.osscse.local.oss.ObjectStore.Blob;
import dev.osscse.local.oss.ObjectStore.Part;
import dev.osscse.local.oss.ObjectStore.StoredObject;
import dev.osscse.local.oss.ObjectStore.Upload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The OSS protocol on Jetty core: routing, authentication, and each operation. */
final class OssHandler extends Handler.Abstract {
  private static final String META_PREFIX = "x-oss-meta-";
  private static final String CRC_HEADER = "x-oss-hash-crc64ecma";
  private static final int BUFFER = 64 * 1024;
  private static final int MAX_XML_BODY = 4 * 1024 * 1024;
  private static final int MAX_KEY_BYTES = 1023;
  private static final List<String> SYSTEM_HEADERS =
      List.of(
          "cache-control",
          "content-disposition",
          "content-encoding",
          "content-language",
          "expires");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final DateTimeFormatter RFC_822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_8601 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** Sub-resources that take part in the V1 signature (SDK SignParameters.SIGNED_PARAMTERS). */
  private static final java.util.Set<String> SIGNED_PARAMETERS =
      java.util.Set.of(
          "acl",
          "uploads",
          "location",
          "cors",
          "logging",
          "website",
          "referer",
          "lifecycle",
          "delete",
          "append",
          "tagging",
          "objectMeta",
          "uploadId",
          "partNumber",
          "security-token",
          "position",
          "response-cache-control",
          "response-content-disposition",
          "response-content-encoding",
          "response-content-language",
          "response-content-type",
          "response-expires",
          "img",
          "style",
          "styleName",
          "replication",
          "replicationProgress",
          "replicationLocation",
          "cname",
          "bucketInfo",
          "comp",
          "qos",
          "live",
          "status",
          "vod",
          "startTime",
          "endTime",
          "x-oss-process",
          "processConfiguration",
          "symlink",
          "stat",
          "udf",
          "udfName",
          "udfImage",
          "udfImageDesc",
          "udfApplication",
          "udfApplicationLog",
          "restore",
          "versions",
          "versioning",
          "versionId",
          "encryption",
          "policy",
          "requestPayment",
          "x-oss-traffic-limit",
          "qosInfo",
          "asyncFetch",
          "sequential",
          "x-oss-request-payer",
          "vpcip",
          "vip",
          "inventory",
          "inventoryId",
          "continuation-token",
          "worm",
          "wormId",
          "wormExtend",
          "callback",
          "callback-var",
          "x-oss-dir",
          "x-oss-rename",
          "x-oss-delete",
          "transferAcceleration",
          "x-oss-ac-source-ip",
          "x-oss-ac-subnet-mask",
          "x-oss-ac-vpc-id",
          "x-oss-ac-forward-allow",
          "metaQuery",
          "resourceGroup",
          "regionList",
          "x-oss-async-process",
          "x-oss-write-get-object-response",
          "bucketArchiveDirectRead",
          "httpsConfig",
          "publicAccessBlock",
          "policyStatus",
          "redundancyTransition",
          "x-oss-target-redundancy-type",
          "x-oss-redundancy-transition-taskid",
          "accessPoint",
          "accessPointPolicy",
          "seal");

  private final ObjectStore store;
  private final Map<String, String> credentials;
  private final FaultInjector faults;
  private final long minPartSize;
  private final boolean strictCseUploadPart;
  private final long requestBodyRate;
  private final AtomicLong requestCounter = new AtomicLong();
  private final String idPrefix = ObjectStore.randomId().substring(0, 8).toUpperCase(Locale.ROOT);

  OssHandler(
      ObjectStore store,
      Map<String, String> credentials,
      FaultInjector faults,
      long minPartSize,
      boolean strictCseUploadPart,
      long requestBodyRate) {
    this.store = store;
    this.credentials = credentials;
    this.faults = faults;
    this.minPartSize = minPartSize;
    this.strictCseUploadPart = strictCseUploadPart;
    this.requestBodyRate = requestBodyRate;
  }

  long requestCount() {
    return requestCounter.get();
  }

  /** Everything about one request. */
  private static final class Ctx {
    Request req;
    Response resp;
    Callback cb;
    String method;
    String requestId;
    String bucket;
    String key;
    final Map<String, String> query = new LinkedHashMap<>();
    boolean committed;

    String header(String name) {
      return req.getHeaders().get(name);
    }

    boolean has(String param) {
      return query.containsKey(param);
    }
  }

  @Override
  public boolean handle(Request req, Response resp, Callback cb) {
    Ctx c = new Ctx();
    c.req = req;
    c.resp = resp;
    c.cb = cb;
    c.method = req.getMethod().toUpperCase(Locale.ROOT);
    c.requestId = String.format("%s%016X", idPrefix, requestCounter.incrementAndGet());
    resp.getHeaders().put("x-oss-request-id", c.requestId);
    try {
      parseTarget(c);
      FaultInjector.Decision d = faults.take(FaultType.DELAY, c.method, c.bucket, c.key);
      if (d != null) {
        Thread.sleep(d.delay.toMillis());
      }
      d = faults.take(FaultType.ERROR_STATUS, c.method, c.bucket, c.key);
      if (d != null) {
        throw injectedError(d.status);
      }
      authenticate(c);
      route(c);
      if (!c.committed) {
        cb.succeeded();
      }
    } catch (OssError e) {
      if (c.committed) {
        cb.failed(e);
      } else {
        sendError(c, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cb.failed(e);
    } catch (Throwable t) {
      if (c.committed || resp.isCommitted()) {
        cb.failed(t);
      } else {
        sendError(c, new OssError(500, "InternalError", "We encountered an internal error: " + t));
      }
    }
    return true;
  }

  private static OssError injectedError(int status) {
    return switch (status) {
      case 500 -> new OssError(500, "InternalError", "Injected fault: internal error.");
      case 503 -> new OssError(503, "ServiceUnavailable", "Injected fault: service unavailable.");
      default -> new OssError(status, "InjectedFault", "Injected fault.");
    };
  }

  // ---------------------------------------------------------------- parsing and auth

  private static void parseTarget(Ctx c) {
    String rawPath = c.req.getHttpURI().getPath();
    if (rawPath == null || rawPath.isEmpty()) {
      rawPath = "/";
    }
    String path = percentDecode(rawPath);
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.indexOf('/');
    if (path.isEmpty()) {
      c.bucket = null;
    } else if (slash < 0) {
      c.bucket = path;
    } else {
      c.bucket = path.substring(0, slash);
      String key = path.substring(slash + 1);
      c.key = key.isEmpty() ? null : key;
    }
    String q = c.req.getHttpURI().getQuery();
    if (q != null && !q.isEmpty()) {
      for (String pair : q.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq < 0) {
          c.query.put(percentDecode(pair), null);
        } else {
          c.query.put(percentDecode(pair.substring(0, eq)), percentDecode(pair.substring(eq + 1)));
        }
      }
    }
  }

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

  private void authenticate(Ctx c) {
    if (credentials.isEmpty()) {
      return;
    }
    String auth = c.header("Authorization");
    String accessKeyId;
    String signature;
    String date;
    if (auth != null) {
      if (auth.startsWith(V4_ALGORITHM + " ")) {
        authenticateV4(c, auth);
        return;
      }
      if (!auth.startsWith("OSS ") || auth.indexOf(':') < 0) {
        throw new OssError(400, "InvalidArgument", "Authorization header is invalid.")
            .with("ArgumentName", "Authorization");
      }
      String rest = auth.substring(4).trim();
      int colon = rest.lastIndexOf(':');
      accessKeyId = rest.substring(0, colon);
      signature = rest.substring(colon + 1);
      date = c.header("Date");
    } else if (c.query.get("OSSAccessKeyId") != null && c.query.get("Signature") != null) {
      accessKeyId = c.query.get("OSSAccessKeyId");
      signature = c.query.get("Signature");
      date = c.query.get("Expires");
      long expires;
      try {
        expires = Long.parseLong(date);
      } catch (NumberFormatException e) {
        throw new OssError(403, "AccessDenied", "Expires is not a number.");
      }
      if (expires * 1000 < System.currentTimeMillis()) {
        throw new OssError(403, "AccessDenied", "Request has expired.")
            .with("Expires", Long.toString(expires));
      }
    } else {
      throw new OssError(
          403, "AccessDenied", "You do not have read or write permission on this resource.");
    }
    String secret = credentials.get(accessKeyId);
    if (secret == null) {
      throw new OssError(
              403,
              "InvalidAccessKeyId",
              "The OSS Access Key Id you provided does not exist in our records.")
          .with("OSSAccessKeyId", accessKeyId);
    }
    List<String> resources = signedResources(c);
    String first = null;
    for (String resource : resources) {
      String toSign = canonicalString(c, date, resource);
      if (first == null) {
        first = toSign;
      }
      if (MessageDigest.isEqual(
          hmacSha1(secret, toSign).getBytes(StandardCharsets.US_ASCII),
          signature.getBytes(StandardCharsets.US_ASCII))) {
        return;
      }
    }
    throw signatureMismatch(accessKeyId, first);
  }

  private static final String V4_ALGORITHM = "OSS4-HMAC-SHA256";
  private static final String V4_TERMINATOR = "aliyun_v4_request";

  /**
   * Checks an {@code OSS4-HMAC-SHA256} Authorization header (SDK {@code OSSV4Signer}): canonical
   * request over method, encoded resource, every query parameter, the content-type, content-md5,
   * x-oss-* and additional headers, and the payload hash header; signing key derived from
   * "aliyun_v4" + secret, date, region, "oss", "aliyun_v4_request". Any region is accepted.
   */
  private void authenticateV4(Ctx c, String auth) {
    Map<String, String> fields = new TreeMap<>();
    for (String part : auth.substring(V4_ALGORITHM.length()).split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    String credential = fields.get("Credential");
    String signature = fields.get("Signature");
    String[] scopeParts = credential == null ? new String[0] : credential.split("/", -1);
    if (signature == null || scopeParts.length != 5 || !V4_TERMINATOR.equals(scopeParts[4])) {
      throw new OssError(400, "InvalidArgument", "Authorization header is invalid.")
          .with("ArgumentName", "Authorization");
    }
    String accessKeyId = scopeParts[0];
    String secret = credentials.get(accessKeyId);
    if (secret == null) {
      throw new OssError(
              403,
              "InvalidAccessKeyId",
              "The OSS Access Key Id you provided does not exist in our records.")
          .with("OSSAccessKeyId", accessKeyId);
    }
    String dateTime = c.header("x-oss-date");
    if (dateTime == null || !dateTime.startsWith(scopeParts[1])) {
      throw new OssError(403, "AccessDenied", "x-oss-date is missing or does not match the scope.");
    }
    java.util.Set<String> additional = new java.util.TreeSet<>();
    String additionalHeaders = fields.get("AdditionalHeaders");
    if (additionalHeaders != null && !additionalHeaders.isEmpty()) {
      for (String h : additionalHeaders.split(";", -1)) {
        additional.add(h.trim().toLowerCase(Locale.ROOT));
      }
    }
    String scope = String.join("/", scopeParts[1], scopeParts[2], scopeParts[3], V4_TERMINATOR);
    byte[] key = hmacSha256(("aliyun_v4" + secret).getBytes(StandardCharsets.UTF_8), scopeParts[1]);
    key = hmacSha256(key, scopeParts[2]);
    key = hmacSha256(key, scopeParts[3]);
    key = hmacSha256(key, V4_TERMINATOR);
    List<String> resources = signedResources(c);
    String first = null;
    for (String resource : resources) {
      String canonical = canonicalRequestV4(c, resource, additional);
      String toSign =
          V4_ALGORITHM
              + "\n"
              + dateTime
              + "\n"
              + scope
              + "\n"
              + HexFormat.of().formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
      if (first == null) {
        first = toSign;
      }
      String expected = HexFormat.of().formatHex(hmacSha256(key, toSign));
      if (MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII),
          signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
        return;
      }
    }
    throw signatureMismatch(accessKeyId, first);
  }

  private static String canonicalRequestV4(
      Ctx c, String resource, java.util.Set<String> additional) {
    StringBuilder sb = new StringBuilder();
    sb.append(c.method).append('\n');
    sb.append(urlEncode(resource).replace("%2F", "/")).append('\n');
    TreeMap<String, String> params = new TreeMap<>();
    c.query.forEach(
        (k, v) -> params.put(urlEncode(k.trim()), v == null ? "" : urlEncode(v.trim())));
    String sep = "";
    for (Map.Entry<String, String> e : params.entrySet()) {
      sb.append(sep).append(e.getKey());
      if (!e.getValue().isEmpty()) {
        sb.append('=').append(e.getValue());
      }
      sep = "&";
    }
    sb.append('\n');
    TreeMap<String, String> headers = new TreeMap<>();
    for (HttpField f : c.req.getHeaders()) {
      String lower = f.getName().toLowerCase(Locale.ROOT);
      if (lower.equals("content-type")
          || lower.equals("content-md5")
          || lower.startsWith("x-oss-")
          || additional.contains(lower)) {
        headers.put(lower, f.getValue() == null ? "" : f.getValue().trim());
      }
    }
    headers.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
    sb.append('\n');
    sb.append(String.join(";", additional)).append('\n');
    String payload = c.header("x-oss-content-sha256");
    sb.append(payload == null || payload.isEmpty() ? "UNSIGNED-PAYLOAD" : payload);
    return sb.toString();
  }

  private static byte[] hmacSha256(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static OssError signatureMismatch(String accessKeyId, String stringToSign) {
    return new OssError(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided."
                + " Check your key and signing method.",
            "0002-00000040")
        .with("OSSAccessKeyId", accessKeyId)
        .with("StringToSign", stringToSign);
  }

  /**
   * The resources a signature may cover: the bucket-level form with and without the trailing slash
   * (clients differ), the object path, or "/" for the service.
   */
  private static List<String> signedResources(Ctx c) {
    List<String> resources = new ArrayList<>();
    if (c.bucket == null) {
      resources.add("/");
    } else if (c.key == null) {
      resources.add("/" + c.bucket + "/");
      resources.add("/" + c.bucket);
    } else {
      resources.add("/" + c.bucket + "/" + c.key);
    }
    return resources;
  }

  private static String canonicalString(Ctx c, String date, String resource) {
    TreeMap<String, String> signed = new TreeMap<>();
    for (HttpField f : c.req.getHeaders()) {
      String lower = f.getName().toLowerCase(Locale.ROOT);
      if (lower.equals("content-type")
          || lower.equals("content-md5")
          || lower.startsWith("x-oss-")) {
        signed.put(lower, f.getValue() == null ? "" : f.getValue().trim());
      }
    }
    if (date != null) {
      signed.put("date", date.trim());
    }
    signed.putIfAbsent("content-type", "");
    signed.putIfAbsent("content-md5", "");
    StringBuilder sb = new StringBuilder();
    sb.append(c.method).append('\n');
    for (Map.Entry<String, String> e : signed.entrySet()) {
      if (e.getKey().startsWith("x-oss-")) {
        sb.append(e.getKey()).append(':').append(e.getValue());
      } else {
        sb.append(e.getValue());
      }
      sb.append('\n');
    }
    sb.append(resource);
    char sep = '?';
    for (Map.Entry<String, String> e : new TreeMap<>(c.query).entrySet()) {
      if (!SIGNED_PARAMETERS.contains(e.getKey())) {
        continue;
      }
      sb.append(sep).append(e.getKey());
      if (e.getValue() != null) {
        sb.append('=').append(e.getValue());
      }
      sep = '&';
    }
    return sb.toString();
  }

  static String hmacSha1(String secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }

  // ---------------------------------------------------------------- routing

  private void route(Ctx c) throws IOException {
    if (c.bucket == null) {
      if (c.method.equals("GET")) {
        listBuckets(c);
        return;
      }
      throw new OssError(405, "MethodNotAllowed", "The specified method is not allowed.");
    }
    if (c.key == null) {
      routeBucket(c);
      return;
    }
    if (c.key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new OssError(400, "InvalidObjectName", "The length of the object name is too long.");
    }
    for (String unsupported : List.of("acl", "tagging", "symlink", "append", "restore")) {
      if (c.has(unsupported)) {
        throw OssError.notImplemented("?" + unsupported);
      }
    }
    switch (c.method) {
      case "PUT" -> {
        if (c.has("uploadId") || c.has("partNumber")) {
          uploadPart(c);
        } else if (c.header("x-oss-copy-source") != null) {
          copyObject(c);
        } else {
          putObject(c);
        }
      }
      case "GET" -> {
        if (c.has("uploadId")) {
          listParts(c);
        } else {
          getObject(c, false);
        }
      }
      case "HEAD" -> getObject(c, true);
      case "DELETE" -> {
        if (c.has("uploadId")) {
          abort(c);
        } else {
          store.bucket(c.bucket);
          store.delete(c.bucket, c.key);
          c.resp.setStatus(204);
        }
      }
      case "POST" -> {
        if (c.has("uploads")) {
          initiate(c);
        } else if (c.has("uploadId")) {
          complete(c);
        } else {
          throw OssError.notImplemented("POST on an object");
        }
      }
      default ->
          throw new OssError(405, "MethodNotAllowed", "The specified method is not allowed.");
    }
  }

  private void routeBucket(Ctx c) throws IOException {
    switch (c.method) {
      case "PUT" -> {
        if (!c.query.isEmpty()) {
          throw OssError.notImplemented("bucket configuration");
        }
        if (!ObjectStore.BUCKET_NAME.matcher(c.bucket).matches()) {
          throw new OssError(400, "InvalidBucketName", "The specified bucket is not valid.")
              .with("BucketName", c.bucket);
        }
        store.createBucket(c.bucket);
        c.resp.setStatus(200);
      }
      case "DELETE" -> {
        if (!c.query.isEmpty()) {
          throw OssError.notImplemented("bucket configuration");
        }
        store.deleteBucket(c.bucket);
        c.resp.setStatus(204);
      }
      case "GET" -> {
        if (c.has("uploads")) {
          listUploads(c);
        } else if ("2".equals(c.query.get("list-type"))) {
          listObjects(c, true);
        } else if (c.has("bucketInfo") || c.has("location") || c.has("acl")) {
          bucketInfo(c);
        } else {
          for (String k : c.query.keySet()) {
            if (SIGNED_PARAMETERS.contains(k)) {
              throw OssError.notImplemented("?" + k);
            }
          }
          listObjects(c, false);
        }
      }
      case "HEAD" -> {
        store.bucket(c.bucket);
        c.resp.setStatus(200);
      }
      case "POST" -> {
        if (c.has("delete")) {
          deleteObjects(c);
        } else {
          throw OssError.notImplemented("POST on a bucket");
        }
      }
      default ->
          throw new OssError(405, "MethodNotAllowed", "The specified method is not allowed.");
    }
  }

  // ---------------------------------------------------------------- objects

  private Attrs attrsFromRequest(Ctx c) {
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

  /** The request body as a stream, paced when a request body rate is set. */
  private InputStream requestBody(Ctx c) {
    InputStream in = Content.Source.asInputStream(c.req);
    return requestBodyRate > 0 ? new PacedInputStream(in, requestBodyRate) : in;
  }

  private Blob receiveBody(Ctx c) throws IOException {
    InputStream in = requestBody(c);
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

  private void putObject(Ctx c) throws IOException {
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
  private void checkForbidOverwrite(Ctx c) {
    if ("true".equalsIgnoreCase(c.header("x-oss-forbid-overwrite"))
        && store.bucket(c.bucket).containsKey(c.key)) {
      throw new OssError(409, "FileAlreadyExists", "The object you specified already exists.")
          .with("Key", c.key);
    }
  }

  private void putCrc(Ctx c, long crc) {
    long value = crc;
    if (faults.take(FaultType.WRONG_CRC, c.method, c.bucket, c.key) != null) {
      value ^= 1;
    }
    c.resp.getHeaders().put(CRC_HEADER, Long.toUnsignedString(value));
  }

  private void objectHeaders(Ctx c, StoredObject o) {
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

  private static String override(Ctx c, String param, String value) {
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

  private void getObject(Ctx c, boolean head) throws IOException {
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

  private static void checkConditions(Ctx c, StoredObject o) {
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

  private static long[] range(Ctx c, long size) {
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

  private void copyObject(Ctx c) throws IOException {
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
    sendXml(
        c,
        new Xml()
            .open("CopyObjectResult")
            .elem("ETag", quote(o.etag))
            .elem("LastModified", ISO_8601.format(Instant.ofEpochMilli(o.lastModified)))
            .close("CopyObjectResult"));
  }

  private void deleteObjects(Ctx c) throws IOException {
    store.bucket(c.bucket);
    byte[] body = readSmallBody(c);
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
    sendXml(c, x.close("DeleteResult"));
  }

  // ---------------------------------------------------------------- listing

  private void listBuckets(Ctx c) {
    Xml x =
        new Xml()
            .open("ListAllMyBucketsResult")
            .open("Owner")
            .elem("ID", "local")
            .elem("DisplayName", "local")
            .close("Owner")
            .open("Buckets");
    for (String b : store.bucketNames()) {
      x.open("Bucket")
          .elem("CreationDate", ISO_8601.format(Instant.ofEpochMilli(store.bucketCreated(b))))
          .elem("ExtranetEndpoint", "127.0.0.1")
          .elem("IntranetEndpoint", "127.0.0.1")
          .elem("Location", "oss-local")
          .elem("Name", b)
          .elem("Region", "local")
          .elem("StorageClass", "Standard")
          .close("Bucket");
    }
    sendXml(c, x.close("Buckets").close("ListAllMyBucketsResult"));
  }

  private void bucketInfo(Ctx c) {
    store.bucket(c.bucket);
    if (c.has("location")) {
      sendXml(c, new Xml().elem("LocationConstraint", "oss-local"));
      return;
    }
    if (c.has("acl")) {
      sendXml(
          c,
          new Xml()
              .open("AccessControlPolicy")
              .open("Owner")
              .elem("ID", "local")
              .elem("DisplayName", "local")
              .close("Owner")
              .open("AccessControlList")
              .elem("Grant", "private")
              .close("AccessControlList")
              .close("AccessControlPolicy"));
      return;
    }
    sendXml(
        c,
        new Xml()
            .open("BucketInfo")
            .open("Bucket")
            .elem(
                "CreationDate",
                ISO_8601.format(Instant.ofEpochMilli(store.bucketCreated(c.bucket))))
            .elem("ExtranetEndpoint", "127.0.0.1")
            .elem("IntranetEndpoint", "127.0.0.1")
            .elem("Location", "oss-local")
            .elem("Name", c.bucket)
            .elem("StorageClass", "Standard")
            .open("Owner")
            .elem("ID", "local")
            .elem("DisplayName", "local")
            .close("Owner")
            .open("AccessControlList")
            .elem("Grant", "private")
            .close("AccessControlList")
            .close("Bucket")
            .close("BucketInfo"));
  }

  private void listObjects(Ctx c, boolean v2) {
    NavigableMap<String, StoredObject> index = store.bucket(c.bucket);
    String prefix = c.query.getOrDefault("prefix", "");
    if (prefix == null) {
      prefix = "";
    }
    String delimiter = c.query.get("delimiter");
    if (delimiter != null && delimiter.isEmpty()) {
      delimiter = null;
    }
    int maxKeys = 100;
    String mk = c.query.get("max-keys");
    if (mk != null) {
      try {
        maxKeys = Integer.parseInt(mk);
      } catch (NumberFormatException e) {
        throw OssError.invalidArgument("max-keys must be an integer.", "max-keys", mk);
      }
      if (maxKeys < 0 || maxKeys > 1000) {
        throw OssError.invalidArgument("max-keys must be between 0 and 1000.", "max-keys", mk);
      }
    }
    boolean url = "url".equals(c.query.get("encoding-type"));
    String marker;
    String token = null;
    if (v2) {
      token = c.query.get("continuation-token");
      if (token != null && !token.isEmpty()) {
        try {
          marker = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw OssError.invalidArgument(
              "Invalid continuation token.", "continuation-token", token);
        }
      } else {
        marker = c.query.getOrDefault("start-after", "");
      }
    } else {
      marker = c.query.getOrDefault("marker", "");
    }
    if (marker == null) {
      marker = "";
    }
    String from = prefix.compareTo(marker) > 0 ? prefix : marker;
    NavigableMap<String, StoredObject> tail = index.tailMap(from, !from.equals(marker));
    List<StoredObject> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    boolean truncated = false;
    for (Map.Entry<String, StoredObject> e : tail.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        break;
      }
      String cp = null;
      if (delimiter != null) {
        int d = key.indexOf(delimiter, prefix.length());
        if (d >= 0) {
          cp = key.substring(0, d + delimiter.length());
        }
      }
      if (cp != null) {
        if (cp.compareTo(marker) <= 0
            || (!prefixes.isEmpty() && prefixes.get(prefixes.size() - 1).equals(cp))) {
          continue;
        }
      }
      if (maxKeys == 0) {
        break; // nothing asked for: an empty, untruncated page
      }
      if (contents.size() + prefixes.size() >= maxKeys) {
        truncated = true;
        break;
      }
      if (cp != null) {
        prefixes.add(cp);
        last = cp;
      } else {
        contents.add(e.getValue());
        last = key;
      }
    }
    String root = "ListBucketResult";
    Xml x = new Xml().open(root).elem("Name", c.bucket).elem("Prefix", enc(prefix, url));
    if (v2) {
      if (c.query.get("start-after") != null) {
        x.elem("StartAfter", enc(c.query.get("start-after"), url));
      }
      if (token != null) {
        x.elem("ContinuationToken", token);
      }
    } else {
      x.elem("Marker", enc(marker, url));
    }
    x.elem("MaxKeys", maxKeys);
    if (delimiter != null) {
      x.elem("Delimiter", enc(delimiter, url));
    }
    if (url) {
      x.elem("EncodingType", "url");
    }
    x.elem("IsTruncated", truncated);
    if (truncated && last != null) {
      if (v2) {
        x.elem(
            "NextContinuationToken",
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
      } else {
        x.elem("NextMarker", enc(last, url));
      }
    }
    if (v2) {
      x.elem("KeyCount", contents.size() + prefixes.size());
    }
    boolean owner = !v2 || "true".equalsIgnoreCase(c.query.get("fetch-owner"));
    for (StoredObject o : contents) {
      x.open("Contents")
          .elem("Key", enc(o.key, url))
          .elem("LastModified", ISO_8601.format(Instant.ofEpochMilli(o.lastModified)))
          .elem("ETag", quote(o.etag))
          .elem("Type", o.objectType)
          .elem("Size", o.size)
          .elem("StorageClass", "Standard");
      if (owner) {
        x.open("Owner").elem("ID", "local").elem("DisplayName", "local").close("Owner");
      }
      x.close("Contents");
    }
    for (String p : prefixes) {
      x.open("CommonPrefixes").elem("Prefix", enc(p, url)).close("CommonPrefixes");
    }
    sendXml(c, x.close(root));
  }

  private static String enc(String v, boolean url) {
    return url && v != null ? urlEncode(v) : v;
  }

  static String urlEncode(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  // ---------------------------------------------------------------- multipart

  private void initiate(Ctx c) throws IOException {
    store.bucket(c.bucket);
    Attrs attrs = attrsFromRequest(c);
    Cse.checkInitiate(attrs.userMeta);
    Upload u = store.initiate(c.bucket, c.key, attrs);
    boolean url = "url".equals(c.query.get("encoding-type"));
    Xml x =
        new Xml()
            .open("InitiateMultipartUploadResult")
            .elem("Bucket", c.bucket)
            .elem("Key", enc(c.key, url))
            .elem("UploadId", u.uploadId);
    if (url) {
      x.elem("EncodingType", "url");
    }
    sendXml(c, x.close("InitiateMultipartUploadResult"));
  }

  private int partNumber(Ctx c) {
    String v = c.query.get("partNumber");
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 10000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw OssError.invalidArgument(
        "Part number must be an integer between 1 and 10000, inclusive.", "partNumber", v);
  }

  private void uploadPart(Ctx c) throws IOException {
    if (c.header("x-oss-copy-source") != null) {
      throw OssError.notImplemented("UploadPartCopy");
    }
    int number = partNumber(c);
    Upload u = store.upload(c.bucket, c.key, c.query.get("uploadId"));
    Attrs requested = attrsFromRequest(c);
    Cse.checkUploadPartHeaders(u.attrs.userMeta, cseOnly(requested.userMeta), strictCseUploadPart);
    Blob blob = receiveBody(c);
    Part p;
    try {
      Cse.checkPartSize(u.attrs.userMeta, number, blob.size);
      p = store.commitPart(u, number, blob);
    } finally {
      store.discard(blob);
    }
    c.resp.setStatus(200);
    c.resp.getHeaders().put("ETag", quote(p.etag));
    c.resp.getHeaders().put("Content-MD5", Base64.getEncoder().encodeToString(blob.md5));
    putCrc(c, p.crc);
  }

  private static Map<String, String> cseOnly(Map<String, String> meta) {
    Map<String, String> out = new TreeMap<>();
    meta.forEach(
        (k, v) -> {
          if (k.startsWith(Cse.PREFIX)) {
            out.put(k, v);
          }
        });
    return out;
  }

  private void complete(Ctx c) throws IOException {
    Upload u = store.upload(c.bucket, c.key, c.query.get("uploadId"));
    byte[] body = readSmallBody(c);
    checkForbidOverwrite(c);
    NavigableMap<Integer, Part> uploaded = store.parts(u);
    List<Part> chosen = new ArrayList<>();
    if ("yes".equalsIgnoreCase(c.header("x-oss-complete-all"))) {
      if (body.length > 0) {
        throw OssError.invalidArgument(
            "x-oss-complete-all requires an empty body.", "x-oss-complete-all", "yes");
      }
      chosen.addAll(uploaded.values());
      if (chosen.isEmpty()) {
        throw new OssError(400, "InvalidPart", "The upload has no parts.");
      }
      finishComplete(c, u, chosen);
      return;
    }
    Document doc = Xml.parse(body);
    NodeList nodes = doc.getElementsByTagName("Part");
    if (nodes.getLength() == 0) {
      throw new OssError(
          400, "MalformedXML", "The XML you provided was not well-formed or did not validate.");
    }
    int previous = 0;
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      String num = text(e, "PartNumber");
      String etag = text(e, "ETag");
      int n;
      try {
        n = Integer.parseInt(num == null ? "" : num.trim());
      } catch (NumberFormatException ex) {
        throw new OssError(
            400, "MalformedXML", "The XML you provided was not well-formed or did not validate.");
      }
      if (n <= previous) {
        throw new OssError(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. Parts list must specified in order by part number.");
      }
      previous = n;
      Part p = uploaded.get(n);
      if (p == null || etag == null || !unquote(etag.trim()).equalsIgnoreCase(p.etag)) {
        throw new OssError(
                400,
                "InvalidPart",
                "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.")
            .with("PartNumber", Integer.toString(n))
            .with("ETag", etag);
      }
      chosen.add(p);
    }
    finishComplete(c, u, chosen);
  }

  private void finishComplete(Ctx c, Upload u, List<Part> chosen) throws IOException {
    long[] sizes = chosen.stream().mapToLong(p -> p.size).toArray();
    for (int i = 0; i < sizes.length - 1; i++) {
      if (sizes[i] < minPartSize) {
        throw new OssError(
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size.")
            .with("MinSizeAllowed", Long.toString(minPartSize))
            .with("ProposedSize", Long.toString(sizes[i]))
            .with("PartNumber", Integer.toString(chosen.get(i).number));
      }
    }
    Cse.checkComplete(u.attrs.userMeta, c.header(META_PREFIX + Cse.DATA_SIZE), sizes);
    StoredObject o = store.complete(u, chosen);
    boolean url = "url".equals(c.query.get("encoding-type"));
    putCrc(c, o.crc);
    Xml x = new Xml().open("CompleteMultipartUploadResult");
    if (url) {
      x.elem("EncodingType", "url");
    }
    x.elem("Location", "http://127.0.0.1/" + c.bucket + "/" + urlEncode(c.key))
        .elem("Bucket", c.bucket)
        .elem("Key", enc(c.key, url))
        .elem("ETag", quote(o.etag));
    sendXml(c, x.close("CompleteMultipartUploadResult"));
  }

  private void abort(Ctx c) throws IOException {
    Upload u = store.upload(c.bucket, c.key, c.query.get("uploadId"));
    store.abort(u);
    c.resp.setStatus(204);
  }

  private void listParts(Ctx c) throws IOException {
    Upload u = store.upload(c.bucket, c.key, c.query.get("uploadId"));
    int maxParts = 1000;
    String mp = c.query.get("max-parts");
    if (mp != null) {
      try {
        maxParts = Integer.parseInt(mp);
      } catch (NumberFormatException e) {
        throw OssError.invalidArgument("max-parts must be an integer.", "max-parts", mp);
      }
      if (maxParts < 1 || maxParts > 1000) {
        throw OssError.invalidArgument("max-parts must be between 1 and 1000.", "max-parts", mp);
      }
    }
    int marker = 0;
    String pm = c.query.get("part-number-marker");
    if (pm != null && !pm.isEmpty()) {
      try {
        marker = Integer.parseInt(pm);
      } catch (NumberFormatException e) {
        throw OssError.invalidArgument(
            "part-number-marker must be an integer.", "part-number-marker", pm);
      }
    }
    boolean url = "url".equals(c.query.get("encoding-type"));
    NavigableMap<Integer, Part> parts = store.parts(u).tailMap(marker, false);
    List<Part> page = new ArrayList<>();
    for (Part p : parts.values()) {
      if (page.size() == maxParts) {
        break;
      }
      page.add(p);
    }
    boolean truncated = parts.size() > page.size();
    int next = page.isEmpty() ? marker : page.get(page.size() - 1).number;
    Map<String, String> m = u.attrs.userMeta;
    Xml x =
        new Xml()
            .open("ListPartsResult")
            .elem("Bucket", c.bucket)
            .elem("Key", enc(c.key, url))
            .elem("UploadId", u.uploadId);
    if (url) {
      x.elem("EncodingType", "url");
    }
    x.elem("StorageClass", "Standard")
        .elem("PartNumberMarker", marker)
        .elem("NextPartNumberMarker", next)
        .elem("MaxParts", maxParts)
        .elem("IsTruncated", truncated)
        .elem("ClientEncryptionKey", m.get(Cse.KEY))
        .elem("ClientEncryptionStart", m.get(Cse.START))
        .elem("ClientEncryptionCekAlg", m.get(Cse.CEK_ALG))
        .elem("ClientEncryptionWrapAlg", m.get(Cse.WRAP_ALG))
        .elem("ClientEncryptionDataSize", m.get(Cse.DATA_SIZE))
        .elem("ClientEncryptionPartSize", m.get(Cse.PART_SIZE));
    for (Part p : page) {
      x.open("Part")
          .elem("PartNumber", p.number)
          .elem("LastModified", ISO_8601.format(Instant.ofEpochMilli(p.lastModified)))
          .elem("ETag", quote(p.etag))
          .elem("HashCrc64ecma", Long.toUnsignedString(p.crc))
          .elem("Size", p.size)
          .close("Part");
    }
    sendXml(c, x.close("ListPartsResult"));
  }

  private void listUploads(Ctx c) throws IOException {
    String prefix = c.query.get("prefix");
    Xml x =
        new Xml()
            .open("ListMultipartUploadsResult")
            .elem("Bucket", c.bucket)
            .elem("KeyMarker", "")
            .elem("UploadIdMarker", "")
            .elem("NextKeyMarker", "")
            .elem("NextUploadIdMarker", "")
            .elem("Delimiter", "")
            .elem("Prefix", prefix == null ? "" : prefix)
            .elem("MaxUploads", 1000)
            .elem("IsTruncated", false);
    for (Upload u : store.uploads(c.bucket)) {
      if (prefix != null && !u.key.startsWith(prefix)) {
        continue;
      }
      x.open("Upload")
          .elem("Key", u.key)
          .elem("UploadId", u.uploadId)
          .elem("StorageClass", "Standard")
          .elem("Initiated", ISO_8601.format(Instant.ofEpochMilli(u.initiated)))
          .close("Upload");
    }
    sendXml(c, x.close("ListMultipartUploadsResult"));
  }

  // ---------------------------------------------------------------- replies

  private byte[] readSmallBody(Ctx c) throws IOException {
    InputStream in = requestBody(c);
    byte[] body = in.readNBytes(MAX_XML_BODY + 1);
    if (body.length > MAX_XML_BODY) {
      throw new OssError(400, "MalformedXML", "The XML body is too large.");
    }
    return body;
  }

  /**
   * Reads and discards what is left of the request body, so that an early error reply reaches a
   * client that sends the whole body before reading (as the SDK does) and the connection can be
   * reused.
   */
  private static void drainRequestBody(Ctx c) {
    try {
      Content.Source.consumeAll(c.req);
    } catch (IOException | RuntimeException e) {
      // the client went away; the reply will fail too
    }
  }

  private static String text(Element parent, String name) {
    NodeList l = parent.getElementsByTagName(name);
    return l.getLength() == 0 ? null : l.item(0).getTextContent();
  }

  private static String quote(String etag) {
    return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
  }

  private static String unquote(String etag) {
    String v = etag;
    if (v.startsWith("\"")) {
      v = v.substring(1);
    }
    if (v.endsWith("\"")) {
      v = v.substring(0, v.length() - 1);
    }
    return v;
  }

  private static void sendXml(Ctx c, Xml xml) {
    byte[] body = xml.toBytes();
    c.resp.setStatus(200);
    c.resp.getHeaders().put("Content-Type", "application/xml");
    c.resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    c.committed = true;
    c.resp.write(true, ByteBuffer.wrap(body), c.cb);
  }

  private void sendError(Ctx c, OssError e) {
    Xml x =
        new Xml()
            .open("Error")
            .elem("Code", e.code)
            .elem("Message", e.getMessage())
            .elem("RequestId", c.requestId)
            .elem("HostId", "127.0.0.1");
    e.extras.forEach(x::elem);
    if (e.ec != null) {
      x.elem("EC", e.ec);
    }
    x.close("Error");
    byte[] body = x.toBytes();
    drainRequestBody(c);
    Response resp = c.resp;
    try {
      resp.reset();
    } catch (IllegalStateException ignored) {
      // already committed
    }
    resp.setStatus(e.status);
    resp.getHeaders().put("x-oss-request-id", c.requestId);
    if (e.ec != null) {
      resp.getHeaders().put("x-oss-ec", e.ec);
    }
    if (e.status == 416 && e.extras.containsKey("ActualObjectSize")) {
      resp.getHeaders().put("Content-Range", "bytes */" + e.extras.get("ActualObjectSize"));
    }
    if ("HEAD".equals(c.method) || e.status == 304) {
      resp.getHeaders().put("x-oss-err", Base64.getEncoder().encodeToString(body));
      resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
      c.cb.succeeded();
      return;
    }
    resp.getHeaders().put("Content-Type", "application/xml");
    resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    resp.write(true, ByteBuffer.wrap(body), c.cb);
  }
}
