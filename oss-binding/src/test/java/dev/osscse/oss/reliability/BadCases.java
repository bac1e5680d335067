package dev.osscse.oss.reliability;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The bad-input matrix (docs/reliability.md section 1): planted objects with broken envelopes or
 * bodies, bad ranges and bad multipart parameters, each with the failure it must produce.
 */
public final class BadCases {
  /** Metadata names (user metadata, without {@code x-oss-meta-}). */
  public static final String KEY = "client-side-encryption-key";

  /** Wrapped IV. */
  public static final String START = "client-side-encryption-start";

  /** Content cipher. */
  public static final String CEK_ALG = "client-side-encryption-cek-alg";

  /** Wrap algorithm. */
  public static final String WRAP_ALG = "client-side-encryption-wrap-alg";

  /** Material description. */
  public static final String MATDESC = "client-side-encryption-matdesc";

  /** Plaintext length. */
  public static final String LENGTH = "client-side-encryption-unencrypted-content-length";

  /** Part size. */
  public static final String PART_SIZE = "client-side-encryption-part-size";

  /** The kind of failure a case must produce. */
  public enum Expect {
    /** {@code EnvelopeException} whose field() is the case's field; names the object. */
    ENVELOPE,
    /** {@code NoMatchingMasterKeyException}, field matdesc; names the object. */
    NO_KEY,
    /** {@code InvalidKeyException} with exactly "unwrap failed". */
    UNWRAP,
    /** {@code InvalidByteRangeException} naming the part of the range. */
    RANGE_SYNTAX,
    /** {@code OSSException} InvalidRange naming the object and the range. */
    RANGE_PAST_END,
    /** {@code InvalidPartSizeException} or {@code IllegalArgumentException} naming the part. */
    PART
  }

  /** Edits a copy of the good metadata (the bed gives access to the known secrets). */
  public interface MetaEdit extends BiConsumer<BadObjectBed, Map<String, String>> {
    /** Applies the edit. */
    void edit(BadObjectBed bed, Map<String, String> meta) throws GeneralSecurityException;

