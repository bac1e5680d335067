package dev.osscse.oss;

import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.internal.PlaintextRecord;
import dev.osscse.oss.internal.auth.AuthKeys;
import dev.osscse.oss.internal.auth.AuthRecord;
import dev.osscse.oss.internal.auth.TagTable;
import dev.osscse.oss.spi.ListPartsReader;
import dev.osscse.oss.spi.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Checksum;
import javax.crypto.Cipher;

/**
 * One client-side encrypted multipart upload: initiate (or resume), upload parts in any order and
 * from any thread, complete or abort.
 *
 * <p><b>What it is.</b> The low-level session under {@link MultipartUploader}. {@link #initiate}
 * sends the envelope of a fresh content key with {@code client-side-encryption-part-size} and, when
 * the total is known, {@code client-side-encryption-data-size}; every part sends the same envelope
 * headers and is encrypted from the counter IV + (n - 1) * partSize / 16, so the object is one
 * AES-CTR stream that every official SDK reads like a single PutObject (docs/format.md FMT-9).
 *
 * <p><b>Security guarantees.</b> Confidentiality only (AES-256-CTR, no MAC; see {@link
 * UnauthenticatedObjectStream}). The content key is destroyed by {@link #complete()}, {@link
 * #abort()} or {@link #close()}, each of which first waits for the parts in flight. Part and object
 * CRC-64s are compared with the server's: transport integrity, not authenticity.
 *
 * <p><b>Restrictions / failure behaviour.</b> Every part but the last must be exactly the part
 * size, and when the data size is known the last part must be exactly what remains. Never upload
 * two different plaintexts as the same part number: that reuses keystream. The store's own failures
 * (with the aliyun adapter, {@code OSSException} and {@code ClientException}) pass through.
 *
 * <pre>{@code
 * try (EncryptedMultipartUpload up =
 *     EncryptedMultipartUpload.initiate(cse.core(), "bkt", "big.bin", 8 << 20, size, null)) {
 *   up.uploadPart(2, partTwoStream, 8 << 20);   // any order, any thread
 *   up.uploadPart(1, partOneStream, 8 << 20);
 *   ...
 *   up.complete();
 * }
 * }</pre>
 */
public final class EncryptedMultipartUpload implements AutoCloseable {
  /** Largest part number OSS accepts. */
  public static final int MAX_PARTS = 10_000;

  private enum State {
    OPEN,
    COMPLETED,
    ABORTED,
    CLOSED
  }

  private final WritePipeline writes;
  private final String bucket;
  private final String key;
  private final String uploadId;
  private final Envelope envelope;
  private final Map<String, String> cseHeaders;
  private final ContentKey contentKey; // null: the parts are ciphertext already (rewrap)
  private final long partSize;
  private final long dataSize; // -1 = unknown
  private final int resumedParts;
  private final ResumeToken resumeToken; // null: ciphertext parts (rewrap)
  private final ConcurrentSkipListMap<Integer, UploadedPart> parts = new ConcurrentSkipListMap<>();
  // What each part number's attempts encrypted: a later one must encrypt the same plaintext.
  private final ConcurrentHashMap<Integer, PlaintextRecord> sent = new ConcurrentHashMap<>();
  private volatile State state = State.OPEN;
  // Guarded by `inFlight`: parts being encrypted or sent, and finishes begun (see inPart).
  private final Object inFlight = new Object();
  private int partsInFlight;
  private int finishing;
  // Authenticated uploads (FMT-31): the tag keys, each part's chunk tags, and the parts listed on
  // resume whose tags are not made yet.
  private AuthKeys authKeys;
  private final TagTable tags = new TagTable();
  private final Set<Integer> untagged = ConcurrentHashMap.newKeySet();

  private EncryptedMultipartUpload(
      WritePipeline writes,
      String bucket,
      String key,
      String uploadId,
      Envelope envelope,
      ContentKey contentKey,
      Map<Integer, UploadedPart> existing,
      ResumeToken resumeToken) {
    this.writes = writes;
    this.resumeToken = resumeToken;
    this.bucket = bucket;
    this.key = key;
    this.uploadId = uploadId;
    this.envelope = envelope;
    this.cseHeaders = EnvelopeCodec.toHeaders(envelope);
    this.contentKey = contentKey;
    this.partSize = envelope.partSize().orElseThrow();
    this.dataSize = envelope.dataSize().orElse(-1);
    this.parts.putAll(existing);
    this.resumedParts = existing.size();
  }

