package dev.osscse.oss.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded generator of structured garbage: envelope metadata that starts from a valid RSA or KMS
 * envelope and then gets fields removed, duplicated in another case, replaced by near-miss values
 * (bad base64, padding and whitespace games, huge or negative numbers, broken JSON, control
 * characters, very long values), plus range texts built from the range grammar's tokens.
 */
public final class StructuredGarbage {
  private static final List<String> FIELDS =
      List.of(
          "client-side-encryption-key",
          "client-side-encryption-start",
          "client-side-encryption-cek-alg",
          "client-side-encryption-wrap-alg",
          "client-side-encryption-matdesc",
          "client-side-encryption-unencrypted-content-length",
          "client-side-encryption-unencrypted-content-md5",
          "client-side-encryption-data-size",
          "client-side-encryption-part-size",
          "oss-crypto-key",
          "oss-crypto-start",
          "oss-cek-alg",
          "oss-wrap-alg",
          "oss-crypto-matdesc",
          "oss-crypto-unencrypted-content-length");

  private static final List<String> ALGS =
      List.of(
          "AES/CTR/NoPadding",
          "aes/ctr/nopadding",
          "AES/GCM/NoPadding",
          "RSA/NONE/PKCS1Padding",
          "rsa/none/pkcs1padding",
          "RSA/NONE/OAEPWithSHA-1AndMGF1Padding",
          "KMS/ALICLOUD",
          "kms",
          "rsa",
          "",
          " ",
          "RSA/NONE/PKCS1Padding\u0000",
          "KMS/ALICLOUD ");

  private static final List<String> NUMBERS =
      List.of(
          "0",
          "1",
          "16",
          "17",
          "-1",
          "+5",
          " 12 ",
          "1e3",
          "0x10",
          "9223372036854775807",
          "9223372036854775808",
          "99999999999999999999",
          "1125899906842624",
          "1125899906842625",
          "5368709120",
          "5368709136",
          "",
          "٣");

  private static final List<String> JSON =
      List.of(
          "{}",
          "{\"a\":\"b\"}",
          "{\"a\":1}",
          "{\"a\":null}",
          "{\"a\":\"b\",\"a\":\"c\"}",
          "[]",
          "{",
          "}",
          "{\"a\":\"\\u00\"}",
          "{\"a\":\"\\ud800\"}",
          "{\"a\":{\"b\":\"c\"}}",
          "null",
          "\"str\"",
          "{\"a\":\"b\"} trailing",
          "{'a':'b'}",
          "{\"\":\"\"}");

  private static final String RANGE_TOKENS = "0123456789-, \t=bytesBYTES+.;x";

  private final SplittableRandom rnd;

  /** A generator for one seed. */
  public StructuredGarbage(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /** Next metadata map. */
  public Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    boolean kms = rnd.nextBoolean();
    m.put(FIELDS.get(0), kms ? kmsBlob() : b64(bytes(rnd.nextInt(1, 520))));
    m.put(FIELDS.get(1), kms ? kmsBlob() : b64(bytes(rnd.nextInt(1, 520))));
    m.put(FIELDS.get(2), "AES/CTR/NoPadding");
    m.put(FIELDS.get(3), kms ? "KMS/ALICLOUD" : "RSA/NONE/PKCS1Padding");
    if (rnd.nextBoolean()) {
      m.put(FIELDS.get(4), pick(JSON));
    }
    if (rnd.nextBoolean()) {
      m.put(FIELDS.get(5), pick(NUMBERS));
    }
    int mutations = rnd.nextInt(0, 5);
    for (int i = 0; i < mutations; i++) {
      mutate(m);
    }
    return m;
  }

  private void mutate(Map<String, String> m) {
    String field = pick(FIELDS);
    switch (rnd.nextInt(12)) {
      case 0 -> m.remove(field);
      case 1 -> m.put(field, "");
      case 2 -> m.put(field.toUpperCase(Locale.ROOT), randomText(rnd.nextInt(0, 40)));
      case 3 -> m.put(field, pick(ALGS));
      case 4 -> m.put(field, pick(NUMBERS));
      case 5 -> m.put(field, pick(JSON));
      case 6 -> m.put(field, b64(bytes(rnd.nextInt(0, 6000))));
      case 7 -> m.put(field, spoil(m.getOrDefault(field, b64(bytes(32)))));
      case 8 -> m.put(field, "A".repeat(rnd.nextInt(1, 20_000)));
      case 9 -> m.put(field, kmsBlob());
      case 10 -> m.put(" " + field + " ", randomText(8));
      default -> m.put(field, randomText(rnd.nextInt(0, 300)));
    }
  }

  private String spoil(String v) {
    if (v.isEmpty()) {
      return "=";
    }
    StringBuilder sb = new StringBuilder(v);
    int n = rnd.nextInt(1, 4);
    for (int i = 0; i < n; i++) {
      int at = rnd.nextInt(sb.length() + 1);
      String ins = pick(List.of("=", "==", " ", "\n", "\r\n", "-", "_", "*", "\u00e9", "\u0000"));
      sb.insert(at, ins);
    }
    if (rnd.nextBoolean() && sb.length() > 1) {
      sb.setLength(rnd.nextInt(1, sb.length()));
    }
    return sb.toString();
  }

  private String kmsBlob() {
    String inner = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" + b64(bytes(rnd.nextInt(0, 200)));
    String blob = b64(inner.getBytes(StandardCharsets.US_ASCII));
    return rnd.nextInt(4) == 0 ? b64(blob.getBytes(StandardCharsets.US_ASCII)) : blob;
  }

  /** Next range text. */
  public String range() {
    switch (rnd.nextInt(4)) {
      case 0:
        return randomFrom(RANGE_TOKENS, rnd.nextInt(0, 30));
      case 1:
        return num() + "-" + num();
      case 2:
        return (rnd.nextBoolean() ? "bytes=" : "") + "-" + num();
      default:
        return (rnd.nextBoolean() ? " bytes = " : "")
            + num()
            + "-"
            + (rnd.nextBoolean() ? num() : "");
    }
  }

  private String num() {
    return switch (rnd.nextInt(5)) {
      case 0 -> Long.toString(rnd.nextLong(0, 100));
      case 1 -> Long.toString(rnd.nextLong());
      case 2 -> Long.toString(rnd.nextLong(0, Long.MAX_VALUE)) + rnd.nextInt(10);
      case 3 -> pick(NUMBERS);
      default -> Long.toString((1L << 62) + rnd.nextInt(-2, 3));
    };
  }

  /** Random bytes. */
  public byte[] bytes(int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private String randomText(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) (rnd.nextInt(8) == 0 ? rnd.nextInt(0, 0x3000) : rnd.nextInt(0x20, 0x7f)));
    }
    return sb.toString();
  }

  private String randomFrom(String alphabet, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private <T> T pick(List<T> list) {
    return list.get(rnd.nextInt(list.size()));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
