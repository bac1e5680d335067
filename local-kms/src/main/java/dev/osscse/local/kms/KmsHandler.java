package dev.osscse.local.kms;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** The KMS RPC protocol: parse, verify the V1 signature, apply faults, dispatch, reply JSON. */
final class KmsHandler extends Handler.Abstract {
  // No HTML escaping: the SDK's JSON reader does not decode unicode escapes, and the real service
  // sends '=' and '&' verbatim.
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  private static final int MAX_BODY = 64 * 1024;

  /** How far a request's Timestamp may be from the server clock. */
  static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private final MasterKeys keys;
  private final Map<String, String> credentials;
  private final boolean verifySignatures;
  private final KmsFaults faults;
  private final Clock clock;
  private final NonceCache nonces;
  private final SecureRandom random = new SecureRandom();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong signatureFailures = new AtomicLong();
  final Map<String, AtomicLong> actions = new ConcurrentHashMap<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();

  KmsHandler(
      MasterKeys keys,
      Map<String, String> credentials,
      boolean verifySignatures,
      KmsFaults faults,
      Clock clock,
      int nonceCapacity) {
    this.keys = keys;
    this.credentials = Map.copyOf(credentials);
    this.verifySignatures = verifySignatures;
    this.faults = faults;
    this.clock = clock;
    this.nonces = new NonceCache(nonceCapacity);
  }

