package dev.osscse.oss.internal;

import java.io.IOException;

/**
 * Range arithmetic for decrypting reads (docs/format.md FMT-18..FMT-20).
 *
 * <p>Request side: {@code a-b} and {@code a-} are sent with the start aligned down to 16; a suffix
 * {@code -n} is sent as {@code -(n+15)} so that an aligned block start is included. Response side:
 * the first byte actually returned ({@code Content-Range} start, or 0 for a 200) is the source of
 * truth; {@link #window} computes how many ciphertext bytes to skip, where the keystream starts and
 * exactly how many plaintext bytes to return.
 */
public final class RangePlan {
  /** AES block size. */
  public static final int BLOCK = 16;

  /**
   * A requested range in primitive form: {@code first..last} inclusive ({@code last} -1 when
   * open-ended), or a suffix of {@code suffixLength} bytes ({@code first} and {@code last} -1).
   */
  private record Requested(long first, long last, long suffixLength) {
    boolean isSuffix() {
      return suffixLength > 0;
    }
  }

  private final Requested requested; // null = whole object
  private final long sentFirst;
  private final long sentLast;

  private RangePlan(Requested requested, long sentFirst, long sentLast) {
    this.requested = requested;
    this.sentFirst = sentFirst;
    this.sentLast = sentLast;
  }

  /**
   * This plan with its request widened to whole units of {@code unit} bytes of an object of {@code
   * objectLength} bytes (docs/format.md FMT-30: authenticated reads fetch whole chunks). The bytes
   * returned to the caller are the same. A whole read, or a range that starts at or past the end,
   * is returned as it is. {@code objectLength} may be unverified: the response is checked against
   * the window as always.
   */
  public RangePlan widenedTo(long objectLength, int unit) {
    if (requested == null || objectLength <= 0) {
      return this;
    }
    long[] w = wanted(objectLength);
    if (w == null) {
      return this;
    }
    long start = w[0] - (w[0] % unit);
    long end = Math.min(w[1] - (w[1] % unit) + unit, objectLength) - 1;
    return new RangePlan(requested, start, end);
  }

  /**
   * The requested bytes {@code {first, last}} of an object of {@code total} bytes, or null for a
   * range that starts at or past the end.
   */
  private long[] wanted(long total) {
    if (requested == null) {
      return new long[] {0, total - 1};
    }
    if (requested.isSuffix()) {
      return new long[] {Math.max(0, total - requested.suffixLength()), total - 1};
    }
    if (requested.first() >= total) {
      return null;
    }
    long last = requested.last() < 0 ? total - 1 : Math.min(requested.last(), total - 1);
    return new long[] {requested.first(), last};
  }

  /** A plan for the whole object. */
  public static RangePlan whole() {
    return new RangePlan(null, -1, -1);
  }

  /** A plan for bytes {@code first..last} ({@code last} -1 for open-ended); validated by caller. */
  public static RangePlan range(long first, long last) {
    if (first < 0 || (last >= 0 && last < first)) {
      throw new IllegalArgumentException("invalid range " + first + "-" + last);
    }
    return new RangePlan(new Requested(first, last, -1), first - (first % BLOCK), last);
  }

  /** A plan for the last {@code length} bytes. */
  public static RangePlan suffix(long length) {
    if (length < 1) {
      throw new IllegalArgumentException("suffix length must be >= 1");
    }
    return new RangePlan(new Requested(-1, -1, length), -1, length + (BLOCK - 1));
  }

  /** True if no range is sent. */
  public boolean isWhole() {
    return requested == null;
  }

  /**
   * The start to pass to {@code ObjectStore.Source.get(start, end)}: aligned down to 16; -1 for a
   * suffix range or the whole object.
   */
  public long requestStart() {
    return sentFirst;
  }

  /**
   * The end to pass to {@code get}: the requested end, -1 when open-ended or for the whole object,
   * or for a suffix the widened length {@code n + 15}.
   */
  public long requestEnd() {
    return sentLast;
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
   * @param contentRange the parsed {@code Content-Range}, or null when the server answered 200
   * @param bodyLength the response {@code Content-Length} (the body length)
   * @throws NotSatisfiableException if a non-suffix range starts at or past the end
   * @throws IOException if the response does not cover the request
   */
  public Window window(ContentRange contentRange, long bodyLength)
      throws NotSatisfiableException, IOException {
    long s;
    long e;
    long total;
    if (contentRange == null) {
      if (bodyLength < 0) {
        throw new IOException("response has neither Content-Range nor Content-Length");
      }
      s = 0;
      total = bodyLength;
      e = total - 1;
    } else {
      s = contentRange.first();
      e = contentRange.last();
      total = contentRange.total();
      if (bodyLength >= 0 && bodyLength != contentRange.length()) {
        throw new IOException("response Content-Length does not match its Content-Range");
      }
    }
    long[] w = wanted(total);
    if (w == null) {
      throw new NotSatisfiableException(total);
    }
    long wantFirst = w[0];
    long wantLast = w[1];
    long length = Math.max(0, wantLast - wantFirst + 1);
    if (length > 0 && (wantFirst < s || wantLast > e)) {
      throw new IOException("the response range does not cover the requested range");
    }
    long skip = length == 0 ? 0 : wantFirst - s;
    return new Window(skip, length == 0 ? s : wantFirst, length, total);
  }
}
