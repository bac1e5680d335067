package dev.osscse.oss.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.Checksum;

/**
 * Passes exactly {@code length} bytes of a source through, feeding them to a checksum and counting
 * them. Returns end of stream after {@code length} bytes even if the source has more (callers check
 * that separately when it matters); a source that ends early fails with an {@link IOException}.
 *
 * <p>With an expected checksum, the last chunk is checked <em>before</em> it is returned: on a
 * mismatch the read throws instead, so an upload fed by this stream never receives its last byte
 * and the server never commits it.
 */
public final class ChecksumInputStream extends InputStream {
  private final InputStream source;
  private final Checksum checksum;
  private final long length;
  private final Long expected; // may be null
  private long count;

  /** Wraps {@code source}; {@code length} is the exact number of bytes expected. */
  public ChecksumInputStream(InputStream source, long length, Checksum checksum) {
    this(source, length, checksum, null);
  }

  /**
   * Wraps {@code source}; {@code expected} (may be null) is the checksum the whole {@code length}
   * bytes must have, checked before the last chunk is returned.
   */
  public ChecksumInputStream(InputStream source, long length, Checksum checksum, Long expected) {
    this.expected = expected;
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0");
    }
    this.source = Objects.requireNonNull(source, "source");
    this.length = length;
    this.checksum = Objects.requireNonNull(checksum, "checksum");
  }

  /** Bytes passed through so far. */
  public long count() {
    return count;
  }

  /** The checksum of the bytes passed through so far. */
  public long checksum() {
    return checksum.getValue();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (count >= length) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = source.read(b, off, (int) Math.min(len, length - count));
    if (n < 0) {
      throw new IOException("source ended after " + count + " of " + length + " bytes");
    }
    checksum.update(b, off, n);
    count += n;
    if (count == length && expected != null && checksum.getValue() != expected) {
      throw new IOException(
          "the checksum of the " + length + " bytes read is not the expected one");
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
