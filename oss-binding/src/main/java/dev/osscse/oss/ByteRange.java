package dev.osscse.oss;

import java.math.BigInteger;
import java.util.Locale;

/**
 * A requested range of plaintext bytes, in HTTP {@code Range} terms: {@code a-b} (inclusive),
 * {@code a-} (from {@code a} to the end) or {@code -n} (the last {@code n} bytes).
 *
 * <p><b>What it is.</b> An immutable, validated value. {@link #parse(String)} accepts the three
 * forms, optionally prefixed {@code bytes=}.
 *
 * <p><b>Restrictions / failure behaviour.</b> Offsets are between 0 and {@value #MAX_OFFSET};
 * {@code b >= a}; {@code n >= 1}. Anything else throws {@link InvalidByteRangeException}. A range
 * that starts at or past the end of the object is refused by OSS ({@code InvalidRange}, 416) when
 * the object is read.
 *
 * <pre>{@code
 * ByteRange.parse("100-199"); ByteRange.parse("100-"); ByteRange.parse("-16");
 * ByteRange.of(0, 0);         // the first byte
 * }</pre>
 */
public final class ByteRange {
  /** Largest offset or suffix length accepted (2^62). */
  public static final long MAX_OFFSET = 1L << 62;

  private final long first; // -1 for a suffix range
  private final long last; // -1 when open-ended or suffix
  private final long suffixLength; // -1 unless suffix

  private ByteRange(long first, long last, long suffixLength) {
    this.first = first;
    this.last = last;
    this.suffixLength = suffixLength;
  }

  /** Bytes {@code first..last}, both inclusive. */
  public static ByteRange of(long first, long last) {
    checkOffset(first, "first");
    checkOffset(last, "last");
    if (last < first) {
      throw new InvalidByteRangeException("range end " + last + " is before its start " + first);
    }
    return new ByteRange(first, last, -1);
  }

  /** Bytes from {@code first} to the end of the object. */
  public static ByteRange from(long first) {
    checkOffset(first, "first");
    return new ByteRange(first, -1, -1);
  }

  /** The last {@code length} bytes of the object ({@code length >= 1}). */
  public static ByteRange suffix(long length) {
    if (length < 1 || length > MAX_OFFSET) {
      throw new InvalidByteRangeException(
          "suffix length must be 1.." + MAX_OFFSET + ", got " + length);
    }
    return new ByteRange(-1, -1, length);
  }

  /**
   * Parses {@code a-b}, {@code a-} or {@code -n}, optionally prefixed {@code bytes=}; surrounding
   * whitespace is ignored. Multiple ranges are refused.
   */
  public static ByteRange parse(String text) {
    if (text == null) {
      throw new InvalidByteRangeException("range text is null");
    }
    String t = text.trim();
    if (t.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
      t = t.substring(6).trim();
    }
    if (t.length() > 64) {
      throw new InvalidByteRangeException("range text longer than 64 chars");
    }
    if (t.indexOf(',') >= 0) {
      throw new InvalidByteRangeException("multiple ranges are not supported");
    }
    int dash = t.indexOf('-');
    if (dash < 0 || t.indexOf('-', dash + 1) >= 0) {
      throw new InvalidByteRangeException(
          "range must look like a-b, a- or -n: " + EnvelopeCodec.printable(t));
    }
    String a = t.substring(0, dash).trim();
    String b = t.substring(dash + 1).trim();
    if (a.isEmpty() && b.isEmpty()) {
      throw new InvalidByteRangeException("range '-' has neither start nor end");
    }
    if (a.isEmpty()) {
      return suffix(number(b, "suffix length"));
    }
    long first = number(a, "start");
    return b.isEmpty() ? from(first) : of(first, number(b, "end"));
  }

  private static long number(String s, String what) {
    if (s.isEmpty() || s.length() > 19 || !EnvelopeCodec.isDigits(s)) {
      throw new InvalidByteRangeException(
          what + " is not a decimal number: " + EnvelopeCodec.printable(s));
    }
    // Up to 19 digits: past Long.MAX_VALUE too, so compared as a BigInteger.
    if (new BigInteger(s).compareTo(BigInteger.valueOf(MAX_OFFSET)) > 0) {
      throw new InvalidByteRangeException(what + " is larger than " + MAX_OFFSET);
    }
    return Long.parseLong(s);
  }

  private static void checkOffset(long v, String what) {
    if (v < 0 || v > MAX_OFFSET) {
      throw new InvalidByteRangeException(what + " must be 0.." + MAX_OFFSET + ", got " + v);
    }
  }

  /** True for {@code -n}. */
  public boolean isSuffix() {
    return suffixLength > 0;
  }

  /** True for {@code a-}. */
  public boolean isOpenEnded() {
    return suffixLength < 0 && last < 0;
  }

  /** The first byte; -1 for a suffix range. */
  public long first() {
    return first;
  }

  /** The last byte (inclusive); -1 for {@code a-} and {@code -n}. */
  public long last() {
    return last;
  }

  /** The suffix length; -1 unless {@link #isSuffix()}. */
  public long suffixLength() {
    return suffixLength;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteRange r
        && r.first == first
        && r.last == last
        && r.suffixLength == suffixLength;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(first) * 31 * 31 + Long.hashCode(last) * 31 + Long.hashCode(suffixLength);
  }

  /** The HTTP form without {@code bytes=}: {@code a-b}, {@code a-} or {@code -n}. */
  @Override
  public String toString() {
    return isSuffix() ? "-" + suffixLength : first + "-" + (last < 0 ? "" : Long.toString(last));
  }
}
