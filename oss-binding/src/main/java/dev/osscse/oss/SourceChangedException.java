package dev.osscse.oss;

/**
 * A retry (or a resume) read other plaintext than the first attempt encrypted at the same key, IV
 * and offset: sending it would put two plaintexts under one AES-CTR keystream, so it was refused
 * before the changed bytes were encrypted. The source (a file being written, a stream that is not
 * repeatable) must not change while it is uploaded. Not retried.
 */
public final class SourceChangedException extends TransferVerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the range, and the cause. */
  public SourceChangedException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The {@code PlaintextChangedException} in a cause chain (the SDK wraps stream errors). */
  static java.util.Optional<Throwable> findIn(Throwable t) {
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof dev.osscse.oss.internal.PlaintextChangedException
          || t instanceof SourceChangedException) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }
}
