package dev.osscse.oss;

/** A byte-range text or value that {@link ByteRange} refuses; the message names the problem. */
public final class InvalidByteRangeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public InvalidByteRangeException(String message) {
    super(message);
  }
}
