package dev.osscse.oss;

import dev.osscse.oss.internal.FileRegionInputStream;
import dev.osscse.oss.spi.ObjectStore;
import dev.osscse.provider.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Uploads a file or a stream as a client-side encrypted multipart object, parts in parallel, and
 * resumes interrupted uploads from ListParts and the upload's {@link ResumeToken}.
 *
 * <p><b>What it is.</b> A driver over {@link EncryptedMultipartUpload}, with at most {@code
 * parallelism} parts in flight. A file's parts stream from their regions of the file (positional
 * reads, encrypted on the fly, a few small buffers); a stream is read in order into at most {@code
 * parallelism} part buffers ({@code parallelism * partSize} bytes). Parts finish in any order; the
 * object is completed with parts 1..N and verified ({@link EncryptedMultipartUpload#complete()}).
 *
 * <p><b>Security guarantees.</b> As {@link EncryptedMultipartUpload} (docs/format.md FMT-9).
 *
 * <p><b>Restrictions / failure behaviour.</b> Stream sources need a part size of at most {@value
 * #MAX_BUFFERED_PART_SIZE} bytes. On failure no further part is started, in-flight parts are
 * awaited, the upload is aborted or kept ({@link Builder#abortOnFailure}), and a {@link
 * MultipartUploadException} is thrown. On resume, every listed part is first checked against the
 * source ({@link Builder#verifyResumedParts}); a mismatch throws {@link
 * TransferVerificationException} inside a {@link MultipartUploadException} and does not abort (the
 * source, not the upload, is wrong). Thread-safe; each call has its own pool.
 *
 * <pre>{@code
 * MultipartUploader up = MultipartUploader.builder(cseClient.core())
 *     .partSize(16 << 20).parallelism(4)
 *     .listener(new PartListener() {   // store id and token before any part is sent
 *       public void uploadInitiated(String b, String k, String id, ResumeToken t) { save(id, t); }
 *     })
 *     .build();
 * MultipartUploadResult r = up.upload("bkt", "big.bin", Path.of("big.bin"), null);
 * // after a crash, with the upload id and token stored (or from MultipartUploadException):
 * up.resume("bkt", "big.bin", uploadId, ResumeToken.parse(saved), Path.of("big.bin"));
 * }</pre>
 */
public final class MultipartUploader {
  /** Default part size: 8 MiB. */
  public static final long DEFAULT_PART_SIZE = 8L << 20;

  /** Default number of parts in flight. */
  public static final int DEFAULT_PARALLELISM = 3;

  /** Default attempts per part (1 = no retry). */
  public static final int DEFAULT_PART_ATTEMPTS = 3;

  /** Largest part size for stream sources, whose parts are buffered: 1 GiB. */
  public static final long MAX_BUFFERED_PART_SIZE = 1L << 30;

  /** Progress callbacks, called from worker threads. */
  public interface PartListener {
    /**
     * A new upload was initiated (on the calling thread, before any part is sent): store the upload
     * id and the token's {@link ResumeToken#toString()} to be able to resume it after a crash.
     */
    default void uploadInitiated(String bucket, String key, String uploadId, ResumeToken token) {}

    /**
     * A part is about to be uploaded (each attempt) or, on resume, checked against the source.
     *
     * @param partNumber 1-based part number
     * @param offset object offset of its first byte
     * @param length its length
     */
    default void partStarting(int partNumber, long offset, long length) {}

    /** A part was uploaded and its CRC-64 verified (not called for parts found on resume). */
    default void partUploaded(UploadedPart part) {}
  }

  private final EncryptedStore core;
  private final StoreContext ctx;
  private final long partSize;
  private final int parallelism;
  private final int partAttempts;
  private final boolean abortOnFailure;
  private final boolean verifyResumedParts;
  private final PartListener listener;

  private MultipartUploader(Builder b) {
    this.core = b.core;
    this.ctx = b.core.context();
    this.partSize = b.partSize;
    this.parallelism = b.parallelism;
    this.partAttempts = b.partAttempts;
    this.abortOnFailure = b.abortOnFailure;
    this.verifyResumedParts = b.verifyResumedParts;
    this.listener = b.listener;
  }

  /** Starts a builder; the store supplies the storage port, provider and master keys. */
  public static Builder builder(EncryptedStore store) {
    return new Builder(store);
  }

  /** The configured part size. */
  public long partSize() {
    return partSize;
  }

  /**
   * Encrypts and uploads a file; the data size is the file's size when the upload starts.
   *
   * @param metadata optional caller metadata (headers such as content type, user metadata)
   * @throws MultipartUploadException if the upload failed (aborted unless configured otherwise)
   */
  public MultipartUploadResult upload(
      String bucket, String key, Path file, ObjectStore.Metadata metadata)
      throws IOException, GeneralSecurityException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      EncryptedMultipartUpload up = initiate(bucket, key, size, metadata);
      return run(up, n -> filePart(up, ch, size, n), u -> {});
    }
  }

  /**
   * Initiates and tells the listener; a failure of the store is a {@link MultipartUploadException}.
   */
  private EncryptedMultipartUpload initiate(
      String bucket, String key, long size, ObjectStore.Metadata metadata)
      throws GeneralSecurityException, MultipartUploadException {
    EncryptedMultipartUpload up;
    try {
      up = EncryptedMultipartUpload.initiate(core, bucket, key, partSize, size, metadata);
    } catch (RuntimeException e) {
      if (!ctx.store.isServiceError(e) && !ctx.store.isTransient(e)) {
        throw e;
      }
      throw new MultipartUploadException(bucket, key, null, false, null, e);
    }
    listener.uploadInitiated(up.bucket(), up.key(), up.uploadId(), up.resumeToken());
    return up;
  }

  /**
   * Resumes the caller's own upload of a file from ListParts: the upload must match {@code token}
   * (returned at initiate), listed parts are checked against the file, the missing ones uploaded,
   * then the object is completed and verified.
   *
   * @throws ResumeTokenException if the token is missing or the upload is not the one it was made
   *     for (nothing is uploaded, the upload is left as it is)
   */
  public MultipartUploadResult resume(
      String bucket, String key, String uploadId, ResumeToken token, Path file)
      throws IOException, GeneralSecurityException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      EncryptedMultipartUpload up = resumed(bucket, key, uploadId, token, size, false);
      return run(up, n -> filePart(up, ch, size, n), u -> {});
    }
  }

  /**
   * Resumes an upload for a source of {@code size} bytes (-1: take the upload's data size) and
   * checks that source against the upload; a failed check closes the upload.
   */
  private EncryptedMultipartUpload resumed(
      String bucket, String key, String uploadId, ResumeToken token, long size, boolean buffered)
      throws IOException, GeneralSecurityException {
    EncryptedMultipartUpload up =
        EncryptedMultipartUpload.resume(core, bucket, key, uploadId, token);
    try {
      if (buffered) {
        checkBuffered(up.partSize());
      }
      if (up.dataSize().isPresent() && size >= 0 && size != up.dataSize().getAsLong()) {
        throw new TransferVerificationException(
            "the source has %d bytes but the upload's data size is %d"
                .formatted(size, up.dataSize().getAsLong()));
      }
      return up;
    } catch (RuntimeException | TransferVerificationException e) {
      up.close();
      throw e;
    }
  }

  /**
   * Encrypts and uploads a stream, read once and sequentially (it is not closed).
   *
   * @param length the exact plaintext length, or -1 if unknown (no data size is then recorded)
   * @throws MultipartUploadException if the upload failed, including a stream whose length differs
   *     from {@code length}
   */
  public MultipartUploadResult upload(
      String bucket, String key, InputStream plaintext, long length, ObjectStore.Metadata metadata)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(plaintext, "plaintext");
    checkBuffered(partSize);
    EncryptedMultipartUpload up = initiate(bucket, key, length, metadata);
    return run(up, new StreamSource(up, plaintext, length), u -> {});
  }

  /**
   * Resumes an upload from a stream holding the same plaintext from its beginning: listed parts are
   * read and checked, the missing ones uploaded.
   *
   * @param token the upload's resume token (from initiate)
   * @param length the exact plaintext length, or -1 to take the upload's data size
   * @throws ResumeTokenException if the token is missing or the upload is not the one it was made
   *     for
   */
  public MultipartUploadResult resume(
      String bucket,
      String key,
      String uploadId,
      ResumeToken token,
      InputStream plaintext,
      long length)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(plaintext, "plaintext");
    EncryptedMultipartUpload up = resumed(bucket, key, uploadId, token, length, true);
    long total = length >= 0 ? length : up.dataSize().orElse(-1);
    return run(up, new StreamSource(up, plaintext, total), u -> {});
  }

  /**
   * Lists the client-side encrypted multipart uploads in progress under a prefix
   * (ListMultipartUploads, then one ListParts page per upload for its {@code ClientEncryption*}
   * fields). Uploads without such fields, or with a malformed part or data size, are not listed.
   *
   * @param prefix an object key prefix, or "" for the whole bucket
   */
  public List<PendingUpload> listUploads(String bucket, String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    ObjectStore store = ctx.store;
    List<PendingUpload> out = new ArrayList<>();
    String keyMarker = null;
    String idMarker = null;
    for (int page = 0; page < 10_000; page++) {
      ObjectStore.UploadPage listing = store.listUploads(bucket, prefix, keyMarker, idMarker);
      for (ObjectStore.Upload u : listing.uploads()) {
        pending(store, bucket, u).ifPresent(out::add);
      }
      if (!listing.truncated()) {
        return out;
      }
      if (Objects.equals(keyMarker, listing.nextKeyMarker())
          && Objects.equals(idMarker, listing.nextIdMarker())) {
        throw new IOException("ListMultipartUploads markers do not advance");
      }
      keyMarker = listing.nextKeyMarker();
      idMarker = listing.nextIdMarker();
    }
    throw new IOException("ListMultipartUploads did not terminate");
  }

  private static Optional<PendingUpload> pending(
      ObjectStore store, String bucket, ObjectStore.Upload u) throws IOException {
    try {
      return EnvelopeCodec.fromUserMetadata(store.uploadFields(bucket, u.key(), u.uploadId()))
          .filter(e -> e.partSize().isPresent())
          .map(
              e ->
                  new PendingUpload(
                      u.key(),
                      u.uploadId(),
                      u.initiated(),
                      e.partSize().getAsLong(),
                      e.dataSize()));
    } catch (EnvelopeException malformed) {
      return Optional.empty();
    } catch (RuntimeException gone) {
      if (!store.isServiceError(gone)) {
        throw gone;
      }
      return Optional.empty(); // completed or aborted since it was listed
    }
  }

  /** Aborts an upload by id: the server discards its parts. No key is needed. */
  public void abort(String bucket, String key, String uploadId) {
    ctx.store.abortMultipart(bucket, key, uploadId);
  }

  private static void checkBuffered(long partSize) {
    if (partSize > MAX_BUFFERED_PART_SIZE) {
      throw new InvalidPartSizeException(
          "a stream source needs a part size of at most %d, got %d"
              .formatted(MAX_BUFFERED_PART_SIZE, partSize));
    }
  }

  /**
   * One unit of work: upload a part, or check a listed part against the source ({@code isCheck}:
   * not retried, and a mismatch does not abort). {@code attempt} is idempotent; {@code free} runs
   * once after the last attempt (gives back a buffer).
   */
  record PartJob(
      int partNumber, long offset, long length, boolean isCheck, Attempt attempt, Runnable free) {}

  /** One attempt of a part. */
  interface Attempt extends EncryptedMultipartUpload.PartWork<UploadedPart> {}

  /** Produces the jobs in part order on the calling thread; null at the end. */
  interface PartSource {
    PartJob next(int partNumber) throws IOException, GeneralSecurityException;
  }

  /** Part {@code n} of {@code length} bytes, to upload or, if listed on resume, to check. */
  private PartJob job(
      EncryptedMultipartUpload up,
      int n,
      long length,
      EncryptedStore.Plaintext plaintext,
      boolean held,
      Runnable free) {
    UploadedPart listed = up.parts().get(n);
    Attempt attempt =
        () -> {
          if (listed == null) {
            return held
                ? up.uploadHeldPart(n, plaintext, length)
                : up.uploadPart(n, plaintext.open(), length);
          }
          // An authenticated upload needs the listed part's ciphertext for its chunk tags.
          if (listed.size() != length
              || ((verifyResumedParts || up.authenticates())
                  && up.reencryptListedPart(n, plaintext.open(), length)
                      != listed.crc64().orElseThrow())) {
            throw new TransferVerificationException(
                "part "
                    + n
                    + " on the server does not match the source (CRC-64 of its ciphertext"
                    + " differs): wrong source, or a different master key");
          }
          return listed;
        };
    return new PartJob(n, up.partOffset(n), length, listed != null, attempt, free);
  }

  /** A last check before CompleteMultipartUpload; a failure aborts instead of completing. */
  interface BeforeComplete {
    void check(EncryptedMultipartUpload up) throws IOException;
  }

  MultipartUploadResult run(
      EncryptedMultipartUpload up, PartSource source, BeforeComplete beforeComplete)
      throws MultipartUploadException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Throwable> checkFailure = new AtomicReference<>();
    AtomicInteger retries = new AtomicInteger();
    Semaphore permits = new Semaphore(parallelism);
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, threads());
    try {
      for (int n = 1; failure.get() == null; n++) {
        permits.acquire();
        PartJob job;
        try {
          if (n > EncryptedMultipartUpload.MAX_PARTS) {
            throw new InvalidPartSizeException(
                "the source needs more than " + (n - 1) + " parts of " + up.partSize() + " bytes");
          }
          job = source.next(n);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
          permits.release();
          failure.compareAndSet(null, e);
          break;
        }
        if (job == null) {
          permits.release();
          break;
        }
        pool.execute(
            () -> {
              try {
                if (failure.get() == null) {
                  attempt(job, retries);
                }
              } catch (Throwable t) {
                if (failure.compareAndSet(null, t) && job.isCheck()) {
                  checkFailure.set(t);
                }
              } finally {
                job.free().run();
                permits.release();
              }
            });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, e);
    } finally {
      pool.shutdown();
      awaitAll(pool, failure);
    }
    Throwable f = failure.get();
    if (f == null) {
      try {
        beforeComplete.check(up);
        ObjectStore.Written done = up.complete();
        return new MultipartUploadResult(
            up.bucket(),
            up.key(),
            up.uploadId(),
            done.etag(),
            up.parts().values().stream().mapToLong(UploadedPart::size).sum(),
            up.parts().size(),
            up.resumedPartCount(),
            up.partSize(),
            up.objectCrc64(),
            up.envelope(),
            retries.get());
      } catch (IOException | RuntimeException e) {
        f = e;
      }
    }
    boolean aborted = false;
    if (abortOnFailure && f != checkFailure.get()) {
      try {
        up.abort();
        aborted = true;
      } catch (RuntimeException abortFailure) {
        f.addSuppressed(abortFailure);
      }
    }
    up.close();
    throw new MultipartUploadException(
        up.bucket(), up.key(), up.uploadId(), aborted, up.resumeTokenOrNull(), f);
  }

  /** Waits, interrupted or not, until every part started has ended (each records its failure). */
  private static void awaitAll(ExecutorService pool, AtomicReference<Throwable> failure) {
    boolean interrupted = false;
    while (!pool.isTerminated()) {
      try {
        pool.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        interrupted = true;
        failure.compareAndSet(null, e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs one part within {@code partAttempts}, counting the retries. A changed source is never
   * retried: it would encrypt other plaintext under the same keystream.
   */
  private void attempt(PartJob job, AtomicInteger retries) throws Exception {
    RetryPolicy.Budget budget =
        ctx.policy.withMaxRetries(job.isCheck() ? 0 : partAttempts - 1).budget();
    while (true) {
      listener.partStarting(job.partNumber(), job.offset(), job.length());
      try {
        UploadedPart p = job.attempt().run();
        if (!job.isCheck()) {
          listener.partUploaded(p);
        }
        return;
      } catch (Exception e) {
        if (SourceChangedException.findIn(e).isPresent() || !budget.retry(e)) {
          throw e;
        }
        retries.incrementAndGet();
      }
    }
  }

  private static ThreadFactory threads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "oss-cse-multipart-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Part {@code n} of a file, read from its region and encrypted on the fly; nothing buffered. */
  private PartJob filePart(EncryptedMultipartUpload up, FileChannel ch, long size, int n) {
    long offset = (n - 1) * up.partSize();
    if (n > 1 && offset >= size) {
      return null;
    }
    long length = Math.min(up.partSize(), size - offset);
    return job(up, n, length, () -> new FileRegionInputStream(ch, offset, length), false, () -> {});
  }

  /** Parts read in order from a stream into at most {@code parallelism} reused buffers. */
  private final class StreamSource implements PartSource {
    private final EncryptedMultipartUpload up;
    private final InputStream in;
    private final long length; // -1 unknown
    private final Deque<byte[]> free = new ConcurrentLinkedDeque<>(); // given back by workers
    private long total;
    private boolean ended;

    StreamSource(EncryptedMultipartUpload up, InputStream in, long length) {
      this.up = up;
      this.in = in;
      this.length = length;
    }

    @Override
    public PartJob next(int n) throws IOException {
      if (ended) {
        return null;
      }
      byte[] buf = Objects.requireNonNullElseGet(free.poll(), () -> new byte[(int) up.partSize()]);
      int want = length < 0 ? buf.length : (int) Math.min(buf.length, length - total);
      int len = in.readNBytes(buf, 0, want);
      total += len;
      ended = length < 0 ? len < want : total == length;
      if (length >= 0 && (len < want || (ended && in.read() != -1))) {
        String what = len < want ? "ended after " + total + " bytes" : "is longer";
        throw new IOException("the stream %s; expected %d bytes".formatted(what, length));
      }
      if (len == 0 && n > 1) {
        return null;
      }
      // The buffer is ours until free runs: a held part.
      return job(
          up, n, len, () -> new ByteArrayInputStream(buf, 0, len), true, () -> free.push(buf));
    }
  }

  /** Configures a {@link MultipartUploader}. */
  public static final class Builder {
    private final EncryptedStore core;
    private long partSize = DEFAULT_PART_SIZE;
    private int parallelism = DEFAULT_PARALLELISM;
    private int partAttempts = DEFAULT_PART_ATTEMPTS;
    private boolean abortOnFailure = true;
    private boolean verifyResumedParts = true;
    private PartListener listener = new PartListener() {};

    Builder(EncryptedStore core) {
      this.core = core;
    }

    /**
     * The plaintext part size (default 8 MiB): a positive multiple of 16 up to 5 GiB.
     *
     * @throws InvalidPartSizeException otherwise
     */
    public Builder partSize(long partSize) {
      this.partSize = InvalidPartSizeException.check(partSize);
      return this;
    }

    /** Maximum parts in flight, 1..64 (default 3). */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1 || parallelism > 64) {
        throw new IllegalArgumentException("parallelism must be 1..64, got " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /**
     * Attempts per part, 1..10 (default 3); only failures the store's retry policy calls transient
     * (5xx, throttling, network, a failed CRC-64 check) are retried, with its jittered pauses.
     */
    public Builder partAttempts(int attempts) {
      if (attempts < 1 || attempts > 10) {
        throw new IllegalArgumentException("partAttempts must be 1..10, got " + attempts);
      }
      this.partAttempts = attempts;
      return this;
    }

    /**
     * Abort the upload when it fails (default true), so no part is left on the server. With false,
     * the upload is kept and {@link MultipartUploadException#uploadId()} names it for {@link
     * MultipartUploader#resume}.
     */
    public Builder abortOnFailure(boolean abort) {
      this.abortOnFailure = abort;
      return this;
    }

    /**
     * On resume, check every listed part against the source before trusting it (default true): the
     * source region is re-encrypted and its CRC-64 compared with the listed one.
     */
    public Builder verifyResumedParts(boolean verify) {
      this.verifyResumedParts = verify;
      return this;
    }

    /** Progress callbacks (called from worker threads; must not throw). */
    public Builder listener(PartListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Builds the uploader; the client must have an encryption master key. */
    public MultipartUploader build() {
      core.context().requireEncryptionKey();
      return new MultipartUploader(this);
    }

    /** Builds an uploader for ciphertext parts (key rotation), which needs no encryption key. */
    MultipartUploader buildForCiphertext() {
      return new MultipartUploader(this);
    }
  }
}
