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
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * The binding's one read pipeline: every decrypting read goes through {@link #open} (the steps and
 * checks are drawn in docs/architecture.md, "The read pipeline"; FMT-8, FMT-10, FMT-18..FMT-21).
 * One {@link RetryPolicy.Budget} covers a read: request failures and broken bodies spend from it
 * alike. A read never returns a byte past a failed check, and the last chunk is held back until the
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

  /** Discards a download's output before it starts over from byte 0. */
  interface Restart {
    void truncate() throws IOException;
  }

  /**
   * What one download did: the first reply of the successful attempt, plaintext bytes written,
   * retries spent, resumed replies, and starts from byte 0 after a CRC-64 mismatch.
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
    return open(source, plan, pinned, budget, new ArrayList<>(), true);
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
    byte[] buf = new byte[BUFFER]; // 64 KiB steps, not transferTo's 8 KiB: fewer cipher calls
    for (int restarts = 0; ; restarts++) {
      if (restarts > 0) {
        restart.truncate();
      }
      Read in = open(source, RangePlan.whole(), null, budget, events, false);
      try {
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) { // exactly in.length(), or throws
          out.write(buf, 0, n);
        }
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
    byte[] record = null;
    // Ciphertext read as it is (a rewrap) is neither decrypted nor verified here.
    if (records != null && (pinned == null || pinned.key() != null)) {
      record = record(source, etag, budget, events);
      // The record's length is unverified here; it only chooses the chunks to request, and the
      // record is verified (and its length compared with the object's) before any byte is used.
      try {
        plan = plan.widenedTo(AuthRecord.peekLength(record), AuthRecord.CHUNK_SIZE);
      } catch (AEADBadTagException e) {
        throw Authentication.refused(source.bucket(), source.key(), e.getMessage());
      }
    }
    ObjectStore.Reply reply =
        fetch(source, plan.requestStart(), plan.requestEnd(), etag, budget, events, 0);
    Read read = new Read(source, reply, etag, pinned == null, alignResumes, budget, events);
    try {
      read.start(plan, pinned, record);
      return read;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      read.close();
      throw e;
    }
  }

  /** The record of {@code source}'s object, from the cache when the ETag is pinned. */
  private byte[] record(
      ObjectStore.Source source, String etag, RetryPolicy.Budget budget, List<String> events)
      throws IOException {
    String cacheKey = etag == null ? null : source.bucket() + "/" + source.key() + "@" + etag;
    byte[] record = cacheKey == null ? null : recordCache.get(cacheKey);
    while (record == null) {
      try {
        record = Authentication.readRecord(records, source.bucket(), source.key(), REQUIRED);
      } catch (IOException | RuntimeException e) {
        if (e instanceof ObjectAuthenticationException || !budget.retry(e)) {
          throw e;
        }
        note(events, "authentication record request failed (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (cacheKey != null) {
      recordCache.put(cacheKey, record);
    }
    return record;
  }

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
   * Refuses an object whose size is not every length its envelope states ({@code
   * unencrypted-content-length}, {@code data-size}): truncated, parts left out, or appended.
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
          "the stored object has %s bytes, the envelope declares %s (truncated or extended body)"
              .formatted(objectSize, declared.getAsLong()));
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
    private final boolean ownsKey;
    // Resume from the block start (FMT-18), dropping re-sent bytes; else from the exact byte.
    private final boolean alignResumes;
    private final RetryPolicy.Budget budget;
    private final List<String> events;
    private final Checksum crc;
    private final byte[] buf = new byte[BUFFER];
    private String etag; // null: the read cannot resume
    private Envelope envelope;
    private ContentKey key;
    private RangePlan.Window window; // what this read returns, of an object of what size
    private Long expectedCrc;
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
    private long resumeLast; // the last byte a resumed request asks for

    private Read(
        ObjectStore.Source source,
        ObjectStore.Reply reply,
        String etag,
        boolean ownsKey,
        boolean alignResumes,
        RetryPolicy.Budget budget,
        List<String> events) {
      this.source = source;
      this.firstReply = reply;
      this.reply = reply;
      this.body = reply.body();
      this.etag = etag;
      this.ownsKey = ownsKey;
      this.alignResumes = alignResumes;
      this.budget = budget;
      this.events = events;
      this.crc = reply.bodyCrc64();
    }

    /**
     * Checks the first reply against the plan, the pinned HEAD or the envelope, and the record. An
     * empty object's reply has no Content-Range: its body spans [0, 0) and needs no chunk.
     */
    private void start(RangePlan plan, Pinned pinned, byte[] record)
        throws IOException, GeneralSecurityException {
      String b = source.bucket();
      String k = source.key();
      envelope =
          pinned != null ? pinned.envelope() : envelopeOf(b, k, reply.userMetadata()).orElse(null);
      if (envelope == null && pinned == null && !allowPlaintext) {
        throw new UnencryptedObjectException(b, k);
      }
      String cr = reply.contentRange();
      ContentRange range = cr == null ? null : ContentRange.parse(cr);
      window = plan.window(range, reply.contentLength());
      if (pinned != null) {
        if (window.objectSize() != pinned.objectSize() || !Objects.equals(etag, reply.etag())) {
          throw new TransferVerificationException(b, k, "the object changed since it was opened");
        }
        key = pinned.key();
      } else {
        etag = reply.etag();
        if (envelope != null) {
          checkLengths(b, k, envelope, window.objectSize());
          key = keys.open(b, k, envelope);
        }
      }
      bodyPos = range == null ? 0 : range.first();
      bodyEnd = range == null ? window.objectSize() : range.last() + 1;
      toSkip = window.skip();
      remaining = window.length();
      resumeLast = window.keystreamOffset() + window.length() - 1;
      if (range == null && plan.isWhole()) {
        expectedCrc =
            pinned != null && pinned.crc64() != null ? pinned.crc64() : reply.serverCrc64();
      }
      if (record != null) { // FMT-30: the marker, the record, then every chunk before its bytes
        if (key == null) {
          throw Authentication.refused(b, k, REQUIRED + "the object has no envelope");
        }
        if (!Authentication.isMarked(reply.userMetadata())) {
          throw Authentication.refused(
              b, k, REQUIRED + "the object is not marked as authenticated");
        }
        authKeys = Authentication.keys(key);
        AuthRecord r = Authentication.verify(record, authKeys, b, k, window.objectSize(), "");
        if (bodyPos % AuthRecord.CHUNK_SIZE != 0
            || (bodyEnd != r.length() && bodyEnd % AuthRecord.CHUNK_SIZE != 0)) {
          throw new TransferVerificationException(
              b,
              k,
              "the response does not cover whole chunks (bytes " + bodyPos + ".." + bodyEnd + ")");
        }
        resumeLast = bodyEnd - 1; // whole chunks
        InputStream raw =
            new BulkInputStream() {
              @Override
              public int read(byte[] dst, int off, int len) throws IOException {
                return readRaw(dst, off, len);
              }
            };
        verified = new VerifyingInputStream(raw, bodyPos, bodyEnd, r, authKeys.newChunkMac());
      }
      if (key != null) {
        cipher = key.newCipher(Cipher.DECRYPT_MODE, window.keystreamOffset());
      }
    }

    ObjectStore.Reply firstReply() {
      return firstReply;
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
      return read(ByteBuffer.wrap(b, off, len)); // checks the bounds
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
        while (toSkip > 0) {
          toSkip -= readBody((int) Math.min(buf.length, toSkip));
        }
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

    /** Reads 1..want ciphertext bytes into {@code buf}, through chunk verification if any. */
    private int readBody(int want) throws IOException {
      int n = verified == null ? readRaw(buf, 0, want) : verified.read(buf, 0, want);
      if (n < 0) { // only a verified read ends here: a raw one throws
        throw new IOException("verified ciphertext ended " + (toSkip + remaining) + " bytes early");
      }
      return n;
    }

    /** Reads 1..want body bytes into {@code dst}, resuming a body that breaks off. */
    private int readRaw(byte[] dst, int off, int want) throws IOException {
      while (true) {
        try {
          if (drop > 0) {
            body.skipNBytes(drop); // EOFException when the resumed reply ends before
            drop = 0;
          }
          int n = body.read(dst, off, want);
          if (n < 0) {
            throw new IOException("response body ended " + (bodyEnd - bodyPos) + " bytes early");
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

    /** Continues under {@code If-Match} (see {@code alignResumes}); the reply must start there. */
    private void resume() throws IOException {
      reply.close(false);
      long at = alignResumes ? bodyPos - (bodyPos % RangePlan.BLOCK) : bodyPos;
      drop = bodyPos - at;
      reply = fetch(source, at, resumeLast, etag, budget, events, bodyPos);
      body = reply.body();
      bodyFeedsCrc = false; // the old reply's checksum covers bytes up to here; feed it the rest
      resumes++;
      String raw = reply.contentRange();
      ContentRange r = raw == null ? null : ContentRange.parse(raw);
      if (r == null
          || r.first() != at
          || r.total() != objectSize()
          || !Objects.equals(etag, reply.etag())) {
        throw new TransferVerificationException(
            source.bucket(),
            source.key(),
            ("a resumed response does not continue at byte %s of the object read"
                    + " (Content-Range: %s, ETag %s)")
                .formatted(at, raw, reply.etag()));
      }
      // The cipher has decrypted exactly the bytes handed out: it is still in position.
      bodyEnd = r.last() + 1;
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
