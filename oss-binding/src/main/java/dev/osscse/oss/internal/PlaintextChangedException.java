package dev.osscse.oss.internal;

import java.io.IOException;

/**
 * The plaintext read by a retry differs from what an earlier attempt encrypted at the same key, IV
 * and offset; encrypting it would reuse keystream. Mapped to the public {@code
 * SourceChangedException} by the binding.
 */
public final class PlaintextChangedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names offsets, never content. */
  public PlaintextChangedException(String message) {
    super(message);
  }
}
