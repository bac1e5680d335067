package dev.osscse.oss.internal;

import java.io.IOException;

/**
 * Range arithmetic for decrypting reads (docs/format.md FMT-18..FMT-20).
 *
 * <p>Request side: {@code a-b} and {@code a-} are sent with the start aligned down to 16; a suffix
 * {@code -n} is sent as {@code -(n+15)} so that an aligned block start is included. Response side:
 * the first byte actually returned ({@code Content-Range} start, or 0 for a 200) is the source of
 * truth; {@link #window} computes how many ciphertext bytes to skip, where the keystream starts and
 * exactly how many plaintext bytes to return. Ranges are validated by the caller ({@code
 * ByteRange}).
 *
 * @param requestStart the start to pass to {@code ObjectStore.Source.get(start, end)}: aligned down
 *     to 16; -1 for a suffix range or the whole object
 * @param requestEnd the end to pass to {@code get}: the requested end, -1 when open-ended or for
 *     the whole object, or for a suffix the widened length {@code n + 15}
 * @param first the first requested byte; -1 for a suffix range or the whole object
 * @param last the last requested byte; -1 when open-ended, for a suffix or the whole object
 * @param suffixLength the length of a suffix range; 0 otherwise
 */
public record RangePlan(
    long requestStart, long requestEnd, long first, long last, long suffixLength) {
  /** AES block size. */
  public static final int BLOCK = 16;

  /** A plan for the whole object. */
  public static RangePlan whole() {
    return new RangePlan(-1, -1, -1, -1, 0);
  }

  /** A plan for bytes {@code first..last} ({@code last} -1 for open-ended). */
  public static RangePlan range(long first, long last) {
    return new RangePlan(first - (first % BLOCK), last, first, last, 0);
  }

  /** A plan for the last {@code length} bytes. */
  public static RangePlan suffix(long length) {
    return new RangePlan(-1, length + (BLOCK - 1), -1, -1, length);
  }

  /** True if no range is sent. */
  public boolean isWhole() {
    return first < 0 && suffixLength == 0;
  }

  /**
   * This plan with its request widened to whole units of {@code unit} bytes of an object of {@code
   * objectLength} bytes (docs/format.md FMT-30: authenticated reads fetch whole chunks). The bytes
   * returned to the caller are the same. A whole read, or a range that starts at or past the end,
   * is returned as it is. {@code objectLength} may be unverified: the response is checked against
   * the window as always.
   */
  public RangePlan widenedTo(long objectLength, int unit) {
    if (isWhole() || objectLength <= 0 || first >= objectLength) {
      return this;
    }
    long start = wantedFirst(objectLength);
    long end = wantedLast(objectLength);
    end = Math.min(end - (end % unit) + unit, objectLength) - 1;
    return new RangePlan(start - (start % unit), end, first, last, suffixLength);
  }

  private long wantedFirst(long total) {
    return suffixLength > 0 ? Math.max(0, total - suffixLength) : Math.max(0, first);
  }

  private long wantedLast(long total) {
    return last < 0 ? total - 1 : Math.min(last, total - 1);
  }

  /** Thrown when the requested range starts at or past the end of the object. */
  public static final class NotSatisfiableException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long objectSize;

    NotSatisfiableException(long objectSize) {
      super(
          "the requested range starts at or past the end of the object (size " + objectSize + ")");
      this.objectSize = objectSize;
    }

    /** The object size the server reported. */
    public long objectSize() {
      return objectSize;
    }
  }

  /**
   * What to do with a response body.
   *
   * @param skip ciphertext bytes to read and discard from the body first
   * @param keystreamOffset object offset of the first byte returned to the caller
   * @param length exact number of plaintext bytes to return
   * @param objectSize the object's total size
   */
  public record Window(long skip, long keystreamOffset, long length, long objectSize) {}

  /**
   * Computes the window for a response.
   *
   * @param range the parsed {@code Content-Range}, or null when the server answered 200
   * @param bodyLength the response {@code Content-Length} (the body length)
   * @throws NotSatisfiableException if a non-suffix range starts at or past the end
   * @throws IOException if the response does not cover the request
   */
  public Window window(ContentRange range, long bodyLength) throws IOException {
    ContentRange r = range;
    if (r == null) {
      if (bodyLength < 0) {
        throw new IOException("response has neither Content-Range nor Content-Length");
      }
      r = new ContentRange(0, bodyLength - 1, bodyLength);
    } else if (bodyLength >= 0 && bodyLength != r.length()) {
      throw new IOException("response Content-Length does not match its Content-Range");
    }
    if (first >= r.total()) {
      throw new NotSatisfiableException(r.total());
    }
    long wantFirst = wantedFirst(r.total());
    long length = Math.max(0, wantedLast(r.total()) - wantFirst + 1); // 0 only for an empty object
    if (length > 0 && (wantFirst < r.first() || wantFirst + length - 1 > r.last())) {
      throw new IOException("the response range does not cover the requested range");
    }
    return new Window(wantFirst - r.first(), wantFirst, length, r.total());
  }
}
