package dev.osscse.oss.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Reads {@code length} bytes of a shared {@link FileChannel} starting at {@code offset}, with
 * positional reads only, so several regions of one channel can be read concurrently. Fails if the
 * file ends before the region does. Closing it does not close the channel.
 */
public final class FileRegionInputStream extends BulkInputStream {
  private final FileChannel channel;
  private long position;
  private final long end;

  /** A region of {@code channel}: {@code [offset, offset + length)}. */
  public FileRegionInputStream(FileChannel channel, long offset, long length) {
    this.channel = channel;
    this.position = offset;
    this.end = offset + length;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (position >= end) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int want = (int) Math.min(len, end - position);
    int n = channel.read(ByteBuffer.wrap(b, off, want), position);
    if (n < 0) {
      throw new IOException("the file ended " + (end - position) + " bytes before the part did");
    }
    position += n;
    return n;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }
}
