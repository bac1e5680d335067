package dev.osscse.hadoop;

import com.aliyun.oss.model.GetObjectRequest;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.ByteBufferReadable;
import org.apache.hadoop.fs.CanUnbuffer;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileRange;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.VectoredReadUtils;
import org.apache.hadoop.fs.impl.CombinedFileRange;

/**
 * The decrypting input stream of an {@code osscse://} file.
 *
 * <p><b>What it is.</b> A seekable stream over one encrypted object, built on the binding's ranged
 * {@link OssCseClient#getObject(GetObjectRequest, ByteRange)}: each GET is decrypted from the
 * counter at its first byte (FMT-19), so a seek costs nothing until the next read. Sequential
 * policy: one GET to the end, read as far as the caller goes. Random policy: GETs of at least the
 * read-ahead. Adaptive (the default): sequential until the first seek away from the open GET, or
 * random from the start when the first read is not at byte 0. Positioned reads and {@link
 * #readVectored} send their own ranged GETs and never move the stream; vectored ranges are
 * coalesced ({@link VectoredReadUtils#mergeSortedRanges}) and fetched in parallel on the file
 * system's pool.
 *
 * <p><b>Security guarantees.</b> Confidentiality only: the format is unauthenticated (no MAC).
 * Every GET carries {@code If-Match} with the object's ETag (from the file status, or from the
 * first reply), so bytes of two versions are never mixed. Objects without an envelope are refused
 * unless plaintext was allowed.
 *
 * <p><b>Restrictions / failure behaviour.</b> The sequential stream is not thread-safe (as {@code
 * FSDataInputStream}); positioned and vectored reads are. After {@link #close()} every call throws
 * {@link IOException}.
 */
