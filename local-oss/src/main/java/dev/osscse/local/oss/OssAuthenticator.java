package dev.osscse.local.oss;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.http.HttpField;

/**
 * Authentication of OSS requests: V1 ({@code OSS AK:signature} header or presigned URL) and V4
 * ({@code OSS4-HMAC-SHA256} header), checked against the configured access keys.
 */
final class OssAuthenticator {
  /** Sub-resources that take part in the V1 signature (SDK SignParameters.SIGNED_PARAMTERS). */
  static final Set<String> SIGNED_PARAMETERS =
      Set.of(
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

  private static final String V4_ALGORITHM = "OSS4-HMAC-SHA256";
  private static final String V4_TERMINATOR = "aliyun_v4_request";

  /** How far a request's Date or x-oss-date may be from the server clock, as on OSS. */
  static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private static final DateTimeFormatter ISO_BASIC =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.US).withZone(ZoneOffset.UTC);

  private final Map<String, String> credentials;
  private final Clock clock;
  private final Duration maxPresignedValidity;

  /**
   * @param credentials accepted access key pairs; none means every request is accepted
   * @param clock the clock request times are checked against
   * @param maxPresignedValidity how far ahead a presigned {@code Expires} may lie, or null
   */
  OssAuthenticator(Map<String, String> credentials, Clock clock, Duration maxPresignedValidity) {
    this.credentials = credentials;
    this.clock = clock;
    this.maxPresignedValidity = maxPresignedValidity;
  }

  void authenticate(OssExchange c) {
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
      checkRequestTime(date, parseRfc1123(date));
    } else if (c.query.get("OSSAccessKeyId") != null && c.query.get("Signature") != null) {
      accessKeyId = c.query.get("OSSAccessKeyId");
      signature = c.query.get("Signature");
      date = c.query.get("Expires");
      checkExpires(date);
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

  /**
   * Checks an {@code OSS4-HMAC-SHA256} Authorization header (SDK {@code OSSV4Signer}): canonical
   * request over method, encoded resource, every query parameter, the content-type, content-md5,
   * x-oss-* and additional headers, and the payload hash header; signing key derived from
   * "aliyun_v4" + secret, date, region, "oss", "aliyun_v4_request". Any region is accepted.
   */
  private void authenticateV4(OssExchange c, String auth) {
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
    checkRequestTime(dateTime, parseIsoBasic(dateTime));
    Set<String> additional = new TreeSet<>();
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

  private static String canonicalRequestV4(OssExchange c, String resource, Set<String> additional) {
    StringBuilder sb = new StringBuilder();
    sb.append(c.method).append('\n');
    sb.append(OssWire.urlEncode(resource).replace("%2F", "/")).append('\n');
    TreeMap<String, String> params = new TreeMap<>();
    c.query.forEach(
        (k, v) ->
            params.put(OssWire.urlEncode(k.trim()), v == null ? "" : OssWire.urlEncode(v.trim())));
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

  /**
   * Refuses a presigned URL whose {@code Expires} (unverified: any text) is missing, not a number,
   * past, or further ahead than the configured bound.
   */
  private void checkExpires(String expires) {
    if (expires == null || expires.isEmpty()) {
      throw new OssError(403, "AccessDenied", "Expires is missing or empty.", "0002-00000068");
    }
    long seconds;
    try {
      seconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw new OssError(403, "AccessDenied", "Expires is not a number.", "0002-00000070")
          .with("Expires", expires);
    }
    Instant now = clock.instant();
    long nowSeconds = now.getEpochSecond();
    if (seconds < nowSeconds) {
      throw new OssError(403, "AccessDenied", "Request has expired.", "0002-00000069")
          .with("Expires", expires)
          .with("ServerTime", OssWire.ISO_8601.format(now));
    }
    if (maxPresignedValidity != null && seconds - nowSeconds > maxPresignedValidity.getSeconds()) {
      throw new OssError(
              403,
              "AccessDenied",
              "Expires lies further ahead than this endpoint accepts ("
                  + maxPresignedValidity.getSeconds()
                  + " seconds).")
          .with("Expires", expires)
          .with("ServerTime", OssWire.ISO_8601.format(now));
    }
  }

  /**
   * Refuses a signed request whose time ({@code Date} or {@code x-oss-date}, unverified) is absent
   * or more than {@link #MAX_SKEW} from the server clock: a captured request can be replayed for
   * that long and no longer.
   */
  private void checkRequestTime(String raw, Instant requestTime) {
    if (requestTime == null) {
      throw new OssError(
              403, "AccessDenied", "OSS authentication requires a valid Date.", "0002-00000503")
          .with("Date", raw);
    }
    Instant now = clock.instant();
    if (Duration.between(requestTime, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new OssError(
              403,
              "RequestTimeTooSkewed",
              "The difference between the request time and the current time is too large.")
          .with("RequestTime", raw)
          .with("ServerTime", OssWire.ISO_8601.format(now))
          .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
    }
  }

  private static Instant parseRfc1123(String v) {
    if (v == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant parseIsoBasic(String v) {
    try {
      return Instant.from(ISO_BASIC.parse(v.trim()));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static byte[] hmacSha256(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
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
  private static List<String> signedResources(OssExchange c) {
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

  private static String canonicalString(OssExchange c, String date, String resource) {
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
      // an empty value is signed as the bare name ("?uploads" for "?uploads="), as the SDKs do
      if (e.getValue() != null && !e.getValue().isEmpty()) {
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
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }
}
