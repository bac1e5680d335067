package dev.osscse.local.oss;

import java.util.Map;
import java.util.Objects;

/**
 * Server-side checks OSS applies to client-side-encryption metadata (docs/format.md FMT-24, OSS
 * error docs 0005-00000401..420). Names are user-metadata names without the {@code x-oss-meta-}
 * prefix, lowercased.
 *
 * <p>What the OSS docs state is implemented with the documented EC number. The error code string
 * ({@code InvalidEncryptionRequest}) and HTTP status 400 for those ECs are UNCONFIRMED against live
 * OSS. Checks marked "no EC" (part size a multiple of 16, UploadPart CSE values other than start
 * and magic-number-hmac contradicting the Initiate) follow the public docs' prose; their exact
 * codes are UNCONFIRMED.
 */
final class Cse {
  static final String PREFIX = "client-side-encryption-";
  static final String KEY = PREFIX + "key";
  static final String START = PREFIX + "start";
  static final String CEK_ALG = PREFIX + "cek-alg";
  static final String WRAP_ALG = PREFIX + "wrap-alg";
  static final String MATDESC = PREFIX + "matdesc";
  static final String DATA_SIZE = PREFIX + "data-size";
  static final String PART_SIZE = PREFIX + "part-size";
  static final String MAGIC = PREFIX + "magic-number-hmac";

  private Cse() {}

