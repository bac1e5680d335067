package dev.osscse.oss;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClient;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import dev.osscse.oss.internal.ContentRange;
import dev.osscse.oss.internal.DecryptingInputStream;
import dev.osscse.oss.internal.EncryptingInputStream;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.internal.RangePlan;
import dev.osscse.oss.internal.ResumingDownload;
import dev.osscse.oss.internal.SdkBodyCrc;
import dev.osscse.provider.OssCseProviders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.Checksum;
import javax.crypto.Cipher;

/**
 * Client-side encryption over a real {@code com.aliyun.oss.OSS} client, in the official SDKs'
 * format.
 *
 * <p><b>What it is.</b> Encrypting uploads ({@code putObject} from a stream, a file or bytes) and
 * decrypting reads ({@code getObject}, whole or any {@link ByteRange}; {@code downloadObject} to a
 * file) over a plain OSS client. Objects it writes are read by {@code OSSEncryptionClient} and the
 * Go, Python and C++ SDKs, and it reads theirs (docs/format.md). {@link #asOss()} exposes it as an
 * {@code OSS} so code written for {@code OSSEncryptionClient} switches with one line.
 *
 * <p><b>Security guarantees.</b> Confidentiality of content with AES-256-CTR under a fresh key per
 * object, wrapped by a {@link MasterKey}. <b>No integrity</b>: the format has no MAC, so reads
 * return {@link UnauthenticatedObjectStream}. Fails closed: no path uploads plaintext; a read of an
 * object without envelope throws {@link UnencryptedObjectException} unless {@link
 * Builder#allowPlaintextObjects(boolean)} is set. Every cipher comes from the configured provider
 * instance, never from global registration.
 *
 * <p><b>Restrictions / failure behaviour.</b> Thread-safe. SDK failures ({@code OSSException},
 * {@code ClientException}) pass through; envelope problems are {@link EnvelopeException}; unwrap
 * failures {@link java.security.InvalidKeyException} "unwrap failed"; I/O and verification failures
 * {@link IOException}. A range starting at or past the end gives OSS's {@code InvalidRange}.
 *
 * <pre>{@code
 * OssCseClient cse = OssCseClient.builder(ossClient)
 *     .encryptWith(MasterKey.rsa(keyPair, Map.of("desc", "prod")))
 *     .build();
 * cse.putObject("bkt", "a.bin", Path.of("a.bin"), null);
 * try (UnauthenticatedObjectStream in = cse.getObject("bkt", "a.bin", ByteRange.parse("100-199"))) {
 *   byte[] hundred = in.readAllBytes();
 * }
 * }</pre>
 */
public final class OssCseClient {
  /** Header that makes OSS answer ranges in the standard way (416 past the end). */
  static final String RANGE_BEHAVIOR = "x-oss-range-behavior";

  /** Failed requests or broken bodies a whole-object download tolerates (each resumes). */
  static final int DOWNLOAD_RETRIES = 10;

  /** CRC-64 mismatches a whole-object download tolerates (each starts over from byte 0). */
  static final int DOWNLOAD_RESTARTS = 2;

  /** Base pause before a download retry, times the attempt number. */
  static final long DOWNLOAD_BACKOFF_MILLIS = 5;

  private final OSS oss;
  private final EnvelopeCrypto crypto;
  private final MasterKey encryptionKey; // may be null: read-only client
  private final MasterKeyRing decryptionKeys;
  private final boolean allowPlaintextObjects;
  private final boolean sdkChecksCrc;

  private OssCseClient(Builder b) {
    this.oss = b.oss;
    this.sdkChecksCrc = sdkChecksCrc(b.oss);
    this.crypto = new EnvelopeCrypto(b.provider, b.random);
    this.encryptionKey = b.encryptionKey;
    this.decryptionKeys = b.decryptionKeys;
    this.allowPlaintextObjects = b.allowPlaintextObjects;
  }

  /**
   * True when the OSS client computes the CRC-64 of every request body and compares it with the
   * server's (its default): uploads then take that CRC instead of computing a second one.
   */
  static boolean sdkChecksCrc(OSS oss) {
    return oss instanceof OSSClient c
        && c.getClientConfiguration() != null
        && c.getClientConfiguration().isCrcCheckEnabled();
  }

