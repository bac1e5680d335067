package dev.osscse.local.kms;

/** An error reply of the local KMS: HTTP status, code and message as the real service sends. */
final class KmsError extends Exception {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  KmsError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static KmsError missing(String param) {
    return new KmsError(
        400,
        "MissingParameter",
        "The input parameter \""
            + param
            + "\" that is mandatory for processing this request is not supplied.");
  }

  static KmsError invalid(String param) {
    return new KmsError(
        400, "InvalidParameter", "The specified parameter \"" + param + "\" is not valid.");
  }

  static KmsError keyNotFound() {
    return new KmsError(404, "Forbidden.KeyNotFound", "The specified Key is not found.");
  }

  static KmsError keyNotEnabled() {
    return new KmsError(403, "Forbidden.KeyNotEnabled", "The specified Key is not enabled.");
  }

  static KmsError invalidCiphertext() {
    return new KmsError(400, "InvalidCiphertext", "The specified Ciphertext is not valid.");
  }
}
