package dev.osscse.oss;

/**
 * A multipart part size or part length breaks the client-side encryption rules: the part size must
 * be a positive multiple of 16 (so that part {@code n} starts on an AES block, docs/format.md
 * FMT-9) of at most {@link Envelope#MAX_PART_SIZE}, and every part but the last must be exactly the
 * part size.
 */
public final class InvalidPartSizeException extends IllegalArgumentException
    implements OssCseFailure {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the offending value, which is never secret. */
  public InvalidPartSizeException(String message) {
    super(message);
  }

  /** {@code partSize}: the parameter refused. */
  @Override
  public String field() {
    return "partSize";
  }

  /** Checks a configured part size and returns it. */
  static long check(long partSize) {
    if (partSize <= 0 || partSize % 16 != 0 || partSize > Envelope.MAX_PART_SIZE) {
      throw new InvalidPartSizeException(
          "partSize must be a positive multiple of 16 up to %d, got %d"
              .formatted(Envelope.MAX_PART_SIZE, partSize));
    }
    return partSize;
  }
}
