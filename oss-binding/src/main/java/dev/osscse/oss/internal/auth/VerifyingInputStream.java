package dev.osscse.oss.internal.auth;

import dev.osscse.oss.internal.BulkInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.crypto.AEADBadTagException;

/**
 * Returns ciphertext only after the whole chunk it belongs to verified against its tag (FMT-30):
 * reads a full chunk from upstream, checks {@code T_i}, then hands it out. Covers object offsets
 * {@code [start, end)}, where {@code start} is a chunk start and {@code end} a chunk end or the
 * object's end; at {@code end} it reports the end of the stream without reading further. A body
 * that ends inside a chunk or a tag that does not verify is an {@link AuthFailureException}, and
 * the stream stays failed. Not thread-safe.
 *
 * <p>Over {@link ChunkWorker#MIN_CHUNKS} chunks or more, chunk {@code i} is checked on a {@link
 * ChunkWorker} thread while chunk {@code i + 1} is fetched into a second buffer; chunk {@code i} is
 * handed out only after its verdict. The look-ahead stays inside {@code [start, end)}, which the
 * request covers anyway.
 */
public final class VerifyingInputStream extends BulkInputStream {
  private final InputStream in;
  private final AuthRecord record;
  private final ChunkMac mac;
  private final long end;
  private final int bufSize;
  private final ChunkWorker worker; // null: each chunk is checked inline
  private final ArrayDeque<byte[]> spare = new ArrayDeque<>(2);
  private byte[] chunkBuf; // the verified chunk being handed out
  private Pending ahead; // a fetched chunk whose verdict is pending
  private IOException aheadFailure; // the fetch of the chunk after the one being handed out failed
  private long next; // object offset of the next chunk to fetch
  private int have; // verified bytes in chunkBuf
  private int given; // of those, handed out
  private IOException failure;

  /** A fetched chunk and its verdict to come. */
  private record Pending(long index, byte[] buf, int size, CompletableFuture<Boolean> verdict) {}

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
    this.bufSize = (int) Math.min(AuthRecord.CHUNK_SIZE, Math.max(0, end - start));
    this.worker = ChunkWorker.beside(start, end) ? new ChunkWorker() : null;
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
      if (next >= end && ahead == null && aheadFailure == null) {
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
    if (chunkBuf != null) {
      spare.push(chunkBuf); // all of it was handed out
      chunkBuf = null;
    }
    if (aheadFailure != null) {
      throw aheadFailure;
    }
    Pending p = ahead != null ? ahead : fetchAndCheck();
    ahead = null;
    if (worker != null && next < end) {
      try {
        ahead = fetchAndCheck(); // fetched while chunk p is being checked
      } catch (IOException e) {
        aheadFailure = e; // reported once chunk p is out
      }
    }
    if (!ChunkWorker.await(p.verdict())) {
      throw new AuthFailureException(
          "chunk " + p.index() + " failed authentication",
          new AEADBadTagException("chunk tag mismatch"));
    }
    chunkBuf = p.buf();
    have = p.size();
    given = 0;
  }

  /** Fetches the chunk at {@code next} and checks it, inline or on the worker. */
  private Pending fetchAndCheck() throws IOException {
    byte[] b = spare.isEmpty() ? new byte[bufSize] : spare.pop();
    long index = next / AuthRecord.CHUNK_SIZE;
    int size = (int) Math.min(AuthRecord.CHUNK_SIZE, end - next);
    int got;
    try {
      got = in.readNBytes(b, 0, size);
    } catch (IOException e) {
      spare.push(b);
      throw e;
    }
    if (got < size) {
      throw new AuthFailureException(
          "ciphertext ends " + (size - got) + " bytes before the end of chunk " + index, null);
    }
    next += size;
    return new Pending(
        index,
        b,
        size,
        worker == null
            ? CompletableFuture.completedFuture(check(index, b, size))
            : worker.submit(() -> check(index, b, size)));
  }

  /** Whether chunk {@code index}, {@code b[0, size)}, matches its tag. */
  private boolean check(long index, byte[] b, int size) {
    mac.beginVerify(index);
    mac.update(b, 0, size);
    return mac.verify(record.tags(), (int) index * ChunkMac.TAG_LENGTH);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