  /** Starts a builder over a plain OSS client (which this client does not own or shut down). */
  public static Builder builder(OSS oss) {
    return new Builder(oss);
  }

  /** The plain OSS client underneath. */
  public OSS plainClient() {
    return oss;
  }

  /** The envelope crypto (provider, key generation and wrapping) this client uses. */
  public EnvelopeCrypto envelopeCrypto() {
    return crypto;
  }

  /** The master key used for writing, if any. */
  public Optional<MasterKey> encryptionKey() {
    return Optional.ofNullable(encryptionKey);
  }

  /** The master keys used for reading. */
  public MasterKeyRing decryptionKeys() {
    return decryptionKeys;
  }

  /** True if objects without envelope are returned as they are instead of refused. */
  public boolean allowsPlaintextObjects() {
    return allowPlaintextObjects;
  }

  /**
   * This client as a {@code com.aliyun.oss.OSS}: put and get are encrypted, operations that cannot
   * be encrypted are refused with {@link EncryptionRefusedException}, the rest pass through.
   */
  public OSS asOss() {
    return EncryptingOss.wrap(this);
  }

  // ------------------------------------------------------------------ put

  /**
   * Encrypts and uploads a stream, reading it once in bounded memory.
   *
   * @param metadata optional (may be null); a {@code Content-Length} in it is taken as the
   *     plaintext length and enforced; a {@code Content-MD5} is moved to {@code
   *     unencrypted-content-md5} (FMT-8); envelope keys in its user metadata are refused
   */
  public PutObjectResult putObject(
      String bucket, String key, InputStream plaintext, ObjectMetadata metadata)
      throws IOException, GeneralSecurityException {
    long length = -1;
    if (metadata != null && metadata.getRawMetadata().containsKey("Content-Length")) {
      length = metadata.getContentLength();
    }
    InputStream once = Objects.requireNonNull(plaintext, "plaintext");
    return put(bucket, key, once, length, metadata);
  }

  /** Encrypts and uploads a file. */
  public PutObjectResult putObject(String bucket, String key, Path file, ObjectMetadata metadata)
      throws IOException, GeneralSecurityException {
    long length = Files.size(file);
    return put(bucket, key, () -> Files.newInputStream(file), length, metadata);
  }

  /** Encrypts and uploads a byte array. */
  public PutObjectResult putObject(
      String bucket, String key, byte[] plaintext, ObjectMetadata metadata)
      throws IOException, GeneralSecurityException {
    return put(bucket, key, () -> new ByteArrayInputStream(plaintext), plaintext.length, metadata);
  }

  /**
   * Encrypts and uploads what a {@link PutObjectRequest} names (its file or its stream) with its
   * metadata. Callbacks and process parameters of the request are not forwarded.
   */
  public PutObjectResult putObject(PutObjectRequest request)
      throws IOException, GeneralSecurityException {
    if (request.getFile() != null) {
      return putObject(
          request.getBucketName(),
          request.getKey(),
          request.getFile().toPath(),
          request.getMetadata());
    }
    if (request.getInputStream() == null) {
      throw new IllegalArgumentException("PutObjectRequest has neither a file nor a stream");
    }
    return putObject(
        request.getBucketName(), request.getKey(), request.getInputStream(), request.getMetadata());
  }

  private PutObjectResult put(
      String bucket, String key, InputStream source, long length, ObjectMetadata callerMetadata)
      throws IOException, GeneralSecurityException {
    return put(bucket, key, source, null, length, callerMetadata);
  }

  private PutObjectResult put(
      String bucket,
      String key,
      EncryptingInputStream.Source reopenable,
      long length,
      ObjectMetadata callerMetadata)
      throws IOException, GeneralSecurityException {
    return put(bucket, key, null, reopenable, length, callerMetadata);
  }

