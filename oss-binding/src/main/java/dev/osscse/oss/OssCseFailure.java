package dev.osscse.oss;

/**
 * The binding's exception family: every exception the binding defines implements it, so a caller
 * classifies a failure with two {@code instanceof} tests instead of one per type.
 *
 * <p><b>What it is.</b> Two branches: {@link SecurityFailure} ({@link EnvelopeException} and its
 * subclasses) and {@link TransferFailure} ({@link TransferVerificationException}, {@link
 * MultipartUploadException}). Members outside both branches are refusals of a call ({@code
 * aliyun.EncryptionRefusedException}, {@link InvalidByteRangeException}, {@link
 * InvalidPartSizeException}). The JDK types the members extend ({@code GeneralSecurityException},
 * {@code IOException}, {@code IllegalArgumentException}) are unchanged, so existing {@code catch}
 * clauses keep working. An unwrap failure is deliberately not a member: it is exactly {@code
 * InvalidKeyException("unwrap failed")}, the same type and message for every cause (FMT-22), so
 * that no subclass can tell failures apart.
 *
 * <p><b>Security guarantees.</b> {@link #bucket()}, {@link #key()} and {@link #field()} are names,
 * never values derived from key material.
 *
 * <pre>{@code
 * } catch (IOException | GeneralSecurityException e) {
 *   if (e instanceof OssCseFailure.SecurityFailure f) { alarm(f.bucket(), f.key(), f.field()); }
 *   else if (e instanceof OssCseFailure.TransferFailure) { retryLater(); }
 * }
 * }</pre>
 */
public interface OssCseFailure {
  /** The bucket of the object concerned, or null when the failure names no object. */
  default String bucket() {
    return null;
  }

  /** The key of the object concerned, or null when the failure names no object. */
  default String key() {
    return null;
  }

  /**
   * The metadata field (without {@code x-oss-meta-}) or parameter concerned, or null when the
   * failure is about no single field.
   */
  default String field() {
    return null;
  }

  /**
   * The envelope is missing, malformed, over a bound or contradicts the stored object, or no master
   * key fits: the object cannot be trusted or opened.
   */
  interface SecurityFailure extends OssCseFailure {}

  /** Transfer failures: an upload or download did not complete or did not verify. */
  interface TransferFailure extends OssCseFailure {}
}