    @Override
    default void accept(BadObjectBed bed, Map<String, String> meta) {
      try {
        edit(bed, meta);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * A planted object.
   *
   * @param name case name
   * @param field the metadata field the error must name
   * @param expect the failure kind
   * @param kms true for a KMS-wrapped base object, false for RSA
   * @param edit the metadata change
   * @param body a change of the ciphertext body, or null
   * @param diskOnly {@code field} (remove) or {@code field=value}: a change OSS would refuse at
   *     upload, applied to the stored metadata on disk; or null
   * @param viaCli true if the command line reports it the same way (it selects keys by trial)
   */
  public record ObjectCase(
      String name,
      String field,
      Expect expect,
      boolean kms,
      MetaEdit edit,
      UnaryOperator<byte[]> body,
      String diskOnly,
      boolean viaCli) {
    /** The object key it is planted under. */
    public String objectKey() {
      return "bad/" + name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A range text against the good object. */
  public record RangeCase(String name, String range, Expect expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A multipart parameter error. */
  public record PartCase(String name, long partSize, long dataSize, int partNumber, long length) {
    @Override
    public String toString() {
      return name;
    }
  }

  private BadCases() {}

  private static final String OVERSIZED = "A".repeat(12_000);

  private static ObjectCase envelope(String name, String field, MetaEdit edit) {
    return new ObjectCase(name, field, Expect.ENVELOPE, false, edit, null, null, true);
  }

  private static ObjectCase unwrap(String name, boolean kms, MetaEdit edit, boolean viaCli) {
    return new ObjectCase(name, KEY, Expect.UNWRAP, kms, edit, null, null, viaCli);
  }

  /** Every planted-object case. */
  public static List<ObjectCase> objectCases() {
    return List.of(
        // every mandatory header: missing, empty, malformed, oversized, unknown
        new ObjectCase("key-missing", KEY, Expect.ENVELOPE, false, (b, m) -> {}, null, KEY, true),
        new ObjectCase(
            "key-empty", KEY, Expect.ENVELOPE, false, (b, m) -> {}, null, KEY + "=", true),
        envelope("key-malformed-base64", KEY, (b, m) -> m.put(KEY, "!!not*base64%%")),
        envelope("key-oversized", KEY, (b, m) -> m.put(KEY, OVERSIZED)),
        envelope("key-decodes-over-4096-bytes", KEY, (b, m) -> m.put(KEY, "QUFB".repeat(1400))),
        envelope("start-missing", START, (b, m) -> m.remove(START)),
        envelope("start-empty", START, (b, m) -> m.put(START, "")),
        envelope("start-malformed-base64", START, (b, m) -> m.put(START, "@@@@")),
        envelope("start-oversized", START, (b, m) -> m.put(START, OVERSIZED)),
        envelope("cek-alg-missing", CEK_ALG, (b, m) -> m.remove(CEK_ALG)),
        envelope("cek-alg-empty", CEK_ALG, (b, m) -> m.put(CEK_ALG, "")),
        envelope("cek-alg-unknown", CEK_ALG, (b, m) -> m.put(CEK_ALG, "AES/GCM/NoPadding")),
        envelope("cek-alg-oversized", CEK_ALG, (b, m) -> m.put(CEK_ALG, OVERSIZED)),
        envelope("wrap-alg-missing", WRAP_ALG, (b, m) -> m.remove(WRAP_ALG)),
        envelope("wrap-alg-empty", WRAP_ALG, (b, m) -> m.put(WRAP_ALG, "")),
        envelope("wrap-alg-unknown", WRAP_ALG, (b, m) -> m.put(WRAP_ALG, "ROT13/NONE/NoPadding")),
        envelope("wrap-alg-oversized", WRAP_ALG, (b, m) -> m.put(WRAP_ALG, OVERSIZED)),
        envelope("matdesc-not-json", MATDESC, (b, m) -> m.put(MATDESC, "{desc: main")),
        envelope("matdesc-not-an-object", MATDESC, (b, m) -> m.put(MATDESC, "[\"desc\"]")),
        envelope(
            "matdesc-oversized",
            MATDESC,
            (b, m) -> m.put(MATDESC, "{\"desc\":\"" + "d".repeat(9000) + "\"}")),
        new ObjectCase(
            "matdesc-selects-no-key",
            MATDESC,
            Expect.NO_KEY,
            false,
            (b, m) -> m.put(MATDESC, "{\"desc\":\"nobody\"}"),
            null,
            null,
            false),
        envelope("length-not-a-number", LENGTH, (b, m) -> m.put(LENGTH, "12ab")),
        envelope("length-oversized", LENGTH, (b, m) -> m.put(LENGTH, "99999999999999999999")),
        envelope("part-size-not-multiple-of-16", PART_SIZE, (b, m) -> m.put(PART_SIZE, "100")),
        // wrapped keys that do not unwrap: one type, one text
        unwrap(
            "key-wrong-length",
            false,
            (b, m) -> m.put(KEY, BadObjectBed.b64(Arrays.copyOf(decode(m.get(KEY)), 128))),
            true),
        unwrap(
            "key-unwraps-to-20-bytes",
            false,
            (b, m) ->
                m.put(
                    KEY,
                    BadObjectBed.b64(BadObjectBed.rsaWrap(BadObjectBed.pairA(), new byte[20]))),
            true),
        unwrap(
            "start-unwraps-to-15-bytes",
            false,
            (b, m) ->
                m.put(
                    START,
                    BadObjectBed.b64(BadObjectBed.rsaWrap(BadObjectBed.pairA(), new byte[15]))),
            true),
        unwrap(
            "wrong-rsa-key",
            false,
            (b, m) -> {
              m.put(
                  KEY,
                  BadObjectBed.b64(BadObjectBed.rsaWrap(BadObjectBed.pairB(), BadObjectBed.CEK)));
              m.put(
                  START,
                  BadObjectBed.b64(BadObjectBed.rsaWrap(BadObjectBed.pairB(), BadObjectBed.IV)));
            },
            true),
        unwrap(
            "kms-blob-for-another-key",
            true,
            (b, m) -> {
              m.put(KEY, b.kmsWrap(BadObjectBed.KMS_KEY_2, BadObjectBed.CEK));
              m.put(START, b.kmsWrap(BadObjectBed.KMS_KEY_2, BadObjectBed.IV));
            },
            false),
        unwrap(
            "kms-blob-garbage",
            true,
            (b, m) -> m.put(KEY, BadObjectBed.b64(BadObjectBed.seeded(120, 9))),
            false),
        // bodies that do not match the declared plaintext length
        new ObjectCase(
            "body-truncated",
            LENGTH,
            Expect.ENVELOPE,
            false,
            (b, m) -> {},
            c -> Arrays.copyOf(c, c.length - 100),
            null,
            true),
        new ObjectCase(
            "body-longer-than-length",
            LENGTH,
            Expect.ENVELOPE,
            false,
            (b, m) -> {},
            c -> Arrays.copyOf(c, c.length + 37),
            null,
            true));
  }

  private static byte[] decode(String b64) {
    return java.util.Base64.getDecoder().decode(b64);
  }

  /** Bad ranges against the good object. */
  public static List<RangeCase> rangeCases() {
    int size = BadObjectBed.SIZE;
    return List.of(
        new RangeCase("range-start-past-end", size + 10 + "-", Expect.RANGE_PAST_END),
        new RangeCase("range-start-at-end", size + "-" + (size + 50), Expect.RANGE_PAST_END),
        new RangeCase("range-reversed", "200-100", Expect.RANGE_SYNTAX),
        new RangeCase("range-not-numbers", "abc-def", Expect.RANGE_SYNTAX),
        new RangeCase("range-two-dashes", "1-2-3", Expect.RANGE_SYNTAX),
        new RangeCase("range-negative-start", "--5", Expect.RANGE_SYNTAX),
        new RangeCase("range-empty", "-", Expect.RANGE_SYNTAX),
        new RangeCase("range-suffix-zero", "-0", Expect.RANGE_SYNTAX),
        new RangeCase("range-multiple", "0-1,5-6", Expect.RANGE_SYNTAX),
        new RangeCase("range-too-large", "0-99999999999999999999", Expect.RANGE_SYNTAX));
  }

  /** Multipart parameter errors. */
  public static List<PartCase> partCases() {
    return List.of(
        new PartCase("part-size-not-multiple-of-16", 100_008, 300_000, 1, 100_008),
        new PartCase("part-size-zero", 0, 300_000, 1, 0),
        new PartCase("part-too-short", 102_400, 300_000, 1, 50_000),
        new PartCase("part-too-long", 102_400, 300_000, 1, 102_416),
        new PartCase("last-part-wrong-size", 102_400, 300_000, 3, 102_400),
        new PartCase("part-number-zero", 102_400, 300_000, 0, 102_400),
        new PartCase("part-number-over-10000", 102_400, 300_000, 10_001, 102_400),
        new PartCase("part-number-past-data-size", 102_400, 300_000, 4, 1));
  }
}