  /** Exactly one of {@code source} (read once) and {@code reopenable} (retryable) is non-null. */
  private PutObjectResult put(
      String bucket,
      String key,
      InputStream source,
      EncryptingInputStream.Source reopenable,
      long length,
      ObjectMetadata callerMetadata)
      throws IOException, GeneralSecurityException {
    if (encryptionKey == null) {
      throw new IllegalStateException("this client has no encryption master key (read only)");
    }
    ObjectMetadata outgoing = new ObjectMetadata();
    String md5 = null;
    if (callerMetadata != null) {
      for (Map.Entry<String, Object> h : callerMetadata.getRawMetadata().entrySet()) {
        String name = h.getKey().toLowerCase(Locale.ROOT);
        if (name.equals("content-md5")) {
          md5 = String.valueOf(h.getValue());
        } else if (!name.equals("content-length")) {
          outgoing.setHeader(h.getKey(), h.getValue());
        }
      }
      for (Map.Entry<String, String> u : callerMetadata.getUserMetadata().entrySet()) {
        if (MetadataKeys.isReserved(u.getKey())) {
          throw new IllegalArgumentException(
              "user metadata may not set the reserved key "
                  + u.getKey().toLowerCase(Locale.ROOT)
                  + " (FMT-17)");
        }
        outgoing.addUserMetadata(u.getKey(), u.getValue());
      }
    }
    EnvelopeCrypto.Sealed sealed = crypto.seal(encryptionKey);
    try {
      Envelope.Builder eb = sealed.envelope();
      if (length >= 0) {
        eb.unencryptedLength(length);
      }
      if (md5 != null) {
        eb.unencryptedMd5(md5);
      }
      Envelope envelope = eb.build();
      EnvelopeCodec.writeTo(envelope, outgoing);
      ContentKey contentKey = sealed.contentKey();
      // When the SDK checks CRC-64 (its default) it already computes one over the exact request
      // body and compares it with the server's; a second CRC here cost ~10% of the upload's CPU.
      CRC64 ownCrc = sdkChecksCrc ? null : new CRC64();
      EncryptingInputStream ciphertext;
      if (reopenable != null) {
        // Retryable: the SDK may reset() and resend; the same ciphertext is produced again.
        ciphertext =
            new EncryptingInputStream(
                reopenable, () -> contentKey.newCipher(Cipher.ENCRYPT_MODE, 0), length, ownCrc);
        outgoing.setContentLength(length);
      } else {
        ciphertext =
            new EncryptingInputStream(
                source, contentKey.newCipher(Cipher.ENCRYPT_MODE, 0), length, ownCrc);
      }
      PutObjectResult result;
      try {
        result = oss.putObject(new PutObjectRequest(bucket, key, ciphertext, outgoing));
      } catch (InconsistentException e) {
        // The SDK's own CRC-64 check of the ciphertext failed after the object was stored.
        deleteQuietly(bucket, key);
        throw new TransferVerificationException(
            "CRC-64 of the uploaded ciphertext does not match the server's; object deleted", e);
      } finally {
        if (reopenable != null) {
          ciphertext.close(); // the file or array stream this method opened
        }
      }
      if (!ciphertext.isComplete()) {
        deleteQuietly(bucket, key);
        throw new TransferVerificationException(
            "the upload ended before the plaintext source did; object deleted");
      }
      Long server = result.getServerCRC();
      Long sent = ownCrc != null ? Long.valueOf(ciphertext.crc()) : result.getClientCRC();
      if (server != null && sent != null && !server.equals(sent)) {
        deleteQuietly(bucket, key);
        throw new TransferVerificationException(
            "CRC-64 of the uploaded ciphertext does not match the server's x-oss-hash-crc64ecma;"
                + " object deleted");
      }
      return result;
    } finally {
      sealed.contentKey().destroy();
    }
  }

  private void deleteQuietly(String bucket, String key) {
    try {
      oss.deleteObject(bucket, key);
    } catch (RuntimeException suppressed) {
      // best effort: the upload is reported as failed either way
    }
  }

  // ------------------------------------------------------------------ get

  /** Reads and decrypts a whole object. */
  public UnauthenticatedObjectStream getObject(String bucket, String key)
      throws IOException, GeneralSecurityException {
    return getObject(new GetObjectRequest(bucket, key), null);
  }

