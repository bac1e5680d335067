package dev.osscse.oss;

import dev.osscse.oss.internal.LenientBase64;
import dev.osscse.oss.internal.MatDescJson;
import dev.osscse.oss.internal.MetadataKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one codec between an {@link Envelope} and OSS object metadata.
 *
 * <p><b>What it is.</b> Writes exactly what the official SDKs write (docs/format.md FMT-1 to
 * FMT-10) and reads tolerantly (FMT-11 to FMT-16): whitespace in base64, case-insensitive names and
 * wrap-alg, the oss2 KMS double-base64 form and the deprecated oss2 {@code oss-crypto-*} family.
 * Two shapes are supported: the SDK's user-metadata map (keys without {@code x-oss-meta-}) and raw
 * HTTP headers (with it).
 *
 * <p><b>Security guarantees.</b> None by itself: metadata is plaintext and unauthenticated. Every
 * value is treated as unverified and bounded before use.
 *
 * <p><b>Restrictions / failure behaviour.</b> Decoding returns empty when no envelope field is
 * present, and throws {@link EnvelopeException} (naming the field, never its secret-derived
 * content) when any field is present but the envelope is incomplete, malformed or over a bound.
 *
 * <pre>{@code
 * Map<String, String> userMeta = EnvelopeCodec.toUserMetadata(envelope);
 * Optional<Envelope> back = EnvelopeCodec.fromUserMetadata(ossObject.getObjectMetadata().getUserMetadata());
 * }</pre>
 */
public final class EnvelopeCodec {
  /** Upper bound on any single metadata value the codec looks at, in chars. */
  public static final int MAX_VALUE_LENGTH = 16384;

  private static final int MAX_MD5_LENGTH = 128;
  private static final String LEGACY_GCM = "AES/GCM/NoPadding";

  private EnvelopeCodec() {}