  int noncesHeld() {
    return nonces.size();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      return serve(request, response, callback);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private boolean serve(Request request, Response response, Callback callback) {
    requests.incrementAndGet();
    String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    int status;
    Object body;
    try {
      Map<String, String> params = parameters(request);
      String action = params.getOrDefault("Action", "");
      actions.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
      if (verifySignatures) {
        verify(request.getMethod(), params);
      }
      KmsError fault = faults.apply();
      if (fault != null) {
        throw fault;
      }
      Map<String, Object> reply = dispatch(action, params);
      reply.put("RequestId", requestId);
      status = 200;
      body = reply;
    } catch (KmsError e) {
      status = e.status;
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("RequestId", requestId);
      err.put("HostId", "kms.local.oss-cse");
      err.put("Code", e.code);
      err.put("Message", e.getMessage());
      err.put("Recommend", "");
      body = err;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
      return true;
    } catch (RuntimeException | IOException e) {
      status = 500;
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("RequestId", requestId);
      err.put("HostId", "kms.local.oss-cse");
      err.put("Code", "InternalFailure");
      err.put("Message", "The request processing has failed due to some unknown error.");
      body = err;
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
    response.getHeaders().put("x-acs-request-id", requestId);
    Content.Sink.write(response, true, GSON.toJson(body), callback);
    return true;
  }

  private static Map<String, String> parameters(Request request) throws IOException, KmsError {
    Map<String, String> params = new HashMap<>();
    Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    for (Fields.Field f : query) {
      params.put(f.getName(), f.getValue());
    }
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type != null
        && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      long len = request.getLength();
      if (len > MAX_BODY) {
        throw KmsError.invalid("body");
      }
      String form = Content.Source.asString(request, StandardCharsets.UTF_8);
      if (form.length() > MAX_BODY) {
        throw KmsError.invalid("body");
      }
      for (String pair : form.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        params.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private void verify(String method, Map<String, String> params) throws KmsError {
    String ak = params.get("AccessKeyId");
    String signature = params.get("Signature");
    if (ak == null) {
      signatureFailures.incrementAndGet();
      throw KmsError.missing("AccessKeyId");
    }
    if (signature == null) {
      signatureFailures.incrementAndGet();
      throw KmsError.missing("Signature");
    }
    String secret = credentials.get(ak);
    if (secret == null) {
      signatureFailures.incrementAndGet();
      throw new KmsError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }
    if (!"HMAC-SHA1".equals(params.get("SignatureMethod"))
        || !"1.0".equals(params.get("SignatureVersion"))) {
      signatureFailures.incrementAndGet();
      throw new KmsError(
          400,
          "IncompleteSignature",
          "The request signature does not conform to Aliyun standards.");
    }
    String toSign = RpcSignature.stringToSign(method, params);
    String expected = RpcSignature.sign(toSign, secret);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.UTF_8))) {
      signatureFailures.incrementAndGet();
      throw new KmsError(
          400,
          "SignatureDoesNotMatch",
          "Specified signature is not matched with our calculation. server string to sign is:"
              + toSign);
    }
    checkFreshness(ak, params);
  }

  /**
   * Refuses a signed request whose {@code Timestamp} (unverified text) is missing, malformed or
   * more than {@link #MAX_SKEW} from the server clock, or whose {@code SignatureNonce} was already
   * used by an accepted request that is still fresh.
   */
  private void checkFreshness(String ak, Map<String, String> params) throws KmsError {
    String timestamp = params.get("Timestamp");
    if (timestamp == null || timestamp.isEmpty()) {
      throw KmsError.missing("Timestamp");
    }
    Instant at;
    try {
      at = Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      throw new KmsError(
          400,
          "InvalidTimeStamp.Format",
          "Specified time stamp or date value is not well formatted.");
    }
    Instant now = clock.instant();
    if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new KmsError(
          400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    }
    String nonce = params.get("SignatureNonce");
    if (nonce == null || nonce.isEmpty()) {
      throw KmsError.missing("SignatureNonce");
    }
    switch (nonces.remember(ak + "\n" + nonce, at.plus(MAX_SKEW), now)) {
      case REPLAYED ->
          throw new KmsError(
              400, "SignatureNonceUsed", "Specified signature nonce was used already.");
      case FULL ->
          throw new KmsError(
              503,
              "ServiceUnavailable",
              "Too many recent requests to remember their nonces; retry later.");
      case NEW -> {}
    }
  }

  private Map<String, Object> dispatch(String action, Map<String, String> p)
      throws KmsError, IOException {
    String version = p.get("Version");
    if (version != null && !"2016-01-20".equals(version)) {
      throw new KmsError(400, "InvalidVersion", "Specified parameter Version is not valid.");
    }
    switch (action) {
      case "Encrypt":
        return encrypt(p);
      case "Decrypt":
        return decrypt(p);
      case "GenerateDataKey":
        return generateDataKey(p);
      case "DescribeKey":
        {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("KeyMetadata", metadata(existingKey(p)));
          return r;
        }
      case "DisableKey":
      case "EnableKey":
        {
          keys.setEnabled(existingKey(p), "EnableKey".equals(action));
          return new LinkedHashMap<>();
        }
      case "CreateKey":
        {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("KeyMetadata", metadata(keys.create()));
          return r;
        }
      default:
        throw new KmsError(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.");
    }
  }

  private Map<String, Object> encrypt(Map<String, String> p) throws KmsError {
    String keyId = existingKey(p);
    String plaintext = required(p, "Plaintext");
    if (plaintext.isEmpty() || plaintext.length() > 6144) {
      throw KmsError.invalid("Plaintext");
    }
    String blob = keys.seal(keyId, plaintext, context(p));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("CiphertextBlob", blob);
    r.put("KeyId", keyId);
    r.put("KeyVersionId", MasterKeys.versionId(keyId));
    return r;
  }

  private Map<String, Object> decrypt(Map<String, String> p) throws KmsError {
    String blob = required(p, "CiphertextBlob");
    String[] opened = keys.open(blob, context(p));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("Plaintext", opened[1]);
    r.put("KeyId", opened[0]);
    r.put("KeyVersionId", MasterKeys.versionId(opened[0]));
    return r;
  }

  private Map<String, Object> generateDataKey(Map<String, String> p) throws KmsError {
    String keyId = existingKey(p);
    int n;
    String bytes = p.get("NumberOfBytes");
    if (bytes != null && !bytes.isEmpty()) {
      try {
        n = Integer.parseInt(bytes);
      } catch (NumberFormatException e) {
        throw KmsError.invalid("NumberOfBytes");
      }
      if (n < 1 || n > 1024) {
        throw KmsError.invalid("NumberOfBytes");
      }
    } else {
      String spec = p.getOrDefault("KeySpec", "AES_256");
      if ("AES_256".equals(spec)) {
        n = 32;
      } else if ("AES_128".equals(spec)) {
        n = 16;
      } else {
        throw KmsError.invalid("KeySpec");
      }
    }
    byte[] dk = new byte[n];
    random.nextBytes(dk);
    String b64 = Base64.getEncoder().encodeToString(dk);
    java.util.Arrays.fill(dk, (byte) 0);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("CiphertextBlob", keys.seal(keyId, b64, context(p)));
    r.put("Plaintext", b64);
    r.put("KeyId", keyId);
    r.put("KeyVersionId", MasterKeys.versionId(keyId));
    return r;
  }

  private String existingKey(Map<String, String> p) throws KmsError {
    String keyId = required(p, "KeyId");
    if (!keys.exists(keyId)) {
      throw KmsError.keyNotFound();
    }
    return keyId;
  }

  private Map<String, Object> metadata(String keyId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("KeyId", keyId);
    m.put("Arn", "acs:kms:local:000000000000:key/" + keyId);
    m.put("KeyState", keys.isEnabled(keyId) ? "Enabled" : "Disabled");
    m.put("KeyUsage", "ENCRYPT/DECRYPT");
    m.put("KeySpec", "Aliyun_AES_256");
    m.put("Origin", "Aliyun_KMS");
    m.put("ProtectionLevel", "SOFTWARE");
    m.put("Creator", "local");
    m.put("Description", "");
    m.put("CreationDate", DateTimeFormatter.ISO_INSTANT.format(keys.created(keyId)));
    m.put("PrimaryKeyVersion", MasterKeys.versionId(keyId));
    return m;
  }

  private static String required(Map<String, String> p, String name) throws KmsError {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw KmsError.missing(name);
    }
    return v;
  }

  /** Canonical encryption context: sorted compact JSON, or "" when absent or empty. */
  private static String context(Map<String, String> p) throws KmsError {
    String raw = p.get("EncryptionContext");
    if (raw == null || raw.isBlank()) {
      return "";
    }
    try {
      JsonElement e = JsonParser.parseString(raw);
      if (!e.isJsonObject()) {
        throw KmsError.invalid("EncryptionContext");
      }
      JsonObject o = e.getAsJsonObject();
      TreeMap<String, String> sorted = new TreeMap<>();
      for (Map.Entry<String, JsonElement> en : o.entrySet()) {
        if (!en.getValue().isJsonPrimitive()) {
          throw KmsError.invalid("EncryptionContext");
        }
        sorted.put(en.getKey(), en.getValue().getAsString());
      }
      return sorted.isEmpty() ? "" : GSON.toJson(sorted);
    } catch (JsonParseException | IllegalStateException e) {
      throw KmsError.invalid("EncryptionContext");
    }
  }
}