  /** Reads and decrypts a byte range ({@code null} = whole object). */
  public UnauthenticatedObjectStream getObject(String bucket, String key, ByteRange range)
      throws IOException, GeneralSecurityException {
    return getObject(new GetObjectRequest(bucket, key), range);
  }

  /**
   * Reads and decrypts with a caller-built request (conditions, version id, response header
   * overrides). The request's own range is ignored: pass {@code range} instead. Presigned-URL
   * requests are refused.
   */
  public UnauthenticatedObjectStream getObject(GetObjectRequest request, ByteRange range)
      throws IOException, GeneralSecurityException {
    if (request.isUseUrlSignature()) {
      throw new EncryptionRefusedException("getObject with a presigned URL", "not supported");
    }
    RangePlan plan =
        range == null
            ? RangePlan.whole()
            : range.isSuffix()
                ? RangePlan.suffix(range.suffixLength())
                : RangePlan.range(range.first(), range.last());
    // The caller's request is restored afterwards (the SDK's client mutates it).
    long[] callerRange = request.getRange();
    String callerBehavior = request.getHeaders().get(RANGE_BEHAVIOR);
    OSSObject object;
    try {
      if (callerRange != null) {
        request.setRange(-1, -1); // the SDK's "no range"
      }
      request.getHeaders().remove(RANGE_BEHAVIOR);
      if (!plan.isWhole()) {
        request.setRange(plan.requestStart(), plan.requestEnd());
        request.addHeader(RANGE_BEHAVIOR, "standard");
      }
      try {
        object =
            ResumingDownload.getWithRetry(oss, request, DOWNLOAD_RETRIES, DOWNLOAD_BACKOFF_MILLIS);
      } catch (OSSException e) {
        if (!"InvalidRange".equals(e.getErrorCode())) {
          throw e;
        }
        throw new OSSException(
            "range: the requested range of "
                + uri(request.getBucketName(), request.getKey())
                + " cannot be satisfied",
            e.getErrorCode(),
            e.getRequestId(),
            e.getHostId(),
            null,
            null,
            "GET",
            e);
      }
    } finally {
      if (callerRange != null) {
        request.setRange(callerRange[0], callerRange[1]);
      } else if (!plan.isWhole()) {
        request.setRange(-1, -1);
      }
      request.getHeaders().remove(RANGE_BEHAVIOR);
      if (callerBehavior != null) {
        request.addHeader(RANGE_BEHAVIOR, callerBehavior);
      }
    }
    GetObjectRequest base = ResumingDownload.snapshot(request);
    boolean handedOver = false;
    try {
      UnauthenticatedObjectStream s = open(object, plan, base);
      handedOver = true;
      return s;
    } finally {
      if (!handedOver) {
        object.forcedClose();
      }
    }
  }

