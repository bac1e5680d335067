package dev.osscse.oss.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.Checksum;

/**
 * Passes exactly {@code length} bytes of a source through, feeding them to a checksum and counting
 * them. Returns end of stream after {@code length} bytes even if the source has more (callers check
 * that separately when it matters); a source that ends early fails with an {@link IOException}.
 */
public final class ChecksumInputStream extends BulkInputStream {
  private final InputStream source;
  private final Checksum checksum;
  private final long length;
  private long count;

  /** Wraps {@code source}; {@code length} is the exact number of bytes expected. */
  public ChecksumInputStream(InputStream source, long length, Checksum checksum) {
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
    return n;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