  /**
   * Initiates an encrypted multipart upload with the store's encryption master key.
   *
   * @param partSize plaintext part size, a positive multiple of 16
   * @param dataSize total plaintext size, or -1 if unknown (then no data-size is recorded)
   * @param metadata optional caller metadata (content type, user metadata...); envelope keys in its
   *     user metadata and a {@code Content-MD5} are refused
   * @throws InvalidPartSizeException if the part size is not a positive multiple of 16, or the data
   *     size needs more than {@value #MAX_PARTS} parts
   */
  public static EncryptedMultipartUpload initiate(
      EncryptedStore store,
      String bucket,
      String key,
      long partSize,
      long dataSize,
      ObjectStore.Metadata metadata)
      throws GeneralSecurityException {
    StoreContext ctx = store.context();
    InvalidPartSizeException.check(partSize);
    checkDataSize(dataSize, partSize);
    MasterKey master = ctx.requireEncryptionKey();
    CallerMetadata caller = CallerMetadata.of(metadata);
    ObjectStore.Metadata outgoing = caller.outgoing();
    EnvelopeCrypto.Sealed sealed = ctx.crypto.seal(master);
    try {
      Envelope.Builder eb = sealed.envelope().partSize(partSize);
      if (dataSize >= 0) {
        eb.dataSize(dataSize);
      }
      if (caller.contentMd5() != null) {
        eb.unencryptedMd5(caller.contentMd5());
      }
      AuthKeys auth = null;
      if (ctx.authenticate) {
        checkAuthenticatedPartSize(partSize, "got");
        Authentication.mark(outgoing.user());
        auth = Authentication.keys(sealed.contentKey());
      }
      EncryptedMultipartUpload up =
          start(ctx.writes, bucket, key, eb.build(), outgoing, sealed.contentKey());
      up.authKeys = auth;
      return up;
    } catch (Throwable t) {
      sealed.contentKey().destroy();
      throw t;
    }
  }

  /**
   * Initiates an upload whose parts are already ciphertext under {@code envelope}, which carries
   * the part size (key rotation).
   */
  static EncryptedMultipartUpload initiateCiphertext(
      WritePipeline writes,
      String bucket,
      String key,
      Envelope envelope,
      ObjectStore.Metadata outgoing) {
    return start(writes, bucket, key, envelope, outgoing, null);
  }

