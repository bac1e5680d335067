package dev.osscse.oss.internal;

import java.io.IOException;
import java.io.InputStream;

/** An input stream whose single-byte {@link #read()} goes through its array read. */
public abstract class BulkInputStream extends InputStream {
  private final byte[] one = new byte[1];

  @Override
  public int read() throws IOException {
    int n;
    do {
      n = read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;
}