final class OssCseInputStream extends FSInputStream
    implements CanUnbuffer, ByteBufferReadable, StreamCapabilities {
  /** A forward seek of at most this many bytes within the open GET skips instead of re-opening. */
  static final long MAX_SKIP = 128 << 10;

  private final OssCseClient cse;
  private final String bucket;
  private final String key;
  private final Object path;
  private final long length;
  private final int readAhead;
  private final boolean adaptive;
  private boolean random;
  private final Executor pool;
  private volatile String etag;

  private long pos;
  private InputStream body;
  private long bodyPos;
  private long bodyEnd;
  private volatile boolean closed;
  private long getCount;
  // The last bytes of the object, [tailStart, length), once a random read reached the end: a
  // footer (Parquet's 8-byte tail, then the footer before it) costs one GET, not two.
  private volatile byte[] tail;
  private volatile long tailStart;

  OssCseInputStream(
      OssCseClient cse,
      String bucket,
      String key,
      Object path,
      long length,
      String etag,
      int readAhead,
      OssCseFileSystem.ReadPolicy policy,
      Executor pool) {
    this.cse = cse;
    this.bucket = bucket;
    this.key = key;
    this.path = path;
    this.length = length;
    this.etag = etag;
    this.readAhead = readAhead;
    this.random = policy == OssCseFileSystem.ReadPolicy.RANDOM;
    this.adaptive = policy == OssCseFileSystem.ReadPolicy.ADAPTIVE;
    this.pool = pool;
  }

  /** The plaintext length of the object. */
  long length() {
    return length;
  }

  /** GETs this stream sent for sequential reads (tests and statistics). */
  synchronized long getRequestCount() {
    return getCount;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + path);
    }
  }

  /** One ranged GET of {@code [first, last]}, pinned to the object's ETag. */
  private UnauthenticatedObjectStream get(long first, long last) throws IOException {
    GetObjectRequest request = new GetObjectRequest(bucket, key);
    String pinned = etag;
    if (pinned != null) {
      request.setMatchingETagConstraints(List.of(pinned));
    }
    UnauthenticatedObjectStream in;
    try {
      in = cse.getObject(request, ByteRange.of(first, last));
    } catch (Exception e) {
      throw OssErrors.translate("read", path, e);
    }
    if (pinned == null) {
      etag = in.etag();
    }
    if (in.objectSize() != length) {
      in.close();
      throw new IOException(
          "read " + path + ": object size " + in.objectSize() + " differs from " + length);
    }
    return in;
  }

  @Override
  public synchronized void seek(long target) throws IOException {
    checkOpen();
    if (target < 0) {
      throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + ": " + target);
    }
    if (target > length) {
      throw new EOFException(FSExceptionMessages.CANNOT_SEEK_PAST_EOF + ": " + target);
    }
    pos = target;
  }

  @Override
  public synchronized long getPos() throws IOException {
    return pos;
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }

  @Override
  public synchronized int available() throws IOException {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, length - pos);
  }

  /** Makes {@code body} deliver byte {@code pos}, reusing the open GET where it can. */
  private void position(int wanted) throws IOException {
    if (body != null && pos >= bodyPos && pos < bodyEnd && pos - bodyPos <= MAX_SKIP) {
      while (bodyPos < pos) {
        long skipped = body.skip(pos - bodyPos);
        if (skipped <= 0) {
          if (body.read() < 0) {
            throw new EOFException("read " + path + ": body ended at " + bodyPos);
          }
          skipped = 1;
        }
        bodyPos += skipped;
      }
      return;
    }
    if (adaptive && !random && (getCount > 0 ? body != null || pos != bodyPos : pos != 0)) {
      // adaptive: a first read away from byte 0 (a footer) or a seek away from the open GET
      // switches to ranged GETs
      random = true;
    }
    closeBody();
    long end = random ? Math.min(length, pos + Math.max(readAhead, wanted)) : length;
    if (random && end == length && length - pos <= readAhead && tail == null) {
      fillTail();
      return;
    }
    body = get(pos, end - 1);
    bodyPos = pos;
    bodyEnd = end;
    getCount++;
  }

  /** Reads the last {@code min(length, readAhead)} bytes into {@link #tail} with one GET. */
  private void fillTail() throws IOException {
    long start = Math.max(0, length - readAhead);
    byte[] bytes = new byte[(int) (length - start)];
    try (UnauthenticatedObjectStream in = get(start, length - 1)) {
      readFully(in, bytes, 0, bytes.length);
    }
    getCount++;
    tailStart = start;
    tail = bytes;
  }

  /**
   * Copies {@code [position, position + len)} from the tail when the tail holds all of it; returns
   * false (and copies nothing) otherwise.
   */
  private boolean fromTail(long position, byte[] b, int off, int len) {
    byte[] t = tail;
    long start = tailStart;
    if (t == null || position < start || position + len > start + t.length) {
      return false;
    }
    System.arraycopy(t, (int) (position - start), b, off, len);
    return true;
  }

  private void closeBody() {
    if (body != null) {
      try {
        body.close();
      } catch (IOException ignored) {
        // an abandoned GET is aborted; nothing to keep
      }
      body = null;
    }
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    checkOpen();
    if (off < 0 || len < 0 || len > b.length - off) {
      throw new IndexOutOfBoundsException("off " + off + ", len " + len);
    }
    if (len == 0) {
      return 0;
    }
    if (pos >= length) {
      return -1;
    }
    int inTail = (int) Math.min(len, length - pos);
    if (tail == null || pos < tailStart) {
      position(len);
    }
    if (fromTail(pos, b, off, inTail)) {
      pos += inTail;
      return inTail;
    }
    int want = (int) Math.min(len, bodyEnd - pos);
    int n = body.read(b, off, want);
    if (n < 0) {
      closeBody();
      throw new EOFException("read " + path + ": body ended at " + pos + " of " + length);
    }
    pos += n;
    bodyPos += n;
    if (bodyPos >= bodyEnd) {
      closeBody();
    }
    return n;
  }

  @Override
  public int read(ByteBuffer buf) throws IOException {
    int len = buf.remaining();
    if (len == 0) {
      return 0;
    }
    if (buf.hasArray()) {
      int n = read(buf.array(), buf.arrayOffset() + buf.position(), len);
      if (n > 0) {
        buf.position(buf.position() + n);
      }
      return n;
    }
    byte[] tmp = new byte[Math.min(len, 64 << 10)];
    int n = read(tmp, 0, tmp.length);
    if (n > 0) {
      buf.put(tmp, 0, n);
    }
    return n;
  }

  /** Positioned read: its own GET; the stream's position and open GET are untouched. */
  @Override
  public int read(long position, byte[] b, int off, int len) throws IOException {
    checkOpenUnlocked();
    validatePositionedReadArgs(position, b, off, len);
    if (len == 0) {
      return 0;
    }
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - position);
    if (fromTail(position, b, off, n)) {
      return n;
    }
    try (UnauthenticatedObjectStream in = get(position, position + n - 1)) {
      readFully(in, b, off, n);
    }
    return n;
  }

  @Override
  public void readFully(long position, byte[] b, int off, int len) throws IOException {
    checkOpenUnlocked();
    validatePositionedReadArgs(position, b, off, len);
    if (len == 0) {
      return;
    }
    if (position + len > length) {
      throw new EOFException(
          FSExceptionMessages.EOF_IN_READ_FULLY + ": " + position + "+" + len + " > " + length);
    }
    if (fromTail(position, b, off, len)) {
      return;
    }
    try (UnauthenticatedObjectStream in = get(position, position + len - 1)) {
      readFully(in, b, off, len);
    }
  }

  private void checkOpenUnlocked() throws IOException {
    if (closed) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + path);
    }
  }

  private void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(b, off + done, len - done);
      if (n < 0) {
        throw new EOFException("read " + path + ": body ended after " + done + " of " + len);
      }
      done += n;
    }
  }

  @Override
  public int minSeekForVectorReads() {
    return 16 << 10;
  }

  @Override
  public int maxReadSizeForVectorReads() {
    return 8 << 20;
  }

  /**
   * Vectored read: the ranges are validated, sorted, coalesced when closer than {@link
   * #minSeekForVectorReads()}, and each coalesced range is one ranged GET on the pool, in parallel;
   * each caller range's future completes with its slice.
   */
  @Override
  public void readVectored(List<? extends FileRange> ranges, IntFunction<ByteBuffer> allocate)
      throws IOException {
    checkOpenUnlocked();
    List<? extends FileRange> sorted =
        VectoredReadUtils.validateAndSortRanges(ranges, Optional.of(length));
    for (FileRange r : ranges) {
      r.setData(new CompletableFuture<>());
    }
    List<CombinedFileRange> merged =
        VectoredReadUtils.mergeSortedRanges(
            sorted, 1, minSeekForVectorReads(), maxReadSizeForVectorReads());
    for (CombinedFileRange c : merged) {
      pool.execute(() -> fetch(c, allocate));
    }
  }

  private void fetch(CombinedFileRange c, IntFunction<ByteBuffer> allocate) {
    try {
      long first = c.getOffset();
      int len = c.getLength();
      byte[] data = new byte[len];
      if (len > 0) {
        try (UnauthenticatedObjectStream in = get(first, first + len - 1)) {
          readFully(in, data, 0, len);
        }
      }
      for (FileRange r : c.getUnderlying()) {
        ByteBuffer out = allocate.apply(r.getLength());
        out.put(data, (int) (r.getOffset() - first), r.getLength());
        out.flip();
        r.getData().complete(out);
      }
    } catch (Exception | Error e) {
      for (FileRange r : c.getUnderlying()) {
        r.getData().completeExceptionally(e);
      }
    }
  }

  @Override
  public synchronized void unbuffer() {
    closeBody();
    tail = null;
  }

  @Override
  public boolean hasCapability(String capability) {
    switch (capability.toLowerCase(java.util.Locale.ROOT)) {
      case StreamCapabilities.UNBUFFER:
      case StreamCapabilities.READBYTEBUFFER:
      case StreamCapabilities.VECTOREDIO:
        return true;
      default:
        return false;
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeBody();
      tail = null;
    }
  }

  @Override
  public String toString() {
    return "OssCseInputStream{" + path + ", length=" + length + ", random=" + random + '}';
  }
}
