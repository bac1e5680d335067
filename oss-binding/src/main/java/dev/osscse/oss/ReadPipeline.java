package dev.osscse.oss;

import dev.osscse.oss.internal.BulkInputStream;
import dev.osscse.oss.internal.ContentRange;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.internal.RangePlan;
import dev.osscse.oss.internal.auth.AuthFailureException;
import dev.osscse.oss.internal.auth.AuthKeys;
import dev.osscse.oss.internal.auth.AuthRecord;
import dev.osscse.oss.internal.auth.VerifyingInputStream;
import dev.osscse.oss.spi.ObjectStore;
import dev.osscse.provider.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.Checksum;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * The binding's one read pipeline: every decrypting read (whole, ranged, suffix, download, the
 * seekable channel, the reads of a rewrap) goes through {@link #open}.
 *
 * <p>From a range plan, a request template ({@link ObjectStore.Source}) and the key ring, it sends
 * the GET (retrying transient failures), checks the response ({@code Content-Range} against the
 * plan, the object size against every length the envelope states, FMT-8/FMT-10), unwraps the
 * content key, positions the AES-CTR cipher at the first returned byte and skips the aligned prefix
 * (FMT-18..FMT-20). A body that breaks off is resumed from the exact next byte with {@code
 * If-Match} on the first ETag, and every resumed reply must start there, of the same object; a
 * whole read compares the CRC-64 of all ciphertext received with the server's. One {@link
 * RetryPolicy.Budget} covers the read: request failures and broken bodies spend from it alike.
 *
 * <p>A read never returns a byte past a failed check, and the last chunk is held back until the
 * body has ended where it must and the CRC-64 matched. A failure is sticky.
 *
 * <p>A pipeline that requires authentication (FMT-30) fetches the object's record first, widens
 * ranges to whole chunks, refuses an object without marker or valid record, and puts a {@link
 * VerifyingInputStream} between the body and the decryption, so no byte of a chunk is decrypted or
 * returned before the chunk verified.
 */
final class ReadPipeline {
  private static final int BUFFER = 64 * 1024;
  private static final int MAX_EVENTS = 1000;

  /** Unwraps the content key of an object's envelope. */
  interface Keys {
    /** The content key; a ring miss names the object. */
    ContentKey open(String bucket, String key, Envelope envelope) throws GeneralSecurityException;
  }

  /**
   * What a read already knows from a HEAD (the channel, rewrap): the ETag every GET must match, the
   * size, the CRC-64 a whole read must have (null: the reply's), the envelope (null: plaintext or
   * ciphertext returned as it is) and its content key, which the read does not destroy.
   */
  record Pinned(String etag, long objectSize, Long crc64, Envelope envelope, ContentKey key) {}

  /** Truncates a download's output before it starts over from byte 0. */
  interface Restart {
    /** Discards everything written so far. */
    void truncate() throws IOException;
  }

  /**
   * What one download did.
   *
   * @param firstReply the first reply of the successful attempt (its metadata)
   * @param bytes plaintext bytes written
   * @param retries retries spent (failed requests and broken bodies)
   * @param resumes resumed replies
   * @param restarts starts from byte 0 after a CRC-64 mismatch
   */
  record Outcome(
      ObjectStore.Reply firstReply, long bytes, int retries, int resumes, int restarts) {}

  private static final int RECORD_CACHE = 64;
  private static final String REQUIRED = "authentication required, but ";

