package dev.osscse.oss;

/** A byte-range text or value that {@link ByteRange} refuses; the message names the problem. */
public final class InvalidByteRangeException extends IllegalArgumentException
    implements OssCseFailure {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public InvalidByteRangeException(String message) {
    super(message);
  }

  /** {@code range}: the parameter refused. */
  @Override
  public String field() {
    return "range";
  }
}
