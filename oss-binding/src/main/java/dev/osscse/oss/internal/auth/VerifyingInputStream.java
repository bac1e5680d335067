package dev.osscse.oss.internal.auth;

import dev.osscse.oss.internal.BulkInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * Returns ciphertext only after the whole chunk it belongs to verified against its tag (FMT-30):
 * reads a full chunk from upstream, checks {@code T_i}, then hands it out. Covers object offsets
 * {@code [start, end)}, where {@code start} is a chunk start and {@code end} a chunk end or the
 * object's end; at {@code end} it reports the end of the stream without reading further. A body
 * that ends inside a chunk or a tag that does not verify is an {@link AuthFailureException}, and
 * the stream stays failed. Not thread-safe.
 */
public final class VerifyingInputStream extends BulkInputStream {
  private final InputStream in;
  private final AuthRecord record;
  private final ChunkMac mac;
  private final long end;
  private final byte[] chunkBuf;
  private long next; // object offset of the next chunk to fetch
  private int have; // verified bytes in chunkBuf
  private int given; // of those, handed out
  private IOException failure;

  /**
   * @param start a multiple of {@link AuthRecord#CHUNK_SIZE}, below the object's end (or 0)
   * @param end a multiple of the chunk size or the object's length, at most that length
   */
  public VerifyingInputStream(
      InputStream ciphertext, long start, long end, AuthRecord record, ChunkMac mac) {
    this.in = Objects.requireNonNull(ciphertext, "ciphertext");
    this.record = Objects.requireNonNull(record, "record");
    this.mac = Objects.requireNonNull(mac, "mac");
    long length = record.length();
    if (start < 0 || start % AuthRecord.CHUNK_SIZE != 0 || (start >= length && start != 0)) {
      throw new IllegalArgumentException("verified reads start on a chunk of the object: " + start);
    }
    if (end < start || end > length || (end != length && end % AuthRecord.CHUNK_SIZE != 0)) {
      throw new IllegalArgumentException("verified reads end on a chunk end: " + end);
    }
    this.next = start;
    this.end = end;
    this.chunkBuf = new byte[(int) Math.min(AuthRecord.CHUNK_SIZE, Math.max(0, end - start))];
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw new AuthFailureException("authenticated stream failed earlier", failure);
    }
    if (len == 0) {
      return 0;
    }
    if (given == have) {
      if (next >= end) {
        return -1;
      }
      try {
        fill();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
    int n = Math.min(len, have - given);
    System.arraycopy(chunkBuf, given, b, off, n);
    given += n;
    return n;
  }

  private void fill() throws IOException {
    long index = next / AuthRecord.CHUNK_SIZE;
    int size = (int) Math.min(AuthRecord.CHUNK_SIZE, end - next);
    have = 0;
    given = 0;
    while (have < size) {
      int n = in.read(chunkBuf, have, size - have);
      if (n < 0) {
        throw new AuthFailureException(
            "ciphertext ends " + (size - have) + " bytes before the end of chunk " + index, null);
      }
      have += n;
    }
    mac.beginVerify(index);
    mac.update(chunkBuf, 0, size);
    if (!mac.verify(record.tags(), (int) index * ChunkMac.TAG_LENGTH)) {
      have = 0;
      throw new AuthFailureException(
          "chunk " + index + " failed authentication",
          new AEADBadTagException("chunk tag mismatch"));
    }
    next += size;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