  private final Keys keys;
  private final boolean allowPlaintext;
  private final RetryPolicy policy;
  private final ObjectStore records; // where records are read; non-null: authentication required
  // Records of objects read through a pinned ETag (the channel's many GETs), unverified bytes.
  private final Map<String, byte[]> recordCache =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
              return size() > RECORD_CACHE;
            }
          });

  /**
   * @param requireAuthenticationFrom the store records are read from; non-null makes every
   *     decrypting read require authentication (FMT-30)
   */
  ReadPipeline(
      Keys keys,
      boolean allowPlaintext,
      RetryPolicy policy,
      ObjectStore requireAuthenticationFrom) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.allowPlaintext = allowPlaintext;
    this.policy = Objects.requireNonNull(policy, "policy");
    this.records = requireAuthenticationFrom;
  }

  /** Opens a read of {@code plan} of the object {@code source} names. */
  Read open(ObjectStore.Source source, RangePlan plan)
      throws IOException, GeneralSecurityException {
    return open(source, plan, null, policy.budget(), new ArrayList<>(), true);
  }

  /** Opens a read of an object already known from a HEAD, with its own retry budget. */
  Read open(ObjectStore.Source source, RangePlan plan, Pinned pinned, RetryPolicy.Budget budget)
      throws IOException, GeneralSecurityException {
    return open(
        source, plan, Objects.requireNonNull(pinned, "pinned"), budget, new ArrayList<>(), true);
  }

  /**
   * Reads the whole object into {@code out}. A CRC-64 mismatch starts over from byte 0 (after
   * {@code restart}) at most {@code maxRestarts} times; the retry budget covers all attempts.
   * Nothing written to {@code out} is trusted until this returns.
   */
  Outcome download(
      ObjectStore.Source source,
      OutputStream out,
      Restart restart,
      int maxRestarts,
      List<String> events)
      throws IOException, GeneralSecurityException {
    RetryPolicy.Budget budget = policy.budget();
    int resumes = 0;
    byte[] buf = new byte[BUFFER];
    for (int restarts = 0; ; restarts++) {
      if (restarts > 0) {
        restart.truncate();
      }
      Read in = open(source, RangePlan.whole(), null, budget, events, false);
      try {
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
          out.write(buf, 0, n);
        }
        // A read returns exactly its length, or throws.
        return new Outcome(
            in.firstReply(), in.length(), budget.used(), resumes + in.resumes, restarts);
      } catch (CrcMismatchException e) {
        if (restarts >= maxRestarts) {
          throw new TransferVerificationException(
              source.bucket(),
              source.key(),
              "CRC-64 of the received ciphertext does not match the server's"
                  + " x-oss-hash-crc64ecma after "
                  + (restarts + 1)
                  + " attempts",
              e);
        }
        // Bytes read, the last chunk (held back by the failed check) included.
        note(
            events,
            "CRC-64 mismatch after " + (in.length() - in.remaining()) + " bytes; starting over");
      } finally {
        resumes += in.resumes;
        in.close();
      }
    }
  }

  private Read open(
      ObjectStore.Source source,
      RangePlan plan,
      Pinned pinned,
      RetryPolicy.Budget budget,
      List<String> events,
      boolean alignResumes)
      throws IOException, GeneralSecurityException {
    String etag = pinned == null ? null : pinned.etag();
    // Ciphertext read as it is (a rewrap) is neither decrypted nor verified here.
    boolean authenticate = records != null && (pinned == null || pinned.key() != null);
    byte[] record = null;
    if (authenticate) {
      record = record(source, etag, budget, events);
      // The record's length is unverified here; it only chooses the chunks to request, and the
      // record is verified (and its length compared with the object's) before any byte is used.
      try {
        plan = plan.widenedTo(AuthRecord.peekLength(record), AuthRecord.CHUNK_SIZE);
      } catch (javax.crypto.AEADBadTagException e) {
        throw Authentication.refused(source.bucket(), source.key(), e.getMessage());
      }
    }
    ObjectStore.Reply reply =
        fetch(source, plan.requestStart(), plan.requestEnd(), etag, budget, events, 0);
    ContentKey key = null;
    boolean ownsKey = pinned == null;
    boolean handedOver = false;
    try {
      Envelope envelope =
          pinned != null
              ? pinned.envelope()
              : envelopeOf(source.bucket(), source.key(), reply.userMetadata()).orElse(null);
      if (envelope == null && pinned == null && !allowPlaintext) {
        throw new UnencryptedObjectException(source.bucket(), source.key());
      }
      String cr = reply.contentRange();
      ContentRange range = cr == null ? null : ContentRange.parse(cr);
      RangePlan.Window w = plan.window(range, reply.contentLength());
      if (pinned != null) {
        if (w.objectSize() != pinned.objectSize() || !Objects.equals(etag, reply.etag())) {
          throw new TransferVerificationException(
              source.bucket(), source.key(), "the object changed since it was opened");
        }
        key = pinned.key();
      } else {
        etag = reply.etag();
        if (envelope != null) {
          checkLengths(source.bucket(), source.key(), envelope, w.objectSize());
          key = keys.open(source.bucket(), source.key(), envelope);
        }
      }
      Read read = new Read(source, reply, envelope, key, ownsKey, w, range, etag, budget, events);
      read.alignResumes = alignResumes;
      if (authenticate) {
        read.verifyWith(authenticated(source, reply, key, record, w.objectSize()));
      }
      if (range == null && plan.isWhole()) {
        read.expectedCrc =
            pinned != null && pinned.crc64() != null ? pinned.crc64() : reply.serverCrc64();
      }
      handedOver = true;
      return read;
    } finally {
      if (!handedOver) {
        reply.close(false);
        if (ownsKey && key != null) {
          key.destroy();
        }
      }
    }
  }

  /** The record of {@code source}'s object, from the cache when the ETag is pinned. */
  private byte[] record(
      ObjectStore.Source source, String etag, RetryPolicy.Budget budget, List<String> events)
      throws IOException {
    String cacheKey = etag == null ? null : source.bucket() + "/" + source.key() + "@" + etag;
    byte[] cached = cacheKey == null ? null : recordCache.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    String companion = AuthRecord.companionKey(source.key());
    byte[] record;
    while (true) {
      try {
        record = Authentication.readRecord(records, source.bucket(), companion);
        break;
      } catch (IOException | RuntimeException e) {
        if (!budget.retry(e)) {
          throw e;
        }
        note(events, "authentication record request failed (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (record == null) {
      throw Authentication.refused(
          source.bucket(),
          source.key(),
          REQUIRED + "the object has no authentication record (" + companion + ")");
    }
    if (cacheKey != null) {
      recordCache.put(cacheKey, record);
    }
    return record;
  }

  /**
   * Checks the marker, the record and its length against the object (FMT-30) and returns what
   * verifies its chunks.
   */
  private static Verified authenticated(
      ObjectStore.Source source,
      ObjectStore.Reply reply,
      ContentKey key,
      byte[] record,
      long objectSize)
      throws IOException, GeneralSecurityException {
    String b = source.bucket();
    String k = source.key();
    if (key == null) {
      throw Authentication.refused(b, k, REQUIRED + "the object has no envelope");
    }
    if (!Authentication.isMarked(reply.userMetadata())) {
      throw Authentication.refused(b, k, REQUIRED + "the object is not marked as authenticated");
    }
    AuthKeys authKeys = Authentication.keys(key);
    try {
      return new Verified(Authentication.verify(record, authKeys, b, k, objectSize, ""), authKeys);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      authKeys.destroy();
      throw e;
    }
  }

  /** A verified record and the keys its chunks are checked with. */
  private record Verified(AuthRecord record, AuthKeys keys) {}

  /** One GET, retried on transient failures before any body byte is read. */
  private static ObjectStore.Reply fetch(
      ObjectStore.Source source,
      long first,
      long last,
      String ifMatch,
      RetryPolicy.Budget budget,
      List<String> events,
      long at)
      throws IOException {
    while (true) {
      try {
        return source.get(first, last, ifMatch);
      } catch (ObjectStore.ObjectChangedException e) {
        throw new TransferVerificationException(
            source.bucket(), source.key(), e.getMessage(), e.getCause() != null ? e.getCause() : e);
      } catch (IOException | RuntimeException e) {
        if (!budget.retry(e)) {
          throw e;
        }
        note(events, "request failed (" + e.getClass().getSimpleName() + ") at byte " + at);
      }
    }
  }

  /**
   * Every length the envelope states must equal the stored object's size: {@code
   * unencrypted-content-length} (single PUT) and {@code data-size} (multipart). A shorter
   * (truncated, parts left out) or longer (appended) object is refused before any byte is
   * decrypted.
   */
  static void checkLengths(String bucket, String key, Envelope envelope, long objectSize)
      throws EnvelopeException {
    checkLength(
        bucket,
        key,
        MetadataKeys.UNENCRYPTED_CONTENT_LENGTH,
        envelope.unencryptedLength(),
        objectSize);
    checkLength(bucket, key, MetadataKeys.DATA_SIZE, envelope.dataSize(), objectSize);
  }

  private static void checkLength(
      String bucket, String key, String field, OptionalLong declared, long objectSize)
      throws EnvelopeException {
    if (declared.isPresent() && declared.getAsLong() != objectSize) {
      throw new EnvelopeException(
          bucket,
          key,
          field,
          "the stored object has "
              + objectSize
              + " bytes, the envelope declares "
              + declared.getAsLong()
              + " (truncated or extended body)");
    }
  }

  /** The envelope, with the object named in any {@link EnvelopeException}. */
  static Optional<Envelope> envelopeOf(String bucket, String key, Map<String, String> userMetadata)
      throws EnvelopeException {
    try {
      return EnvelopeCodec.fromUserMetadata(userMetadata);
    } catch (EnvelopeException e) {
      String m = String.valueOf(e.getMessage());
      String prefix = e.field() + ": ";
      String problem = m.startsWith(prefix) ? m.substring(prefix.length()) : m;
      throw new EnvelopeException(bucket, key, e.field(), problem, e);
    }
  }

  static String uri(String bucket, String key) {
    return "oss://" + bucket + "/" + key;
  }

  private static void note(List<String> events, String event) {
    if (events.size() < MAX_EVENTS) {
      events.add(event);
    }
  }

  /** A whole read's CRC-64 differs from the server's. */
  private static final class CrcMismatchException extends TransferVerificationException {
    private static final long serialVersionUID = 1L;

    CrcMismatchException(String bucket, String key, String problem) {
      super(bucket, key, problem);
    }
  }

  /** The plaintext of one read: exactly {@link #length()} bytes. Not thread-safe. */
  final class Read extends BulkInputStream {
    private final ObjectStore.Source source;
    private final ObjectStore.Reply firstReply;
    private final Envelope envelope;
    private final ContentKey key;
    private final boolean ownsKey;
    private final RangePlan.Window window; // what this read returns, of an object of what size
    private final String etag; // null: the read cannot resume
    private final RetryPolicy.Budget budget;
    private final List<String> events;
    private final Checksum crc;
    private final byte[] buf = new byte[BUFFER];
    private Long expectedCrc;
    private boolean alignResumes; // resume from the block start (FMT-18), dropping re-sent bytes
    private long drop; // re-sent bytes of a resumed reply still to discard
    private ObjectStore.Reply reply;
    private InputStream body;
    private Cipher cipher;
    private boolean bodyFeedsCrc = true; // the reply's own CRC-64 covers what the body delivers
    private long bodyPos; // object offset of the next ciphertext byte of the body
    private long bodyEnd; // object offset just past the reply's last byte
    private long toSkip;
    private long remaining;
    private int resumes;
    private IOException failure;
    private boolean finished;
    private boolean closed;
    private VerifyingInputStream verified; // non-null: ciphertext comes through chunk checks
    private AuthKeys authKeys;
    private long verifiedEnd;

    private Read(
        ObjectStore.Source source,
        ObjectStore.Reply reply,
        Envelope envelope,
        ContentKey key,
        boolean ownsKey,
        RangePlan.Window w,
        ContentRange range,
        String etag,
        RetryPolicy.Budget budget,
        List<String> events)
        throws GeneralSecurityException {
      this.source = source;
      this.firstReply = reply;
      this.reply = reply;
      this.body = reply.body();
      this.envelope = envelope;
      this.key = key;
      this.ownsKey = ownsKey;
      this.window = w;
      this.etag = etag;
      this.budget = budget;
      this.events = events;
      this.crc = reply.bodyCrc64();
      this.bodyPos = range == null ? 0 : range.first();
      this.bodyEnd = range == null ? w.objectSize() : range.last() + 1;
      this.toSkip = w.skip();
      this.remaining = w.length();
      this.cipher = key == null ? null : key.newCipher(Cipher.DECRYPT_MODE, w.keystreamOffset());
    }

    ObjectStore.Reply firstReply() {
      return firstReply;
    }

    /** Routes the body through chunk verification; the body must cover whole chunks. */
    private void verifyWith(Verified v) throws IOException {
      authKeys = v.keys();
      long length = v.record().length();
      boolean aligned =
          bodyPos % AuthRecord.CHUNK_SIZE == 0
              && (bodyEnd == length || bodyEnd % AuthRecord.CHUNK_SIZE == 0);
      if (!aligned && window.length() > 0) {
        throw new TransferVerificationException(
            source.bucket(),
            source.key(),
            "the response does not cover whole chunks (bytes " + bodyPos + ".." + bodyEnd + ")");
      }
      verifiedEnd = bodyEnd;
      try {
        verified =
            new VerifyingInputStream(
                new BulkInputStream() {
                  @Override
                  public int read(byte[] b, int off, int len) throws IOException {
                    return readRaw(b, off, len);
                  }
                },
                window.length() > 0 ? bodyPos : 0,
                window.length() > 0 ? bodyEnd : 0,
                v.record(),
                authKeys.newChunkMac());
      } catch (GeneralSecurityException e) {
        throw new IOException("chunk verification could not start", e);
      }
    }

    Envelope envelope() {
      return envelope;
    }

    long firstByte() {
      return window.keystreamOffset();
    }

    long length() {
      return window.length();
    }

    long objectSize() {
      return window.objectSize();
    }

    /** Plaintext bytes still to be returned. */
    long remaining() {
      return remaining;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      return read(ByteBuffer.wrap(b, off, len));
    }

    /** Reads plaintext into {@code dst}; -1 at the end. */
    int read(ByteBuffer dst) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (failure != null) {
        throw new IOException("decrypting stream failed earlier", failure);
      }
      if (!dst.hasRemaining()) {
        return 0;
      }
      try {
        skipPrefix();
        if (remaining == 0) {
          finish();
          return -1;
        }
        int n = readBody((int) Math.min(Math.min(dst.remaining(), buf.length), remaining));
        remaining -= n;
        if (remaining == 0) {
          finish(); // before the last chunk is handed out
        }
        if (cipher == null) {
          dst.put(buf, 0, n);
        } else if (cipher.update(ByteBuffer.wrap(buf, 0, n), dst) != n) {
          throw new IOException("CTR cipher output length differs from its input");
        }
        return n;
      } catch (AuthFailureException e) {
        failure =
            new ObjectAuthenticationException(source.bucket(), source.key(), e.getMessage(), e);
        throw failure;
      } catch (IOException e) {
        failure = e;
        throw e;
      } catch (ShortBufferException | RuntimeException e) {
        failure = new IOException("decryption failed", e);
        throw failure;
      }
    }

    private void skipPrefix() throws IOException {
      while (toSkip > 0) {
        toSkip -= readBody((int) Math.min(buf.length, toSkip));
      }
    }

    /**
     * Reads 1..want ciphertext bytes into {@code buf}: through chunk verification when the read is
     * authenticated, else straight from the body.
     */
    private int readBody(int want) throws IOException {
      if (verified == null) {
        return readRaw(buf, 0, want);
      }
      int n = verified.read(buf, 0, want);
      if (n < 0) {
        throw new IOException("verified ciphertext ended " + (toSkip + remaining) + " bytes early");
      }
      return n;
    }

    /** Reads 1..want body bytes into {@code dst}, resuming a body that breaks off. */
    private int readRaw(byte[] dst, int off, int want) throws IOException {
      while (true) {
        try {
          while (drop > 0) {
            int d = body.read(buf, 0, (int) Math.min(buf.length, drop));
            if (d < 0) {
              throw new IOException("response body ended " + drop + " bytes into a resumed reply");
            }
            drop -= d;
          }
          int n = body.read(dst, off, want);
          if (n < 0) {
            throw new IOException(
                "response body ended "
                    + (verified == null ? toSkip + remaining : bodyEnd - bodyPos)
                    + " bytes early");
          }
          if (!bodyFeedsCrc) {
            crc.update(dst, off, n);
          }
          bodyPos += n;
          return n;
        } catch (IOException e) {
          if (etag == null || e instanceof TransferVerificationException || !budget.retry(e)) {
            throw e;
          }
          note(events, "body broke off (" + e.getClass().getSimpleName() + ") at byte " + bodyPos);
          resume();
        }
      }
    }

    /**
     * Continues with {@code If-Match} from the next byte (streams: from its block start, dropping
     * the re-sent bytes); the reply must start there.
     */
    private void resume() throws IOException {
      reply.close(false);
      long at = alignResumes ? bodyPos - (bodyPos % RangePlan.BLOCK) : bodyPos;
      drop = bodyPos - at;
      reply =
          fetch(
              source,
              at,
              verified != null ? verifiedEnd - 1 : firstByte() + length() - 1,
              etag,
              budget,
              events,
              bodyPos);
      body = reply.body();
      bodyFeedsCrc = false; // the old reply's checksum covers bytes up to here; feed it the rest
      resumes++;
      String raw = reply.contentRange();
      ContentRange r = raw == null ? null : ContentRange.parse(raw);
      if (r == null || r.first() != at || r.total() != objectSize()) {
        throw new TransferVerificationException(
            source.bucket(),
            source.key(),
            "a resumed response starts at "
                + (r == null ? "no Content-Range" : "byte " + r.first() + " of " + r.total())
                + ", expected "
                + at
                + " of "
                + objectSize());
      }
      if (!Objects.equals(etag, reply.etag())) {
        throw new TransferVerificationException(
            source.bucket(), source.key(), "a resumed response has another ETag");
      }
      bodyEnd = r.last() + 1;
      // A verified read decrypts behind the chunk buffer: its cipher is still in position.
      if (key != null && verified == null) {
        try {
          cipher = key.newCipher(Cipher.DECRYPT_MODE, bodyPos + toSkip);
        } catch (GeneralSecurityException e) {
          throw new IOException("decryption failed", e);
        }
      }
    }

    private void finish() throws IOException {
      if (finished) {
        return;
      }
      finished = true;
      if (bodyPos == bodyEnd && body.read() != -1) {
        throw new TransferVerificationException(
            source.bucket(), source.key(), "response body is longer than the object");
      }
      if (expectedCrc != null && crc.getValue() != expectedCrc) {
        throw new CrcMismatchException(
            source.bucket(),
            source.key(),
            "CRC-64 of the received ciphertext does not match the server's"
                + " x-oss-hash-crc64ecma (the checksum of the "
                + objectSize()
                + " bytes read is not the expected one)");
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        reply.close(finished && failure == null);
      } finally {
        if (ownsKey && key != null) {
          key.destroy();
        }
        if (authKeys != null) {
          authKeys.destroy();
        }
      }
    }
  }
}