  static boolean isCse(Map<String, String> userMeta) {
    for (String k : userMeta.keySet()) {
      if (k.startsWith(PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /** PutObject with CSE metadata. */
  static void checkPut(Map<String, String> meta) {
    if (!isCse(meta)) {
      return;
    }
    requireKey(meta, "PutObject");
    requireMagicForRsa(meta, "PutObject");
  }

  /** InitiateMultipartUpload with CSE metadata. */
  static void checkInitiate(Map<String, String> meta) {
    if (!isCse(meta)) {
      return;
    }
    requireKey(meta, "InitiateMultipartUpload");
    requireMagicForRsa(meta, "InitiateMultipartUpload");
    if (!meta.containsKey(PART_SIZE)) {
      throw OssError.cse(
          "0005-00000407",
          "x-oss-meta-"
              + PART_SIZE
              + " is required on InitiateMultipartUpload in client-side"
              + " encryption scenarios.");
    }
    long partSize = partSize(meta);
    if (partSize % 16 != 0) {
      throw OssError.cse(
          null, "x-oss-meta-" + PART_SIZE + " must be a multiple of 16, got " + partSize + ".");
    }
    dataSize(meta.get(DATA_SIZE));
  }

  /**
   * UploadPart: the request's own CSE metadata (possibly empty) against the Initiate's. An empty
   * set is accepted unless {@code strict} (whether OSS rejects it is UNCONFIRMED).
   */
  static void checkUploadPartHeaders(
      Map<String, String> init, Map<String, String> part, boolean strict) {
    if (!isCse(init)) {
      return;
    }
    if (!isCse(part)) {
      if (strict) {
        throw OssError.cse(
            "0005-00000401",
            "x-oss-meta-"
                + KEY
                + " is required on UploadPart in client-side encryption scenarios.");
      }
      return;
    }
    requireKey(part, "UploadPart");
    requireMagicForRsa(part, "UploadPart");
    if (!part.containsKey(PART_SIZE)) {
      throw OssError.cse(
          "0005-00000407",
          "x-oss-meta-"
              + PART_SIZE
              + " is required on UploadPart in client-side encryption"
              + " scenarios.");
    }
    dataSize(part.get(DATA_SIZE));
    if (!Objects.equals(init.get(START), part.get(START))) {
      throw OssError.cse(
          "0005-00000413",
          "x-oss-meta-" + START + " on UploadPart differs from the InitiateMultipartUpload value.");
    }
    if (part.containsKey(MAGIC) && !Objects.equals(init.get(MAGIC), part.get(MAGIC))) {
      throw OssError.cse(
          "0005-00000416",
          "x-oss-meta-" + MAGIC + " on UploadPart differs from the InitiateMultipartUpload value.");
    }
    for (String name : new String[] {KEY, CEK_ALG, WRAP_ALG, PART_SIZE, DATA_SIZE, MATDESC}) {
      if (part.containsKey(name) && !Objects.equals(init.get(name), part.get(name))) {
        throw OssError.cse(
            null,
            "x-oss-meta-"
                + name
                + " on UploadPart differs from the InitiateMultipartUpload value.");
      }
    }
  }

  /** UploadPart size rule (0005-00000420) for part {@code number} of {@code size} bytes. */
  static void checkPartSize(Map<String, String> init, int number, long size) {
    if (!isCse(init)) {
      return;
    }
    long partSize = partSize(init);
    long dataSize = dataSize(init.get(DATA_SIZE));
    if (dataSize < 0) {
      if (size > partSize) {
        throw sizeError(number, size, "at most " + partSize);
      }
      return;
    }
    long count = expectedParts(dataSize, partSize);
    if (number > count) {
      throw sizeError(number, size, "no such part: data-size allows " + count + " parts");
    }
    long expected = number < count ? partSize : dataSize - (count - 1) * partSize;
    if (size != expected) {
      throw sizeError(number, size, Long.toString(expected));
    }
  }

  /** CompleteMultipartUpload: part count (0005-00000411) and equal part sizes. */
  static void checkComplete(
      Map<String, String> init, String completeDataSizeHeader, long[] partSizes) {
    if (completeDataSizeHeader != null) {
      dataSize(completeDataSizeHeader);
    }
    if (!isCse(init)) {
      return;
    }
    long partSize = partSize(init);
    long dataSize = dataSize(init.get(DATA_SIZE));
    if (dataSize >= 0 && partSizes.length > expectedParts(dataSize, partSize)) {
      throw OssError.cse(
          "0005-00000411",
          "CompleteMultipartUpload lists "
              + partSizes.length
              + " parts, more than data-size/part-size allows ("
              + expectedParts(dataSize, partSize)
              + ").");
    }
    for (int i = 0; i < partSizes.length - 1; i++) {
      if (partSizes[i] != partSize) {
        throw OssError.cse(
            "0005-00000420",
            "every part except the last must be exactly part-size ("
                + partSize
                + ") bytes in client-side encryption scenarios.");
      }
    }
  }

  static long expectedParts(long dataSize, long partSize) {
    return Math.max(1, (dataSize + partSize - 1) / partSize);
  }

  private static OssError sizeError(int number, long size, String expected) {
    return OssError.cse(
        "0005-00000420",
        "part "
            + number
            + " has "
            + size
            + " bytes; expected "
            + expected
            + " in client-side"
            + " encryption scenarios.");
  }

  private static void requireKey(Map<String, String> meta, String op) {
    String key = meta.get(KEY);
    if (key == null || key.isEmpty()) {
      throw OssError.cse(
          "0005-00000401",
          "x-oss-meta-" + KEY + " is required on " + op + " in client-side encryption scenarios.");
    }
  }

  private static void requireMagicForRsa(Map<String, String> meta, String op) {
    if ("rsa".equals(meta.get(WRAP_ALG)) && !meta.containsKey(MAGIC)) {
      throw OssError.cse(
          "0005-00000405",
          "x-oss-meta-" + MAGIC + " is required on " + op + " when wrap-alg is rsa.");
    }
  }

  private static long partSize(Map<String, String> meta) {
    String v = meta.get(PART_SIZE);
    try {
      long n = Long.parseLong(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw OssError.cse(null, "x-oss-meta-" + PART_SIZE + " must be a positive integer.");
  }

  /** Parses a data-size value; -1 when absent. */
  private static long dataSize(String v) {
    if (v == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw OssError.cse("0005-00000408", "x-oss-meta-" + DATA_SIZE + " must be an integer.");
  }
}
