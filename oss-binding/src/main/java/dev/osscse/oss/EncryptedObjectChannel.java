package dev.osscse.oss;

import dev.osscse.oss.internal.RangePlan;
import dev.osscse.oss.spi.ObjectStore;
import dev.osscse.provider.RetryPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * A read-only {@link SeekableByteChannel} over a client-side encrypted object.
 * <b>Unauthenticated.</b>
 *
 * <p><b>What it is.</b> Random access to the plaintext of an object: {@link #size()} is the object
 * length (checked against the envelope's {@code unencrypted-content-length} when present), {@link
 * #position(long)} is exact to the byte, and each {@link #read(ByteBuffer)} that cannot continue
 * the current response becomes one ranged GET whose start is aligned down to 16 with the AES-CTR
 * counter seeked to that offset (docs/format.md FMT-18, FMT-19). A GET fetches at least the
 * read-ahead window, and its response stays open: a read that continues where the last one stopped,
 * or a short forward seek inside the window, uses it without a new request. Every GET carries
 * {@code If-Match} with the ETag seen when the channel was opened, so the object cannot change
 * underneath.
 *
 * <p><b>Adaptive read-ahead.</b> The first GET fetches the read-ahead given at {@link #open}
 * (default {@value #DEFAULT_READ_AHEAD} bytes). A GET that starts where the last one ended
 * (sequential reading) doubles the window, up to {@value #MAX_READ_AHEAD}. A GET anywhere else (a
 * seek) fetches only the read's own size, at least 16 KiB and at most the read-ahead given at open,
 * so random reads (Parquet, ORC) do not fetch and abandon bytes they never use; reading on
 * sequentially from there grows the window back. This is the adaptive input policy of Hadoop's
 * object-store connectors.
 *
 * <p><b>Security guarantees.</b> Confidentiality only: CTR has no integrity and seeking cannot be
 * authenticated in this format. Whoever can write the object can flip plaintext bits undetected.
 * The content key is unwrapped once at {@link #open} and destroyed on {@link #close()}.
 *
 * <p><b>Restrictions / failure behaviour.</b> Not thread-safe (like most channels, use it from one
 * thread or synchronise). {@link #write}, {@link #truncate} throw {@link
 * NonWritableChannelException}. A read failure (network, a changed object: {@code
 * PreconditionFailed}, a body that ends early, a wrong {@code Content-Range}) makes the channel
 * failed: every later read, position or size call throws {@link IOException}. Responses that are
 * abandoned (seek, close, failure) are aborted, not drained. After {@link #close()}, calls throw
 * {@link ClosedChannelException}.
 *
 * <pre>{@code
 * try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), "bkt", "data.parquet")) {
 *   ByteBuffer footer = ByteBuffer.allocate(8);
 *   ch.position(ch.size() - 8).read(footer);
 * }
 * }</pre>
 */
public final class EncryptedObjectChannel implements SeekableByteChannel {
  /** Default read-ahead window: 256 KiB. */
  public static final int DEFAULT_READ_AHEAD = 256 * 1024;

  /** Largest read-ahead window reached by sequential reads: 8 MiB. */
  public static final int MAX_READ_AHEAD = 8 * 1024 * 1024;

  /** Smallest window of a GET after a seek, unless the read-ahead is smaller: 16 KiB. */
  static final int RANDOM_MIN_WINDOW = 16 * 1024;

  /** A forward seek of at most this many bytes inside the open response reads through it. */
  static final int SKIP_THROUGH = 64 * 1024;

  private final StoreContext ctx;
  private final ObjectStore.Source source;
  private final ReadPipeline.Pinned pinned;
  private final int readAhead;

  private long position;
  private boolean open = true;
  private IOException failure;
  private int window;
  private long gets;

  private ReadPipeline.Read response; // the open response, if any
  private long responseEnd; // object offset just past the last response's plaintext

  private EncryptedObjectChannel(
      StoreContext ctx, ObjectStore.Source source, ReadPipeline.Pinned pinned, int readAhead) {
    this.ctx = ctx;
    this.source = source;
    this.pinned = pinned;
    this.readAhead = readAhead;
    this.window = readAhead;
  }

  /** Opens a channel through an {@link EncryptedStore} with the default read-ahead. */
  public static EncryptedObjectChannel open(EncryptedStore store, String bucket, String key)
      throws IOException, GeneralSecurityException {
    return open(store, bucket, key, DEFAULT_READ_AHEAD);
  }

  /**
   * Opens a channel: one HEAD request reads the envelope, size and ETag, and the content key is
   * unwrapped with the store's decryption ring.
   *
   * @param readAhead the size of the first GET in bytes and the largest window after a seek,
   *     16..{@value #MAX_READ_AHEAD}
   * @throws UnencryptedObjectException if the object has no envelope and the client does not allow
   *     plaintext objects
   * @throws EnvelopeException if the envelope is malformed or a length it states ({@code
   *     unencrypted-content-length}, {@code data-size}) differs from the object length
   * @throws java.security.InvalidKeyException "unwrap failed" if no key of the ring unwraps it
   */
  public static EncryptedObjectChannel open(
      EncryptedStore store, String bucket, String key, int readAhead)
      throws IOException, GeneralSecurityException {
    StoreContext ctx = store.context();
    if (readAhead < RangePlan.BLOCK || readAhead > MAX_READ_AHEAD) {
      throw new IllegalArgumentException(
          "readAhead must be " + RangePlan.BLOCK + ".." + MAX_READ_AHEAD + ", got " + readAhead);
    }
    ObjectStore.Head head = ctx.store.head(bucket, key);
    Envelope env = StoreContext.checkedEnvelope(bucket, key, head, ctx.allowPlaintextObjects);
    ContentKey ck = env == null ? null : ctx.openKey(bucket, key, env);
    return new EncryptedObjectChannel(
        ctx,
        ctx.store.source(bucket, key),
        new ReadPipeline.Pinned(head.etag(), head.contentLength(), null, env, ck),
        readAhead);
  }

  /** The object's envelope; empty for an allowed plaintext object. */
  public Optional<Envelope> envelope() {
    return Optional.ofNullable(pinned.envelope());
  }

  /** The number of GET requests this channel has sent so far. */
  public long getRequestCount() {
    return gets;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    checkUsable();
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (position >= pinned.objectSize()) {
      return -1;
    }
    try {
      if (!positionedInResponse()) {
        openResponse(dst.remaining());
      }
      long from = position;
      while (dst.hasRemaining() && response.remaining() > 0) {
        position += response.read(dst); // a response returns exactly its length, or throws
      }
      if (response.remaining() == 0) {
        closeResponse();
      }
      return (int) (position - from);
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException ioe ? ioe : new IOException("read failed", e);
      closeResponse();
      throw failure;
    }
  }

  /** True if the open response can serve {@link #position}, skipping a little forward if needed. */
  private boolean positionedInResponse() throws IOException {
    if (response == null) {
      return false;
    }
    long gap = position - (responseEnd - response.remaining());
    if (gap == 0) {
      return true;
    }
    if (gap > 0 && gap <= SKIP_THROUGH && position < responseEnd) {
      response.skipNBytes(gap); // reads through the gap; an early end throws EOFException
      return true;
    }
    closeResponse();
    return false;
  }

  /** One GET through the pipeline, pinned to the HEAD: from {@link #position}, for the window. */
  private void openResponse(int wanted) throws IOException {
    window = nextWindow(gets == 0, position == responseEnd, window, readAhead, wanted);
    long start = position - (position % RangePlan.BLOCK);
    long end = Math.min(pinned.objectSize(), Math.max(start + window, position + wanted));
    gets++;
    try {
      response =
          ctx.reads.open(
              source, RangePlan.range(position, end - 1), pinned, RetryPolicy.none().budget());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot position the content cipher", e);
    }
    responseEnd = response.firstByte() + response.length();
  }

  /** The minimum size of the next GET: the adaptive read-ahead of the class doc. */
  static int nextWindow(
      boolean first, boolean sequential, int lastWindow, int readAhead, int wanted) {
    if (first) {
      return readAhead;
    }
    if (sequential) {
      return (int) Math.min(MAX_READ_AHEAD, 2L * lastWindow);
    }
    return Math.min(readAhead, Math.max(RANDOM_MIN_WINDOW, wanted));
  }

  /** Abandons the open response, if any (a finished one was closed by its last read). */
  private void closeResponse() {
    ReadPipeline.Read r = response;
    response = null;
    if (r != null) {
      r.close();
    }
  }

  /** Always throws {@link NonWritableChannelException}: the channel is read-only. */
  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    checkUsable();
    return position;
  }

  /**
   * Sets the position; a position at or past {@link #size()} makes reads return -1.
   *
   * @throws IllegalArgumentException if negative
   */
  @Override
  public EncryptedObjectChannel position(long newPosition) throws IOException {
    checkUsable();
    if (newPosition < 0) {
      throw new IllegalArgumentException("position must be >= 0, got " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    checkUsable();
    return pinned.objectSize();
  }

  /** Always throws {@link NonWritableChannelException}: the channel is read-only. */
  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Aborts any open response and destroys the content key. Idempotent. */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    closeResponse();
    if (pinned.key() != null) {
      pinned.key().destroy();
    }
  }

  private void checkUsable() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (failure != null) {
      throw new IOException("the channel failed earlier", failure);
    }
  }

  @Override
  public String toString() {
    String state = (failure != null ? ", failed" : "") + (open ? "" : ", closed");
    return "EncryptedObjectChannel[%s/%s, size=%d, position=%d%s]"
        .formatted(source.bucket(), source.key(), pinned.objectSize(), position, state);
  }
}
