package dev.osscse.oss;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.internal.ContentRange;
import dev.osscse.oss.internal.MetadataKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * A read-only {@link SeekableByteChannel} over a client-side encrypted object.
 * <b>Unauthenticated.</b>
 *
 * <p><b>What it is.</b> Random access to the plaintext of an object: {@link #size()} is the object
 * length (checked against the envelope's {@code unencrypted-content-length} when present), {@link
 * #position(long)} is exact to the byte, and each {@link #read(ByteBuffer)} that cannot continue
 * the current response becomes one ranged GET whose start is aligned down to 16 with the AES-CTR
 * counter seeked to that offset (docs/format.md FMT-18, FMT-19). A GET fetches at least the
 * read-ahead window (default {@value #DEFAULT_READ_AHEAD} bytes; it doubles, up to {@value
 * #MAX_READ_AHEAD}, while reads stay sequential), and its response stays open: a read that
 * continues where the last one stopped, or a short forward seek inside the window, uses it without
 * a new request. Every GET carries {@code If-Match} with the ETag seen when the channel was opened,
 * so the object cannot change underneath.
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
 * try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse, "bkt", "data.parquet")) {
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

  /** A forward seek of at most this many bytes inside the open response reads through it. */
  static final int SKIP_THROUGH = 64 * 1024;

  private static final int BLOCK = 16;

  private final OSS oss;
  private final String bucket;
  private final String key;
  private final String etag;
  private final long size;
  private final Envelope envelope; // null: plaintext object the client allows
  private final ContentKey contentKey; // null with envelope
  private final int readAhead;
  private final byte[] buf = new byte[64 * 1024];

  private long position;
  private boolean open = true;
  private IOException failure;
  private int window;
  private long gets;

  // The open response, if any.
  private OSSObject response;
  private InputStream body;
  private Cipher cipher;
  private long responsePos; // object offset of the next body byte
  private long responseEnd; // exclusive

  private EncryptedObjectChannel(
      OSS oss,
      String bucket,
      String key,
      String etag,
      long size,
      Envelope envelope,
      ContentKey contentKey,
      int readAhead) {
    this.oss = oss;
    this.bucket = bucket;
    this.key = key;
    this.etag = etag;
    this.size = size;
    this.envelope = envelope;
    this.contentKey = contentKey;
    this.readAhead = readAhead;
    this.window = readAhead;
  }

  /**
   * Opens a channel with the default read-ahead; see {@link #open(OssCseClient, String, String,
   * int)}.
   */
  public static EncryptedObjectChannel open(OssCseClient client, String bucket, String key)
      throws IOException, GeneralSecurityException {
    return open(client, bucket, key, DEFAULT_READ_AHEAD);
  }

  /**
   * Opens a channel: one HEAD request reads the envelope, size and ETag, and the content key is
   * unwrapped with the client's decryption ring.
   *
   * @param readAhead the minimum GET size in bytes, 16..{@value #MAX_READ_AHEAD}
   * @throws UnencryptedObjectException if the object has no envelope and the client does not allow
   *     plaintext objects
   * @throws EnvelopeException if the envelope is malformed or its unencrypted length differs from
   *     the object length
   * @throws java.security.InvalidKeyException "unwrap failed" if no key of the ring unwraps it
   */
  public static EncryptedObjectChannel open(
      OssCseClient client, String bucket, String key, int readAhead)
      throws IOException, GeneralSecurityException {
    if (readAhead < BLOCK || readAhead > MAX_READ_AHEAD) {
      throw new IllegalArgumentException(
          "readAhead must be " + BLOCK + ".." + MAX_READ_AHEAD + ", got " + readAhead);
    }
    OSS oss = client.plainClient();
    ObjectMetadata md = oss.getObjectMetadata(bucket, key);
    Optional<Envelope> env = EnvelopeCodec.fromObjectMetadata(md);
    if (env.isEmpty() && !client.allowsPlaintextObjects()) {
      throw new UnencryptedObjectException(bucket, key);
    }
    long size = md.getContentLength();
    if (size < 0 || size > Envelope.MAX_OBJECT_SIZE) {
      throw new IOException("HEAD returned no usable Content-Length");
    }
    if (env.isPresent()
        && env.get().unencryptedLength().isPresent()
        && env.get().unencryptedLength().getAsLong() != size) {
      throw new EnvelopeException(
          MetadataKeys.UNENCRYPTED_CONTENT_LENGTH, "differs from the object length " + size);
    }
    ContentKey ck = null;
    if (env.isPresent()) {
      ck = client.envelopeCrypto().open(env.get(), client.decryptionKeys());
    }
    return new EncryptedObjectChannel(
        oss, bucket, key, md.getETag(), size, env.orElse(null), ck, readAhead);
  }

  /** The object's envelope; empty for an allowed plaintext object. */
  public Optional<Envelope> envelope() {
    return Optional.ofNullable(envelope);
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
    if (position >= size) {
      return -1;
    }
    try {
      if (!positionedInResponse()) {
        openResponse(dst.remaining());
      }
      int total = 0;
      while (dst.hasRemaining() && responsePos < responseEnd) {
        int want = (int) Math.min(Math.min(dst.remaining(), buf.length), responseEnd - responsePos);
        int n = body.read(buf, 0, want);
        if (n < 0) {
          throw new IOException(
              "response body ended " + (responseEnd - responsePos) + " bytes early");
        }
        decryptInto(n, dst);
        responsePos += n;
        position += n;
        total += n;
      }
      if (responsePos >= responseEnd) {
        closeResponse(true);
      }
      return total;
    } catch (IOException | RuntimeException e) {
      IOException io = e instanceof IOException ioe ? ioe : new IOException("read failed", e);
      failure = io;
      closeResponse(false);
      throw io;
    }
  }

  private void decryptInto(int n, ByteBuffer dst) throws IOException {
    if (cipher == null) {
      dst.put(buf, 0, n);
      return;
    }
    try {
      int out = cipher.update(ByteBuffer.wrap(buf, 0, n), dst);
      if (out != n) {
        throw new IOException("CTR cipher returned " + out + " bytes for " + n);
      }
    } catch (ShortBufferException e) {
      throw new IOException("decryption failed", e);
    }
  }

  /** True if the open response can serve {@link #position}, skipping a little forward if needed. */
  private boolean positionedInResponse() throws IOException {
    if (response == null) {
      return false;
    }
    if (position == responsePos) {
      return true;
    }
    long gap = position - responsePos;
    if (gap > 0 && gap <= SKIP_THROUGH && position < responseEnd) {
      discard(gap);
      return true;
    }
    closeResponse(false);
    return false;
  }

  private void discard(long count) throws IOException {
    byte[] sink = new byte[buf.length];
    long left = count;
    while (left > 0) {
      int n = body.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("response body ended early");
      }
      if (cipher != null) {
        try {
          cipher.update(buf, 0, n, sink, 0);
        } catch (ShortBufferException e) {
          throw new IOException("decryption failed", e);
        }
      }
      responsePos += n;
      left -= n;
    }
  }

  private void openResponse(int wanted) throws IOException {
    boolean sequential = position == responseEnd && responseEnd > 0;
    window = sequential ? (int) Math.min(MAX_READ_AHEAD, 2L * window) : readAhead;
    long start = position - (position % BLOCK);
    long end = Math.min(size, Math.max(start + window, position + wanted)); // exclusive
    GetObjectRequest req = new GetObjectRequest(bucket, key);
    req.setRange(start, end - 1);
    req.addHeader(OssCseClient.RANGE_BEHAVIOR, "standard");
    if (etag != null) {
      req.setMatchingETagConstraints(List.of(etag));
    }
    gets++;
    OSSObject o = oss.getObject(req);
    boolean kept = false;
    try {
      ObjectMetadata md = o.getObjectMetadata();
      String cr = rawHeader(md, "Content-Range");
      long first;
      long last;
      if (cr == null) {
        // 200: the whole object.
        first = 0;
        last = md.getContentLength() - 1;
        if (md.getContentLength() != size) {
          throw new IOException("the object size changed");
        }
      } else {
        ContentRange r = ContentRange.parse(cr);
        if (r.total() != size) {
          throw new IOException("the object size changed");
        }
        first = r.first();
        last = r.last();
      }
      if (first > position || last < position) {
        throw new IOException("the response range does not cover the requested position");
      }
      response = o;
      body = o.getObjectContent();
      responsePos = first;
      responseEnd = last + 1;
      kept = true;
    } finally {
      if (!kept) {
        o.forcedClose();
      }
    }
    if (contentKey != null) {
      try {
        cipher = contentKey.newCipher(Cipher.DECRYPT_MODE, responsePos);
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot position the content cipher", e);
      }
    } else {
      cipher = null;
    }
    if (position > responsePos) {
      discard(position - responsePos);
    }
  }

  private static String rawHeader(ObjectMetadata md, String name) {
    for (Map.Entry<String, Object> e : md.getRawMetadata().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null) {
        return e.getValue().toString();
      }
    }
    return null;
  }

  private void closeResponse(boolean complete) {
    OSSObject o = response;
    response = null;
    body = null;
    cipher = null;
    if (o == null) {
      return;
    }
    try {
      if (complete) {
        o.close();
      } else {
        o.forcedClose();
      }
    } catch (IOException | RuntimeException e) {
      // the response is abandoned either way
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
    return size;
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
    closeResponse(false);
    if (contentKey != null) {
      contentKey.destroy();
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
    return "EncryptedObjectChannel["
        + bucket
        + "/"
        + key
        + ", size="
        + size
        + ", position="
        + position
        + (failure != null ? ", failed" : "")
        + (open ? "" : ", closed")
        + "]";
  }
}
