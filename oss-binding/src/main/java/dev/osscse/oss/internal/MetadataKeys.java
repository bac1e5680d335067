package dev.osscse.oss.internal;

import java.util.List;

/**
 * The OSS user-metadata key names of the client-side encryption envelope, spelled once.
 *
 * <p>All names are lowercase ASCII and carry no {@code x-oss-meta-} prefix: the OSS SDK adds the
 * prefix ({@link #USER_META_PREFIX}) on the wire and strips it from {@code
 * ObjectMetadata.getUserMetadata()}. See docs/format.md (FMT-1).
 */
public final class MetadataKeys {
  /** Prefix OSS puts in front of every user-metadata key on the wire. */
  public static final String USER_META_PREFIX = "x-oss-meta-";

  /** Wrapped content encryption key (base64). */
  public static final String KEY = "client-side-encryption-key";

  /** Wrapped initial counter block, the IV (base64). */
  public static final String START = "client-side-encryption-start";

  /** Content cipher, always {@code AES/CTR/NoPadding}. */
  public static final String CEK_ALG = "client-side-encryption-cek-alg";

  public static final String WRAP_ALG = "client-side-encryption-wrap-alg";

  /** Material description (JSON object of strings), only when non-empty. */
  public static final String MATDESC = "client-side-encryption-matdesc";

  /** Plaintext length in decimal. */
  public static final String UNENCRYPTED_CONTENT_LENGTH =
      "client-side-encryption-unencrypted-content-length";

  /** The caller's base64 MD5 of the plaintext. */
  public static final String UNENCRYPTED_CONTENT_MD5 =
      "client-side-encryption-unencrypted-content-md5";

  /** Multipart: total plaintext size in decimal. */
  public static final String DATA_SIZE = "client-side-encryption-data-size";

  /** Multipart: plaintext part size in decimal, a multiple of 16. */
  public static final String PART_SIZE = "client-side-encryption-part-size";

  /** Deprecated oss2 (before 2.11.0) family: read only. */
  public static final String LEGACY_KEY = "oss-crypto-key";

  /** Deprecated oss2 start: wraps a decimal counter. */
  public static final String LEGACY_START = "oss-crypto-start";

  public static final String LEGACY_CEK_ALG = "oss-cek-alg";

  /** Deprecated oss2 wrap algorithm ({@code rsa} or {@code kms}). */
  public static final String LEGACY_WRAP_ALG = "oss-wrap-alg";

  public static final String LEGACY_MATDESC = "oss-crypto-matdesc";

  public static final String LEGACY_UNENCRYPTED_CONTENT_LENGTH =
      "oss-crypto-unencrypted-content-length";

  public static final String LEGACY_UNENCRYPTED_CONTENT_MD5 = "oss-crypto-unencrypted-content-md5";

  /**
   * The authentication marker (docs/format.md FMT-26): {@code v1} on an object whose companion
   * holds its authentication record. Not part of the envelope the official SDKs read.
   */
  public static final String AUTH = "client-side-encryption-osscse-auth";

  /** Every key of the deprecated oss2 format. */
  public static final List<String> LEGACY =
      List.of(
          LEGACY_KEY,
          LEGACY_START,
          LEGACY_CEK_ALG,
          LEGACY_WRAP_ALG,
          LEGACY_MATDESC,
          LEGACY_UNENCRYPTED_CONTENT_LENGTH,
          LEGACY_UNENCRYPTED_CONTENT_MD5);

  private MetadataKeys() {}

  /**
   * Returns true if a user-metadata key (without prefix, any case) is a {@code
   * client-side-encryption-*} key or one of the deprecated oss2 envelope. Callers may not set such
   * keys.
   */
  public static boolean isReserved(String key) {
    String k = key.trim().toLowerCase(java.util.Locale.ROOT);
    return k.startsWith("client-side-encryption-") || LEGACY.contains(k);
  }
}
