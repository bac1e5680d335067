package dev.osscse.oss;

/** A byte-range text or value that {@link ByteRange} refuses; the message names the problem. */
public final class InvalidByteRangeException extends IllegalArgumentException
    implements OssCseFailure {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public InvalidByteRangeException(String message) {
    super(message);
  }

  /** Null: a refused call names no object. */
  @Override
  public String bucket() {
    return null;
  }

  /** Null: a refused call names no object. */
  @Override
  public String key() {
    return null;
  }

  /** {@code range}: the parameter refused. */
  @Override
  public String field() {
    return "range";
  }
}