  /**
   * Returns the envelope as user metadata (keys without prefix) in write order (FMT-1..FMT-10).
   *
   * @throws IllegalArgumentException for a {@link Envelope.Format#OSS2_DEPRECATED} envelope, which
   *     is read only, or a wrap algorithm that is never written (OAEP)
   */
  public static Map<String, String> toUserMetadata(Envelope e) {
    if (e.format() != Envelope.Format.STANDARD) {
      throw new IllegalArgumentException("deprecated oss2 envelopes are read only (FMT-16)");
    }
    if (e.wrapAlgorithm() == WrapAlgorithm.RSA_OAEP_SHA1) {
      throw new IllegalArgumentException(
          "wrap-alg " + e.wrapAlgorithm().headerValue() + " is read only (FMT-6)");
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put(MetadataKeys.KEY, wrappedText(e.wrapAlgorithm(), e.wrappedKey()));
    m.put(MetadataKeys.START, wrappedText(e.wrapAlgorithm(), e.wrappedIv()));
    m.put(MetadataKeys.CEK_ALG, Envelope.CEK_ALGORITHM);
    m.put(MetadataKeys.WRAP_ALG, e.wrapAlgorithm().headerValue());
    if (!e.matDesc().isEmpty()) {
      m.put(MetadataKeys.MATDESC, MatDescJson.encode(e.matDesc()));
    }
    e.unencryptedLength()
        .ifPresent(v -> m.put(MetadataKeys.UNENCRYPTED_CONTENT_LENGTH, Long.toString(v)));
    e.unencryptedMd5().ifPresent(v -> m.put(MetadataKeys.UNENCRYPTED_CONTENT_MD5, v));
    e.dataSize().ifPresent(v -> m.put(MetadataKeys.DATA_SIZE, Long.toString(v)));
    e.partSize().ifPresent(v -> m.put(MetadataKeys.PART_SIZE, Long.toString(v)));
    return m;
  }

  private static String wrappedText(WrapAlgorithm wrap, byte[] wrapped) {
    if (wrap == WrapAlgorithm.KMS_ALICLOUD) {
      // The KMS cipher's output is already the CiphertextBlob text (FMT-4).
      if (!isBase64Text(wrapped)) {
        throw new IllegalArgumentException("a KMS wrapped value must be base64 text");
      }
      return new String(wrapped, StandardCharsets.US_ASCII);
    }
    return Base64.getEncoder().encodeToString(wrapped); // no line breaks (FMT-3)
  }

  private static boolean isBase64Text(byte[] b) {
    try {
      LenientBase64.decode(
          new String(b, StandardCharsets.US_ASCII), 2 * Envelope.MAX_WRAPPED_LENGTH);
      return LenientBase64.looksLikeBase64Text(b);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Returns the envelope as raw HTTP headers ({@code x-oss-meta-} + key), in write order. */
  public static Map<String, String> toHeaders(Envelope e) {
    Map<String, String> h = new LinkedHashMap<>();
    toUserMetadata(e).forEach((k, v) -> h.put(MetadataKeys.USER_META_PREFIX + k, v));
    return h;
  }

  /**
   * Adds the envelope to user metadata (keys without prefix), such as an SDK metadata object's
   * user-metadata map.
   *
   * @throws IllegalArgumentException if the metadata already carries an envelope key (FMT-17)
   */
  public static void writeTo(Envelope e, Map<String, String> metadata) {
    for (String k : metadata.keySet()) {
      if (MetadataKeys.isReserved(k)) {
        throw new IllegalArgumentException(
            "user metadata may not set the reserved key " + k.toLowerCase(Locale.ROOT));
      }
    }
    metadata.putAll(toUserMetadata(e));
  }

  /**
   * True if the user metadata (keys without prefix, any case) carries any envelope field of either
   * family. Such an object must be decrypted, never returned as is (FMT-11).
   */
  public static boolean hasEnvelope(Map<String, String> userMetadata) {
    return userMetadata.keySet().stream().anyMatch(k -> k != null && MetadataKeys.isReserved(k));
  }

  /**
   * True if the user metadata (keys without prefix) carries the authentication marker
   * (docs/format.md FMT-26). Says nothing about whether its tags verify: only a store built with
   * {@code requireAuthentication} checks.
   */
  public static boolean isAuthenticationMarked(Map<String, String> userMetadata) {
    return Authentication.isMarked(userMetadata);
  }

  /** The key of the companion object that holds {@code key}'s authentication record (FMT-26). */
  public static String authenticationCompanionKey(String key) {
    return dev.osscse.oss.internal.auth.AuthRecord.companionKey(key);
  }

  /**
   * Reads raw HTTP headers: names starting with {@code x-oss-meta-} (any case) are taken, with the
   * prefix removed; others are ignored.
   */
  public static Optional<Envelope> fromHeaders(Map<String, String> headers)
      throws EnvelopeException {
    Map<String, String> user = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey();
      if (name != null
          && name.length() > MetadataKeys.USER_META_PREFIX.length()
          && name.regionMatches(
              true, 0, MetadataKeys.USER_META_PREFIX, 0, MetadataKeys.USER_META_PREFIX.length())) {
        user.put(name.substring(MetadataKeys.USER_META_PREFIX.length()), h.getValue());
      }
    }
    return fromUserMetadata(user);
  }

  /**
   * Reads user metadata (keys without {@code x-oss-meta-}, any case).
   *
   * @return empty if no envelope field is present
   * @throws EnvelopeException if an envelope field is present and the envelope is incomplete,
   *     malformed, over a bound or unsupported
   */
  public static Optional<Envelope> fromUserMetadata(Map<String, String> userMetadata)
      throws EnvelopeException {
    TreeMap<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> e : userMetadata.entrySet()) {
      if (e.getKey() == null || !MetadataKeys.isReserved(e.getKey())) {
        continue;
      }
      String key = e.getKey().trim().toLowerCase(Locale.ROOT);
      String value = e.getValue() == null ? "" : e.getValue();
      if (value.length() > MAX_VALUE_LENGTH) {
        throw new EnvelopeException(key, "value longer than " + MAX_VALUE_LENGTH + " chars");
      }
      String previous = m.put(key, value);
      if (previous != null && !previous.equals(value)) {
        throw new EnvelopeException(key, "present twice with different values");
      }
    }
    if (m.isEmpty()) {
      return Optional.empty();
    }
    boolean standard = m.containsKey(MetadataKeys.KEY) || m.containsKey(MetadataKeys.START);
    boolean legacy =
        m.containsKey(MetadataKeys.LEGACY_KEY) || m.containsKey(MetadataKeys.LEGACY_START);
    if (standard && legacy) {
      throw new EnvelopeException(
          MetadataKeys.KEY, "both the current and the deprecated oss2 envelope are present");
    }
    return Optional.of(legacy ? readLegacy(m) : readStandard(m));
  }

  private static Envelope readStandard(Map<String, String> m) throws EnvelopeException {
    String cek = require(m, MetadataKeys.CEK_ALG);
    if (!Envelope.CEK_ALGORITHM.equals(cek)) {
      throw new EnvelopeException(
          MetadataKeys.CEK_ALG, "unsupported content cipher " + printable(cek) + " (FMT-12)");
    }
    String wrapText = require(m, MetadataKeys.WRAP_ALG);
    WrapAlgorithm wrap = WrapAlgorithm.fromHeaderValue(wrapText).orElse(null);
    if (wrap == null) {
      throw new EnvelopeException(
          MetadataKeys.WRAP_ALG, "unsupported wrap algorithm " + printable(wrapText) + " (FMT-13)");
    }
    byte[] key = wrapped(m, MetadataKeys.KEY, wrap);
    byte[] iv = wrapped(m, MetadataKeys.START, wrap);
    Envelope.Builder b =
        Envelope.builder(key, iv, wrap)
            .matDesc(matDesc(m.get(MetadataKeys.MATDESC), MetadataKeys.MATDESC));
    plaintextFields(
        b, m, MetadataKeys.UNENCRYPTED_CONTENT_LENGTH, MetadataKeys.UNENCRYPTED_CONTENT_MD5);
    String dataSize = m.get(MetadataKeys.DATA_SIZE);
    if (dataSize != null) {
      b.dataSize(number(MetadataKeys.DATA_SIZE, dataSize));
    }
    String partSize = m.get(MetadataKeys.PART_SIZE);
    if (partSize != null) {
      try {
        b.partSize(number(MetadataKeys.PART_SIZE, partSize)); // the builder's bounds (FMT-9)
      } catch (IllegalArgumentException e) {
        throw new EnvelopeException(MetadataKeys.PART_SIZE, e.getMessage() + " (FMT-9)");
      }
    }
    return b.build();
  }

  private static Envelope readLegacy(Map<String, String> m) throws EnvelopeException {
    String cek = require(m, MetadataKeys.LEGACY_CEK_ALG);
    // oss2 wrote AES/GCM/NoPadding but encrypted with CTR (docs/format.md FMT-16).
    if (!LEGACY_GCM.equals(cek) && !Envelope.CEK_ALGORITHM.equals(cek)) {
      throw new EnvelopeException(
          MetadataKeys.LEGACY_CEK_ALG,
          "unsupported content cipher " + printable(cek) + " (FMT-16)");
    }
    String wrapText = require(m, MetadataKeys.LEGACY_WRAP_ALG).trim().toLowerCase(Locale.ROOT);
    WrapAlgorithm wrap =
        switch (wrapText) {
          case "rsa" -> WrapAlgorithm.RSA_OAEP_SHA1;
          case "kms" -> WrapAlgorithm.KMS_ALICLOUD;
          default ->
              throw new EnvelopeException(
                  MetadataKeys.LEGACY_WRAP_ALG,
                  "unsupported wrap algorithm " + printable(wrapText) + " (FMT-16)");
        };
    byte[] key = wrapped(m, MetadataKeys.LEGACY_KEY, wrap);
    byte[] iv = wrapped(m, MetadataKeys.LEGACY_START, wrap);
    Envelope.Builder b =
        Envelope.builder(key, iv, wrap)
            .format(Envelope.Format.OSS2_DEPRECATED)
            .matDesc(matDesc(m.get(MetadataKeys.LEGACY_MATDESC), MetadataKeys.LEGACY_MATDESC));
    plaintextFields(
        b,
        m,
        MetadataKeys.LEGACY_UNENCRYPTED_CONTENT_LENGTH,
        MetadataKeys.LEGACY_UNENCRYPTED_CONTENT_MD5);
    return b.build();
  }

  /** The optional plaintext length and MD5 fields, present in both families. */
  private static void plaintextFields(
      Envelope.Builder b, Map<String, String> m, String lengthField, String md5Field)
      throws EnvelopeException {
    String len = m.get(lengthField);
    if (len != null) {
      b.unencryptedLength(number(lengthField, len));
    }
    String md5 = m.get(md5Field);
    if (md5 != null) {
      if (md5.length() > MAX_MD5_LENGTH) {
        throw new EnvelopeException(md5Field, "longer than " + MAX_MD5_LENGTH + " chars");
      }
      b.unencryptedMd5(md5);
    }
  }

  private static String require(Map<String, String> m, String field) throws EnvelopeException {
    String v = m.get(field);
    if (v == null || v.isBlank()) {
      throw new EnvelopeException(field, "missing or empty (FMT-11)");
    }
    return v;
  }

  private static byte[] wrapped(Map<String, String> m, String field, WrapAlgorithm wrap)
      throws EnvelopeException {
    String text = require(m, field);
    byte[] decoded;
    try {
      // Decoded bound: a KMS oss2 double-base64 value is up to 4/3 of the blob.
      decoded = LenientBase64.decode(text, 2 * Envelope.MAX_WRAPPED_LENGTH);
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(field, "not valid base64 or too long (FMT-3)");
    }
    if (decoded.length == 0) {
      throw new EnvelopeException(field, "empty after base64 decoding");
    }
    if (wrap != WrapAlgorithm.KMS_ALICLOUD) {
      if (decoded.length > Envelope.MAX_WRAPPED_LENGTH) {
        throw new EnvelopeException(
            field, "wrapped value longer than " + Envelope.MAX_WRAPPED_LENGTH + " bytes");
      }
      return decoded;
    }
    // KMS: the value is the CiphertextBlob text, or for oss2 base64 of it (docs/format.md FMT-15);
    // the provider's KMS cipher recognises both. Keep the text without whitespace.
    byte[] ascii = text.replaceAll("[ \t\r\n]", "").getBytes(StandardCharsets.US_ASCII);
    if (ascii.length > Envelope.MAX_WRAPPED_LENGTH || !LenientBase64.looksLikeBase64Text(ascii)) {
      throw new EnvelopeException(
          field,
          "KMS CiphertextBlob must be padded base64 text of at most "
              + Envelope.MAX_WRAPPED_LENGTH
              + " chars (FMT-15)");
    }
    return ascii;
  }

  private static SortedMap<String, String> matDesc(String value, String field)
      throws EnvelopeException {
    if (value == null) {
      return new TreeMap<>();
    }
    try {
      return MatDescJson.parse(value);
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(field, "malformed material description: " + e.getMessage());
    }
  }

  private static long number(String field, String value) throws EnvelopeException {
    String v = value.trim();
    if (v.isEmpty() || v.length() > 16) {
      throw new EnvelopeException(field, "not a decimal number of at most 16 digits (FMT-14)");
    }
    if (!isDigits(v)) {
      throw new EnvelopeException(field, "not a non-negative decimal number (FMT-14)");
    }
    long n = Long.parseLong(v);
    if (n > Envelope.MAX_OBJECT_SIZE) {
      throw new EnvelopeException(field, "larger than " + Envelope.MAX_OBJECT_SIZE + " (FMT-14)");
    }
    return n;
  }

  /** True if {@code s} consists of ASCII digits only. */
  static boolean isDigits(String s) {
    return s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /**
   * A short, quoted, printable rendering of a non-secret value (an algorithm name, a range) for
   * messages: at most 48 chars, any char but printable ASCII shown as {@code ?}.
   */
  static String printable(String s) {
    String head = s.length() > 48 ? s.substring(0, 48) : s;
    return "'" + head.replaceAll("[^\\x20-\\x7e]", "?") + (s.length() > 48 ? "...'" : "'");
  }
}
