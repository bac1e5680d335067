package dev.osscse.oss.internal.auth;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Passes ciphertext through unchanged and tags it chunk by chunk (FMT-28) into a {@link TagTable},
 * in the same pass as the upload reads it. The body starts at object offset {@code start}, a
 * multiple of the chunk size; a chunk is tagged when it is full, when the body reaches {@code end}
 * (its known end), or on {@link #finish()} (the last, partial chunk of a body of unknown length).
 *
 * <p>A body of unknown length or of more than two chunks is tagged beside the transfer: each chunk
 * is copied into one of {@value #BUFFERS} buffers and its HMAC computed on a {@link ChunkWorker}
 * thread while the upload reads on; a reader that gets ahead waits for a free buffer. A chunk sent
 * again after a reset is tagged again ({@link TagTable} keeps the last tag).
 */
public final class TaggingInputStream extends FilterInputStream {
  /** Chunk buffers per stream when tagging beside the transfer. */
  static final int BUFFERS = 3;

  private final ChunkMac mac;
  private final TagTable table;
  private final long end; // -1: unknown
  private final byte[] one = new byte[1];
  private long pos;
  private boolean open; // a chunk is begun and not yet tagged
  private boolean finished;
  private long markPos = -1;
  // Tagging beside the transfer: null worker = inline.
  private final ChunkWorker worker;
  private final ArrayBlockingQueue<byte[]> free;
  private int allocated;
  private byte[] buf; // the open chunk's bytes so far
  private int bufLen;

  /**
   * @param start object offset of the first byte, a multiple of {@link AuthRecord#CHUNK_SIZE} (0,
   *     or a part's offset: the upload checked its part size)
   * @param end object offset just past the body's last byte, or -1 when unknown
   */
  public TaggingInputStream(
      InputStream ciphertext, long start, long end, ChunkMac mac, TagTable table) {
    super(ciphertext);
    this.pos = start;
    this.end = end;
    this.mac = mac;
    this.table = table;
    boolean beside = ChunkWorker.beside(start, end);
    this.worker = beside ? new ChunkWorker() : null;
    this.free = beside ? new ArrayBlockingQueue<>(BUFFERS) : null;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      finish();
      return n;
    }
    for (int done = 0; done < n; ) {
      long index = pos / AuthRecord.CHUNK_SIZE;
      if (!open) {
        if (worker == null) {
          mac.beginTag(index);
        } else {
          buf = freeBuffer();
          bufLen = 0;
        }
        open = true;
      }
      long chunkEnd = (index + 1) * AuthRecord.CHUNK_SIZE;
      int take = (int) Math.min(n - done, chunkEnd - pos);
      if (worker == null) {
        mac.update(b, off + done, take);
      } else {
        System.arraycopy(b, off + done, buf, bufLen, take);
        bufLen += take;
      }
      done += take;
      pos += take;
      if (pos == chunkEnd) {
        closeChunk(index);
      }
    }
    if (pos == end) {
      finish();
    }
    return n;
  }

  private void closeChunk(long index) {
    if (worker == null) {
      table.put(index, mac.tag());
    } else {
      byte[] b = buf;
      int len = bufLen;
      buf = null;
      worker.submit(
          () -> {
            try {
              mac.beginTag(index);
              mac.update(b, 0, len);
              table.put(index, mac.tag());
              return null;
            } finally {
              free.add(b);
            }
          });
    }
    open = false;
  }

  /** A chunk buffer: a free one, a new one while fewer than BUFFERS exist, else the next freed. */
  private byte[] freeBuffer() throws IOException {
    byte[] b = free.poll();
    if (b != null) {
      return b;
    }
    if (allocated < BUFFERS) {
      allocated++;
      return new byte[AuthRecord.CHUNK_SIZE];
    }
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while chunks were being tagged");
    }
  }

  /**
   * Tags the last, partial chunk and waits until every chunk read so far is in the table;
   * idempotent.
   *
   * @throws IOException if a chunk could not be tagged, or the wait was interrupted
   */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    if (open) {
      closeChunk(pos / AuthRecord.CHUNK_SIZE); // pos is inside the open chunk
    }
    if (worker != null) {
      worker.awaitAll();
    }
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("a tagged body cannot skip");
  }

  /** Supported when the upstream supports it; a reset must go back to a chunk boundary. */
  @Override
  public boolean markSupported() {
    return in.markSupported();
  }

  @Override
  public synchronized void mark(int readlimit) {
    in.mark(readlimit);
    markPos = pos;
  }

  /**
   * Resets the upstream and the tagging to the mark, which must be on a chunk boundary (the SDK
   * marks the start of the body); chunks read again are tagged again.
   */
  @Override
  public synchronized void reset() throws IOException {
    if (markPos < 0 || markPos % AuthRecord.CHUNK_SIZE != 0) {
      throw new IOException("a tagged body resets only to a mark on a chunk boundary");
    }
    in.reset();
    pos = markPos;
    if (buf != null) {
      free.add(buf);
      buf = null;
    }
    open = false;
    finished = false;
  }
}