  private UnauthenticatedObjectStream open(OSSObject object, RangePlan plan, GetObjectRequest base)
      throws IOException, GeneralSecurityException {
    ObjectMetadata md = object.getObjectMetadata();
    Optional<Envelope> envelope = envelopeOf(object.getBucketName(), object.getKey(), md);
    if (envelope.isEmpty() && !allowPlaintextObjects) {
      throw new UnencryptedObjectException(object.getBucketName(), object.getKey());
    }
    String contentRange = rawHeader(md, "Content-Range");
    ContentRange cr = contentRange == null ? null : ContentRange.parse(contentRange);
    RangePlan.Window w;
    try {
      w = plan.window(cr, md.getContentLength());
    } catch (RangePlan.NotSatisfiableException e) {
      throw new OSSException(
          "range: the requested range of oss://"
              + object.getBucketName()
              + "/"
              + object.getKey()
              + " cannot be satisfied (object size "
              + e.objectSize()
              + ")",
          "InvalidRange",
          object.getRequestId(),
          null,
          null,
          null,
          "GET");
    }
    String bucket = object.getBucketName();
    String key = object.getKey();
    ContentKey ck = null;
    Cipher cipher = null;
    if (envelope.isPresent()) {
      checkLength(bucket, key, envelope.get(), w.objectSize());
      ck = openKey(bucket, key, envelope.get());
    }
    ContentKey streamKey = ck; // destroyed when the stream closes (kept to resume)
    boolean handedOver = false;
    try {
      if (ck != null) {
        cipher = ck.newCipher(Cipher.DECRYPT_MODE, w.keystreamOffset());
      }
      Checksum crc = null;
      Long expected = null;
      if (cr == null && plan.isWhole() && md.getServerCRC() != null) {
        Checksum sdk = SdkBodyCrc.of(object.getObjectContent());
        crc = sdk != null ? sdk : new CRC64();
        expected = md.getServerCRC();
      }
      OSSObject[] current = {object};
      String etag = md.getETag();
      long bodyStart = cr == null ? 0 : cr.first();
      long last = w.keystreamOffset() + w.length() - 1;
      long objectSize = w.objectSize();
      DecryptingInputStream.Resumer resumer =
          etag == null || w.length() == 0
              ? null
              : new DecryptingInputStream.Resumer() {
                @Override
                public InputStream reopen(long alignedStart, int attempt) throws IOException {
                  current[0].forcedClose();
                  ResumingDownload.backoff(DOWNLOAD_BACKOFF_MILLIS, attempt);
                  current[0] = resumeGet(base, alignedStart, last, etag, objectSize);
                  return current[0].getObjectContent();
                }

                @Override
                public Cipher cipherAt(long offset) throws GeneralSecurityException {
                  return streamKey.newCipher(Cipher.DECRYPT_MODE, offset);
                }
              };
      DecryptingInputStream in =
          new DecryptingInputStream(
              object.getObjectContent(),
              cipher,
              w.skip(),
              w.length(),
              crc,
              expected,
              complete -> {
                try {
                  if (complete) {
                    current[0].close();
                  } else {
                    current[0].forcedClose();
                  }
                } finally {
                  if (streamKey != null) {
                    streamKey.destroy();
                  }
                }
              },
              bodyStart,
              resumer,
              DOWNLOAD_RETRIES);
      handedOver = true;
      md.setContentLength(w.length());
      if (!plan.isWhole()) {
        md.setHeader(
            "Content-Range",
            w.length() == 0
                ? "bytes */" + w.objectSize()
                : "bytes "
                    + w.keystreamOffset()
                    + "-"
                    + (w.keystreamOffset() + w.length() - 1)
                    + "/"
                    + w.objectSize());
      }
      return new UnauthenticatedObjectStream(
          in, md, envelope.orElse(null), w.keystreamOffset(), w.length(), w.objectSize());
    } finally {
      if (!handedOver && ck != null) {
        ck.destroy();
      }
    }
  }

  /**
   * The GET that resumes a broken body: ciphertext bytes {@code first..last} with {@code If-Match}
   * on the first ETag; the reply must start at {@code first} of the same object size.
   *
   * @throws TransferVerificationException if the object changed (412 PreconditionFailed) or the
   *     reply does not cover the request
   */
  private OSSObject resumeGet(
      GetObjectRequest base, long first, long last, String etag, long objectSize)
      throws IOException {
    String name = uri(base.getBucketName(), base.getKey());
    OSSObject next;
    try {
      next =
          ResumingDownload.getWithRetry(
              oss,
              ResumingDownload.resumeRequest(base, first, last, etag),
              DOWNLOAD_RETRIES,
              DOWNLOAD_BACKOFF_MILLIS);
    } catch (OSSException e) {
      if ("PreconditionFailed".equals(e.getErrorCode())) {
        throw new TransferVerificationException(
            name + ": the object changed during the read (If-Match failed: PreconditionFailed)", e);
      }
      throw new IOException(name + ": resuming the read failed (" + e.getErrorCode() + ")", e);
    } catch (ClientException e) {
      throw new IOException(name + ": resuming the read failed", e);
    }
    try {
      ResumingDownload.checkResumed(next.getObjectMetadata(), first, objectSize);
      if (!Objects.equals(etag, next.getObjectMetadata().getETag())) {
        throw new IOException("a resumed response has another ETag");
      }
    } catch (IOException e) {
      next.forcedClose();
      throw new TransferVerificationException(name + ": " + e.getMessage(), e);
    }
    return next;
  }

