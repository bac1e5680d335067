package dev.osscse.provider;

import java.security.GeneralSecurityException;

/**
 * A {@link KeyService} call failed.
 *
 * <p>The {@link #kind()} tells callers what to do: {@link Kind#THROTTLED}, {@link Kind#UNAVAILABLE}
 * and {@link Kind#IO} are transient (the service implementation has already retried them a bounded
 * number of times); {@link Kind#REJECTED} is final (wrong key, wrong ciphertext or context, access
 * denied); {@link Kind#BAD_RESPONSE} means the service answered something this library cannot read.
 * The message names the operation, the service's error code and request id, never a plaintext or
 * key byte.
 */
public final class KeyServiceException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why a call failed. */
  public enum Kind {
    /** The service throttled the caller (error code {@code Throttling*}, HTTP 429/503). */
    THROTTLED,
    /** The service failed (HTTP 5xx). */
    UNAVAILABLE,
    /** The service could not be reached or the connection broke. */
    IO,
    /** The service refused the request (HTTP 4xx other than throttling). */
    REJECTED,
    /** The reply could not be understood. */
    BAD_RESPONSE
  }

  private final Kind kind;
  private final String errorCode;
  private final String requestId;
  private final boolean ciphertextRefused;

  /**
   * Creates an exception.
   *
   * @param kind why the call failed
   * @param errorCode the service's error code, or null
   * @param requestId the service's request id, or null
   * @param message what failed; must not contain secrets
   * @param cause the underlying failure, or null; must not carry secrets in its message
   */
  public KeyServiceException(
      Kind kind, String errorCode, String requestId, String message, Throwable cause) {
    super(
        message
            + " ["
            + kind
            + (errorCode == null ? "" : ", code=" + errorCode)
            + (requestId == null ? "" : ", requestId=" + requestId)
            + "]",
        cause);
    this.kind = kind;
    this.errorCode = errorCode;
    this.requestId = requestId;
    this.ciphertextRefused = false;
  }

  private KeyServiceException(String message) {
    super(message + " [" + Kind.REJECTED + "]");
    this.kind = Kind.REJECTED;
    this.errorCode = null;
    this.requestId = null;
    this.ciphertextRefused = true;
  }

  /**
   * A refusal of the ciphertext itself decided on the client side (a blob that names another key or
   * none, a blob decrypted by another key): kind {@link Kind#REJECTED}, and {@link
   * #isCiphertextRefused()} true.
   *
   * @param message what was refused; must not contain secrets
   */
  public static KeyServiceException ciphertextRefused(String message) {
    return new KeyServiceException(message);
  }

  /** Returns why the call failed. */
  public Kind kind() {
    return kind;
  }

  /** Returns the service's error code, or null if it gave none. */
  public String errorCode() {
    return errorCode;
  }

  /** Returns the service's request id, or null if it gave none. */
  public String requestId() {
    return requestId;
  }

  /**
   * Returns true if the ciphertext itself was refused: the service answered {@code
   * InvalidCiphertext} (wrong key, blob or encryption context), or the client refused the blob
   * ({@link #ciphertextRefused}). Readers report this as a wrong key, with no detail. False for
   * every failure of the service, the network or the configuration (unreachable, TLS, throttled,
   * 5xx, key not found or disabled, access denied, unreadable reply), which readers report as a KMS
   * failure.
   */
  public boolean isCiphertextRefused() {
    return ciphertextRefused
        || (kind == Kind.REJECTED
            && errorCode != null
            && errorCode.startsWith("InvalidCiphertext"));
  }

  /** Returns true for failures that may pass if retried later. */
  public boolean isTransient() {
    return kind == Kind.THROTTLED || kind == Kind.UNAVAILABLE || kind == Kind.IO;
  }
}
