package dev.osscse.oss.internal.auth;

import java.io.IOException;

/**
 * A stream's ciphertext failed authentication (a chunk tag did not verify, or the body ended inside
 * a chunk). The message names the chunk index, never a key-derived value. Fatal: never retried as a
 * transfer failure.
 */
public final class AuthFailureException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code problem}. */
  public AuthFailureException(String problem, Throwable cause) {
    super(problem, cause);
  }
}