  /** The envelope, with the object named in any {@link EnvelopeException}. */
  private static Optional<Envelope> envelopeOf(String bucket, String key, ObjectMetadata md)
      throws EnvelopeException {
    try {
      return EnvelopeCodec.fromObjectMetadata(md);
    } catch (EnvelopeException e) {
      throw new EnvelopeException(e.field(), "in " + uri(bucket, key) + ": " + problem(e), e);
    }
  }

  /** Unwraps; a ring miss names the object, every unwrap failure stays "unwrap failed". */
  private ContentKey openKey(String bucket, String key, Envelope envelope)
      throws GeneralSecurityException {
    try {
      return crypto.open(envelope, decryptionKeys);
    } catch (NoMatchingMasterKeyException e) {
      throw new NoMatchingMasterKeyException(
          envelope.wrapAlgorithm(), envelope.matDesc().keySet(), uri(bucket, key));
    }
  }

  /**
   * The stored size must equal a declared unencrypted-content-length: a shorter (truncated) or
   * longer (appended) body is refused before any byte is decrypted.
   */
  private static void checkLength(String bucket, String key, Envelope envelope, long objectSize)
      throws EnvelopeException {
    if (envelope.unencryptedLength().isPresent()
        && objectSize >= 0
        && envelope.unencryptedLength().getAsLong() != objectSize) {
      throw new EnvelopeException(
          MetadataKeys.UNENCRYPTED_CONTENT_LENGTH,
          "in "
              + uri(bucket, key)
              + ": the stored object has "
              + objectSize
              + " bytes, the envelope declares "
              + envelope.unencryptedLength().getAsLong()
              + " (truncated or extended body)");
    }
  }

  private static String uri(String bucket, String key) {
    return "oss://" + bucket + "/" + key;
  }

  private static String problem(EnvelopeException e) {
    String m = e.getMessage();
    String prefix = e.field() + ": ";
    return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
  }

