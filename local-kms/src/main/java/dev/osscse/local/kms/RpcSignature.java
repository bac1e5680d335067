package dev.osscse.local.kms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba Cloud RPC signature version 1.0 (HMAC-SHA1), as {@code aliyun-java-sdk-core} computes it:
 * every parameter but {@code Signature}, RFC 3986 percent-encoded, sorted by name, joined with
 * {@code &}; the string to sign is {@code METHOD&%2F&} plus the encoding of that join; the key is
 * the secret plus {@code &}.
 */
final class RpcSignature {
  private RpcSignature() {}

  static String stringToSign(String method, Map<String, String> params) {
    TreeMap<String, String> sorted = new TreeMap<>(params);
    sorted.remove("Signature");
    StringBuilder canon = new StringBuilder();
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      if (canon.length() > 0) {
        canon.append('&');
      }
      canon.append(percentEncode(e.getKey())).append('=').append(percentEncode(e.getValue()));
    }
    return method + "&" + percentEncode("/") + "&" + percentEncode(canon.toString());
  }

  static String sign(String stringToSign, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }

  static String percentEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }
}