  private static EncryptedMultipartUpload start(
      WritePipeline writes,
      String bucket,
      String key,
      Envelope envelope,
      ObjectStore.Metadata outgoing,
      ContentKey contentKey) {
    Authentication.writeEnvelope(envelope, outgoing.user());
    String uploadId = writes.store.initiateMultipart(bucket, key, outgoing);
    ResumeToken token = null;
    if (contentKey != null) {
      try {
        token = ResumeToken.create(bucket, key, uploadId, contentKey, envelope);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // HmacSHA256 is in every JDK and the server chose the upload id: do not leave it behind.
        try {
          writes.store.abortMultipart(bucket, key, uploadId);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new IllegalStateException("cannot make the resume token of the upload", e);
      }
    }
    return new EncryptedMultipartUpload(
        writes, bucket, key, uploadId, envelope, contentKey, Map.of(), token);
  }

  /**
   * Resumes the caller's own upload from ListParts: its {@code ClientEncryption*} fields give the
   * wrapped key and IV, part size and data size; the content key is unwrapped with the store's
   * encryption master key or any key of its decryption ring of the right kind and accepted only if
   * it is the one {@code token} was made for ({@link #resumeToken()} at initiate); the listed parts
   * become {@link #parts()}. ListParts gives no matdesc: the session takes that of the master key
   * that unwrapped. With {@code authenticate} on the store, the listed parts still need their chunk
   * tags, which only re-encrypting their source gives: {@link MultipartUploader#resume} does it;
   * {@link #complete()} refuses while a listed part has none. The store's {@code authenticate} must
   * be the one the upload was initiated with (ListParts does not show the marker); a mismatch fails
   * closed for readers that require authentication.
   *
   * @param token the upload's resume token; required
   * @throws ResumeTokenException if the token is missing or the upload as listed is not the one it
   *     was made for (a planted upload, another upload id, a substituted key); names the field
   * @throws EnvelopeException if the upload carries no or malformed encryption fields
   * @throws java.security.InvalidKeyException "unwrap failed" if no master key unwraps it
   * @throws TransferVerificationException if a listed part has no CRC-64 ({@code HashCrc64ecma}),
   *     so it cannot be checked against the source
   * @throws IOException if the listing is malformed or its parts break the part-size rule
   * @throws InvalidPartSizeException if the store authenticates and the listed part size is not a
   *     multiple of the 1 MiB chunk
   */
  public static EncryptedMultipartUpload resume(
      EncryptedStore store, String bucket, String key, String uploadId, ResumeToken token)
      throws IOException, GeneralSecurityException {
    if (token == null) {
      throw new ResumeTokenException(
          "resume token",
          "missing; an upload is resumed only with the token returned when it was initiated");
    }
    if (!token.uploadId().equals(uploadId)) {
      throw new ResumeTokenException("upload id", "the token was made for another upload");
    }
    StoreContext ctx = store.context();
    return resume(ctx, bucket, key, uploadId, token, ctx.store.listParts(bucket, key, uploadId));
  }

  /** Resumes from a listing already read, with a token the public method has checked. */
  static EncryptedMultipartUpload resume(
      StoreContext ctx,
      String bucket,
      String key,
      String uploadId,
      ResumeToken token,
      ListPartsReader.Listing listing)
      throws IOException, GeneralSecurityException {
    Envelope listed = EnvelopeCodec.fromUserMetadata(listing.cseUserMetadata()).orElse(null);
    if (listed == null) {
      throw new EnvelopeException(
          MetadataKeys.KEY,
          "the upload lists no ClientEncryption fields; it was not initiated encrypted");
    }
    if (listed.partSize().isEmpty()) {
      throw new EnvelopeException(MetadataKeys.PART_SIZE, "missing in ListParts");
    }
    long partSize = listed.partSize().getAsLong();
    long dataSize = listed.dataSize().orElse(-1);
    try {
      checkDataSize(dataSize, partSize);
    } catch (InvalidPartSizeException e) {
      throw new EnvelopeException(MetadataKeys.DATA_SIZE, e.getMessage());
    }
    if (ctx.authenticate) {
      checkAuthenticatedPartSize(partSize, "the listed upload has");
    }
    Map<Integer, UploadedPart> existing = new TreeMap<>();
    for (ListPartsReader.Part p : listing.parts()) {
      long expected = expectedLength(p.number(), partSize, dataSize);
      if (expected < 0 ? p.size() > partSize : p.size() != expected) {
        throw new IOException(
            "listed part %d has %d bytes, which the part size %d and data size %s do not allow"
                .formatted(p.number(), p.size(), partSize, dataSize < 0 ? "(absent)" : dataSize));
      }
      if (p.crc64() == null) {
        // Without a CRC-64 the part cannot be checked against the source, and re-sending it would
        // put a second ciphertext under the same keystream: refuse instead.
        throw new TransferVerificationException(
            "listed part "
                + p.number()
                + " has no HashCrc64ecma, so it cannot be verified against the source;"
                + " abort the upload and start again");
      }
      existing.put(
          p.number(), new UploadedPart(p.number(), p.etag(), p.size(), OptionalLong.of(p.crc64())));
    }
    List<MasterKey> candidates =
        Stream.concat(Stream.ofNullable(ctx.encryptionKey), ctx.decryptionKeys.keys().stream())
            .distinct()
            .filter(k -> k.kind() == listed.wrapAlgorithm().kind() && k.canDecrypt())
            .toList();
    if (candidates.isEmpty()) {
      throw new NoMatchingMasterKeyException(listed.wrapAlgorithm(), listed.matDesc().keySet());
    }
    for (MasterKey k : candidates) {
      ContentKey ck;
      try {
        ck = ctx.crypto.open(listed, k);
      } catch (InvalidKeyException e) {
        continue;
      }
      try {
        // The unwrapped key must be the caller's own: anyone can wrap a key of their choice with
        // an RSA public key and plant an upload.
        token.verify(bucket, key, uploadId, listed, ck);
        Envelope env = listed.toBuilder().matDesc(k.description()).build();
        EncryptedMultipartUpload up =
            new EncryptedMultipartUpload(
                ctx.writes, bucket, key, uploadId, env, ck, existing, token);
        if (ctx.authenticate) {
          up.authKeys = Authentication.keys(ck);
          up.untagged.addAll(up.parts.keySet());
        }
        return up;
      } catch (Throwable t) {
        ck.destroy();
        throw t;
      }
    }
    throw new InvalidKeyException(EnvelopeCrypto.UNWRAP_FAILED);
  }

  /** The bucket. */
  public String bucket() {
    return bucket;
  }

  /** The object key. */
  public String key() {
    return key;
  }

  /** The upload id. */
  public String uploadId() {
    return uploadId;
  }

  /** The envelope sent on Initiate and on every UploadPart (no secret in it). */
  public Envelope envelope() {
    return envelope;
  }

  /** The plaintext part size (a multiple of 16). */
  public long partSize() {
    return partSize;
  }

  /** The total plaintext size, when it was given. */
  public OptionalLong dataSize() {
    return dataSize < 0 ? OptionalLong.empty() : OptionalLong.of(dataSize);
  }

  /** The object offset of part {@code partNumber}'s first byte: {@code (n - 1) * partSize}. */
  public long partOffset(int partNumber) {
    checkPartNumber(partNumber);
    return (partNumber - 1) * partSize;
  }

  /**
   * The exact length part {@code partNumber} must have when the data size is known, or -1 when it
   * is unknown (then any length up to the part size is accepted, and only the last may be short).
   */
  public long partLength(int partNumber) {
    checkPartNumber(partNumber);
    return expectedLength(partNumber, partSize, dataSize);
  }

  /**
   * The token that proves this upload is the caller's own, required by {@link #resume}: keep its
   * {@link ResumeToken#toString()} with the upload id to resume after a restart.
   *
   * @throws IllegalStateException for an upload of ciphertext parts (key rotation), which has none
   */
  public ResumeToken resumeToken() {
    if (resumeToken == null) {
      throw new IllegalStateException("an upload of ciphertext parts has no resume token");
    }
    return resumeToken;
  }

  /** The resume token, or null for an upload of ciphertext parts. */
  ResumeToken resumeTokenOrNull() {
    return resumeToken;
  }

  /** The parts uploaded (or listed on resume) so far, by part number; a snapshot. */
  public SortedMap<Integer, UploadedPart> parts() {
    return new TreeMap<>(parts);
  }

  /** The number of parts that were already on the server when this session was resumed. */
  public int resumedPartCount() {
    return resumedParts;
  }

  /**
   * Encrypts and uploads one part, reading exactly {@code length} bytes from {@code plaintext}
   * (which is not closed). Thread-safe; parts may be uploaded in any order. Uploading a part number
   * again replaces it, under the same keystream, so it must be the same plaintext.
   *
   * @throws InvalidPartSizeException if {@code length} breaks the part-size rule
   * @throws TransferVerificationException if the source ended early or the server's CRC-64 of the
   *     part differs from the ciphertext sent
   * @throws IllegalStateException if the upload is finished, or a complete, abort or close has
   *     begun
   * @throws SourceChangedException if an earlier upload of this part number encrypted other
   *     plaintext (a retry over a changed source); nothing of the difference was sent
   */
  public UploadedPart uploadPart(int partNumber, InputStream plaintext, long length)
      throws IOException, GeneralSecurityException {
    return send(
        partNumber,
        length,
        () -> {
          PlaintextRecord record =
              sent.computeIfAbsent(partNumber, n -> new PlaintextRecord(length));
          return encrypted(partNumber, plaintext, length, record);
        });
  }

  /**
   * Uploads a part from plaintext that nothing can change while the part is in flight (the
   * uploader's own part buffer): each attempt sends the same bytes, so they are not hashed as they
   * are encrypted, unless an earlier upload of the part number left a record to check against. If
   * the attempt fails, its bytes are recorded then, so a later {@link #uploadPart} of the same
   * number is checked against what may have gone out.
   */
  UploadedPart uploadHeldPart(int partNumber, EncryptedStore.Plaintext held, long length)
      throws IOException, GeneralSecurityException {
    try {
      InputStream in = held.open();
      return send(
          partNumber, length, () -> encrypted(partNumber, in, length, sent.get(partNumber)));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      if (!sent.containsKey(partNumber)) {
        try (InputStream in = held.open()) {
          sent.computeIfAbsent(partNumber, n -> new PlaintextRecord(length)).checkAndRecord(in);
        } catch (IOException | RuntimeException r) {
          e.addSuppressed(r);
        }
      }
      throw e;
    }
  }

  /** Sends the body of a part in flight and records the part. */
  private UploadedPart send(int partNumber, long length, PartWork<WritePipeline.Body> body)
      throws IOException, GeneralSecurityException {
    checkPartLength(partNumber, length);
    return inPart(
        () -> {
          WritePipeline.Body b = body.run();
          UploadedPart p = writes.part(bucket, key, uploadId, partNumber, cseHeaders, b);
          if (authKeys != null) {
            Authentication.finish(b); // every tag of the part is in the table before it counts
          }
          parts.put(partNumber, p);
          return p;
        });
  }

  /** The ciphertext of part {@code partNumber}, its chunks tagged when the upload authenticates. */
  private WritePipeline.Body encrypted(
      int partNumber, InputStream plaintext, long length, PlaintextRecord record)
      throws GeneralSecurityException {
    long offset = partOffset(partNumber);
    WritePipeline.Body body = writes.encrypt(contentKey, offset, plaintext, length, record);
    return authKeys == null ? body : Authentication.tag(body, authKeys, offset, tags);
  }

  /** A cipher at an object offset (tests check listed parts with it). */
  Cipher contentKeyCipher(long offset) throws IOException, GeneralSecurityException {
    return inPart(() -> contentKey.newCipher(Cipher.ENCRYPT_MODE, offset));
  }

  /** Whether this upload writes chunk tags and a record (FMT-31). */
  boolean authenticates() {
    return authKeys != null;
  }

  /**
   * Re-encrypts the plaintext of a part listed on resume ({@code length} bytes, read once) and
   * returns the CRC-64 of its ciphertext, to be compared with the listed one; an authenticated
   * upload makes the part's chunk tags from the same ciphertext (FMT-31: the tags of the bytes
   * stored, when the comparison holds; if it does not, the upload fails before completing).
   */
  long reencryptListedPart(int partNumber, InputStream plaintext, long length)
      throws IOException, GeneralSecurityException {
    return inPart(
        () -> {
          WritePipeline.Body body = encrypted(partNumber, plaintext, length, null);
          Checksum crc = writes.store.newCrc64();
          if (body.in().transferTo(new CheckedOutputStream(OutputStream.nullOutputStream(), crc))
              != length) {
            throw new IOException("the source ended inside part " + partNumber);
          }
          if (authKeys != null) {
            Authentication.finish(body);
            untagged.remove(partNumber);
          }
          return crc.getValue();
        });
  }

  /** Uploads {@code length} bytes of stored ciphertext as they are (key rotation). */
  UploadedPart uploadCiphertextPart(int partNumber, ReadPipeline.Read ciphertext, long length)
      throws IOException, GeneralSecurityException {
    Checksum crc = writes.store.newCrc64();
    return send(
        partNumber,
        length,
        () ->
            new WritePipeline.Body(
                new CheckedInputStream(ciphertext, crc),
                length,
                () -> length - ciphertext.remaining(),
                crc::getValue));
  }

  /**
   * Completes the upload with parts 1..N, then verifies it: the combined CRC-64 of the parts must
   * equal the completed object's {@code x-oss-hash-crc64ecma} when the server returns one (and all
   * part CRCs are known).
   *
   * @throws IllegalStateException if a part is missing, or the count differs from the data size's
   * @throws InvalidPartSizeException if a part other than the last is not exactly the part size
   * @throws TransferVerificationException if the CRC-64 check fails (the object is deleted)
   */
  public ObjectStore.Written complete() throws IOException {
    beginFinish(true);
    try {
      return completeDrained();
    } finally {
      endFinish();
    }
  }

  private ObjectStore.Written completeDrained() throws IOException {
    List<UploadedPart> list = new ArrayList<>(parts.values());
    if (list.isEmpty()) {
      throw new IllegalStateException("no part has been uploaded");
    }
    List<ListPartsReader.Part> named = new ArrayList<>(list.size());
    long total = 0;
    for (UploadedPart p : list) {
      if (p.partNumber() != named.size() + 1) {
        throw new IllegalStateException("part " + (named.size() + 1) + " has not been uploaded");
      }
      if (p.partNumber() < list.size() && p.size() != partSize) {
        throw new InvalidPartSizeException(
            "part " + p.partNumber() + " has " + p.size() + " bytes, not the part size");
      }
      Long crc = p.crc64().isPresent() ? p.crc64().getAsLong() : null;
      named.add(new ListPartsReader.Part(p.partNumber(), p.etag(), p.size(), crc));
      total += p.size();
    }
    if (dataSize >= 0 && list.size() != partCount(dataSize, partSize)) {
      throw new IllegalStateException(
          list.size() + " parts uploaded, the data size needs " + partCount(dataSize, partSize));
    }
    if (authKeys != null) {
      if (!untagged.isEmpty()) {
        throw new IllegalStateException(
            "parts "
                + new TreeSet<>(untagged)
                + " were listed on resume but not re-encrypted from their source, so they have no"
                + " chunk tags; resume an authenticated upload through MultipartUploader");
      }
      tags.record(total, 0); // every chunk tagged, before the object exists (FMT-31)
    }
    ObjectStore.Written result = writes.store.completeMultipart(bucket, key, uploadId, named);
    finish(State.COMPLETED);
    OptionalLong combined = objectCrc64(); // no part starts or ends while finishing
    Long server = result.serverCrc64();
    try {
      if (combined.isPresent() && server != null && server != combined.getAsLong()) {
        writes.refused(bucket, key);
        throw new TransferVerificationException(
            "CRC-64 of the completed object does not match the combined CRC-64 of its parts;"
                + " object deleted");
      }
      if (authKeys != null) {
        Authentication.writeRecord(writes.store, bucket, key, authKeys, tags, total);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("the authentication record could not be made; object deleted", e);
    } finally {
      if (authKeys != null) {
        authKeys.destroy();
      }
    }
    return result;
  }

  /** The CRC-64 of the whole object from the parts uploaded so far, if all of them have one. */
  public OptionalLong objectCrc64() {
    long acc = 0;
    for (UploadedPart p : parts.values()) {
      if (p.crc64().isEmpty()) {
        return OptionalLong.empty();
      }
      acc = writes.store.combineCrc64(acc, p.crc64().getAsLong(), p.size());
    }
    return OptionalLong.of(acc);
  }

  /** Aborts the upload: the server discards every part. Idempotent after a failed abort. */
  public void abort() {
    State s = state;
    if (s == State.COMPLETED || s == State.ABORTED) {
      throw new IllegalStateException("the upload is already " + s.name().toLowerCase(Locale.ROOT));
    }
    beginFinish(false);
    try {
      writes.store.abortMultipart(bucket, key, uploadId);
      finish(State.ABORTED);
    } finally {
      endFinish();
    }
  }

  /**
   * Destroys the content key once the parts in flight have finished. Does <em>not</em> abort: an
   * unfinished upload stays on the server and can be resumed with {@link #resume} (or aborted).
   */
  @Override
  public void close() {
    if (state != State.OPEN) {
      return;
    }
    beginFinish(false);
    try {
      if (state == State.OPEN) {
        finish(State.CLOSED);
      }
    } finally {
      endFinish();
    }
  }

  private synchronized void finish(State to) {
    state = to;
    if (contentKey != null && !contentKey.isDestroyed()) {
      contentKey.destroy();
    }
    if (authKeys != null && to != State.COMPLETED) {
      authKeys.destroy(); // a completed upload still writes its record with them
    }
  }

  /** What a part does while it is in flight (also one attempt of an uploader's part). */
  interface PartWork<T> {
    T run() throws IOException, GeneralSecurityException;
  }

  /**
   * Runs one part's work in flight: it may start only while the upload is open and no finish has
   * begun, and a finish waits until it has ended.
   */
  private <T> T inPart(PartWork<T> work) throws IOException, GeneralSecurityException {
    synchronized (inFlight) {
      checkOpen();
      if (finishing > 0) {
        throw new IllegalStateException("the upload is being completed, aborted or closed");
      }
      partsInFlight++;
    }
    try {
      return work.run();
    } finally {
      synchronized (inFlight) {
        if (--partsInFlight == 0) {
          inFlight.notifyAll();
        }
      }
    }
  }

  /**
   * Stops new parts and waits (uninterruptibly: the key must not be destroyed under a part being
   * encrypted) until the parts in flight have finished.
   */
  private void beginFinish(boolean requireOpen) {
    boolean interrupted = false;
    synchronized (inFlight) {
      if (requireOpen) {
        checkOpen();
      }
      finishing++;
      while (partsInFlight > 0) {
        try {
          inFlight.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void endFinish() {
    synchronized (inFlight) {
      finishing--;
    }
  }

  @Override
  public String toString() {
    return "EncryptedMultipartUpload[%s/%s, uploadId=%s, partSize=%d, dataSize=%s, parts=%d, %s]"
        .formatted(
            bucket,
            key,
            uploadId,
            partSize,
            dataSize < 0 ? "unknown" : dataSize,
            parts.size(),
            state);
  }

  private void checkOpen() {
    State s = state;
    if (s != State.OPEN) {
      throw new IllegalStateException("the upload is " + s.name().toLowerCase(Locale.ROOT));
    }
  }

  private static void checkPartNumber(int partNumber) {
    if (partNumber < 1 || partNumber > MAX_PARTS) {
      throw new IllegalArgumentException(
          "partNumber must be 1.." + MAX_PARTS + ", got " + partNumber);
    }
  }

  private void checkPartLength(int partNumber, long length) {
    long expected = partLength(partNumber);
    boolean pastEnd = expected == 0 && partNumber > 1; // the data size needs fewer parts
    if (pastEnd || (expected >= 0 ? length != expected : length < 0 || length > partSize)) {
      String want =
          pastEnd ? "none, past the end" : expected >= 0 ? "" + expected : "at most " + partSize;
      throw new InvalidPartSizeException(
          "part %d has %d bytes; expected %s".formatted(partNumber, length, want));
    }
  }

  static long partCount(long dataSize, long partSize) {
    return Math.max(1, (dataSize + partSize - 1) / partSize);
  }

  static long expectedLength(int partNumber, long partSize, long dataSize) {
    if (dataSize < 0) {
      return -1;
    }
    long count = partCount(dataSize, partSize);
    if (partNumber > count) {
      return 0;
    }
    return partNumber < count ? partSize : dataSize - (count - 1) * partSize;
  }

  private static void checkAuthenticatedPartSize(long partSize, String what) {
    if (partSize % AuthRecord.CHUNK_SIZE != 0) {
      throw new InvalidPartSizeException(
          "an authenticated upload needs a part size that is a multiple of %d bytes; %s %d"
              .formatted(AuthRecord.CHUNK_SIZE, what, partSize));
    }
  }

  private static void checkDataSize(long dataSize, long partSize) {
    if (dataSize < -1 || dataSize > Envelope.MAX_OBJECT_SIZE) {
      throw new IllegalArgumentException(
          "dataSize must be -1 (unknown) or 0.." + Envelope.MAX_OBJECT_SIZE + ", got " + dataSize);
    }
    if (dataSize >= 0 && partCount(dataSize, partSize) > MAX_PARTS) {
      throw new InvalidPartSizeException(
          "partSize %d makes %d parts for %d bytes; at most %d are allowed"
              .formatted(partSize, partCount(dataSize, partSize), dataSize, MAX_PARTS));
    }
  }
}