  private static String rawHeader(ObjectMetadata md, String name) {
    for (Map.Entry<String, Object> e : md.getRawMetadata().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null) {
        return e.getValue().toString();
      }
    }
    return null;
  }

  /**
   * Returns an object's envelope from a HEAD request, or empty if it has none.
   *
   * @throws EnvelopeException if the envelope is present but malformed
   */
  public Optional<Envelope> headEnvelope(String bucket, String key) throws EnvelopeException {
    return envelopeOf(bucket, key, oss.getObjectMetadata(bucket, key));
  }

  // ------------------------------------------------------------------ download

  /**
   * Downloads and decrypts a whole object to a file; see {@link #downloadObject(GetObjectRequest,
   * ByteRange, Path)}.
   */
  public ObjectMetadata downloadObject(String bucket, String key, Path target)
      throws IOException, GeneralSecurityException {
    return downloadObject(new GetObjectRequest(bucket, key), null, target);
  }

  /**
   * Downloads and decrypts an object or a range to a file. The plaintext goes to a temporary file
   * in the target's directory, which is renamed over the target only when complete and verified
   * (exact length; CRC-64 of the ciphertext for whole objects). On failure the target is untouched
   * and the temporary file removed.
   */
  public ObjectMetadata downloadObject(GetObjectRequest request, ByteRange range, Path target)
      throws IOException, GeneralSecurityException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName().toString() + ".", ".part");
    boolean moved = false;
    try {
      ObjectMetadata md;
      if (range == null && !request.isUseUrlSignature()) {
        md = downloadWhole(request, temp);
      } else {
        md = downloadRange(request, range, temp);
      }
      try (var ch = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      return md;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * A whole-object download that retries failed requests and resumes broken bodies from the next
   * byte, verifying the CRC-64 of all ciphertext received (ResumingDownload).
   */
  private ObjectMetadata downloadWhole(GetObjectRequest request, Path temp)
      throws IOException, GeneralSecurityException {
    String bucket = request.getBucketName();
    String key = request.getKey();
    ResumingDownload download =
        new ResumingDownload(oss, DOWNLOAD_RETRIES, DOWNLOAD_RESTARTS, DOWNLOAD_BACKOFF_MILLIS);
    try (var ch =
        java.nio.channels.FileChannel.open(
            temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
      ResumingDownload.Outcome o =
          download.run(
              request,
              md -> {
                Optional<Envelope> envelope = envelopeOf(bucket, key, md);
                if (envelope.isEmpty()) {
                  if (!allowPlaintextObjects) {
                    throw new UnencryptedObjectException(bucket, key);
                  }
                  return null;
                }
                checkLength(bucket, key, envelope.get(), md.getContentLength());
                ContentKey ck = openKey(bucket, key, envelope.get());
                return new ResumingDownload.CipherSource() {
                  @Override
                  public Cipher at(long offset) throws GeneralSecurityException {
                    return ck.newCipher(Cipher.DECRYPT_MODE, offset);
                  }

                  @Override
                  public void close() {
                    ck.destroy();
                  }
                };
              },
              out,
              () -> {
                ch.truncate(0);
                ch.position(0);
              });
      return o.metadata();
    } catch (ResumingDownload.VerificationFailure e) {
      throw new TransferVerificationException(uri(bucket, key) + ": " + e.getMessage(), e);
    }
  }

  /**
   * A ranged (or presigned) download: one {@code getObject} stream, which resumes a body that
   * breaks off with a ranged read from the next ciphertext block under {@code If-Match} (counter
   * and alignment from {@link RangePlan}). Ranged reads carry no CRC-64, so only the length is
   * verified.
   */
  private ObjectMetadata downloadRange(GetObjectRequest request, ByteRange range, Path temp)
      throws IOException, GeneralSecurityException {
    byte[] buf = new byte[64 * 1024];
    try (OutputStream out =
            Files.newOutputStream(
                temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        UnauthenticatedObjectStream in = getObject(request, range)) {
      long length = in.length();
      long written = 0;
      while (written < length) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, length - written));
        if (n < 0) {
          throw new IOException("the body ended " + (length - written) + " bytes early");
        }
        out.write(buf, 0, n);
        written += n;
      }
      return in.metadata();
    }
  }

  // ------------------------------------------------------------------ builder

  /** Configures an {@link OssCseClient}. */
  public static final class Builder {
    private final OSS oss;
    private Provider provider = OssCseProviders.provider();
    private SecureRandom random;
    private MasterKey encryptionKey;
    private MasterKeyRing decryptionKeys;
    private boolean allowPlaintextObjects;

    private Builder(OSS oss) {
      this.oss = Objects.requireNonNull(oss, "oss");
    }

    /** The JCA provider instance for every cipher (default: the shared {@code OssCse} instance). */
    public Builder provider(Provider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The RNG for content keys, IVs and RSA padding (default: a new {@link SecureRandom}). */
    public Builder secureRandom(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The master key for writing. If no decryption ring is set, it is also the (only, default) key
     * for reading.
     */
    public Builder encryptWith(MasterKey key) {
      if (!key.canEncrypt()) {
        throw new IllegalArgumentException("the encryption master key has no public key");
      }
      this.encryptionKey = key;
      return this;
    }

    /** The master keys for reading. */
    public Builder decryptWith(MasterKeyRing ring) {
      this.decryptionKeys = Objects.requireNonNull(ring, "ring");
      return this;
    }

    /**
     * Return objects without envelope as they are instead of throwing {@link
     * UnencryptedObjectException} (default false). Ranges are still trimmed exactly.
     */
    public Builder allowPlaintextObjects(boolean allow) {
      this.allowPlaintextObjects = allow;
      return this;
    }

    /** Builds the client; at least an encryption key or a decryption ring is needed. */
    public OssCseClient build() {
      if (encryptionKey == null && decryptionKeys == null) {
        throw new IllegalStateException("set encryptWith(...) or decryptWith(...)");
      }
      if (decryptionKeys == null) {
        decryptionKeys = MasterKeyRing.builder().defaultKey(encryptionKey).build();
      }
      if (random == null) {
        random = new SecureRandom();
      }
      return new OssCseClient(this);
    }
  }
}
