package dev.osscse.oss;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The decrypted content of an object or of a byte range of it. <b>Unauthenticated.</b>
 *
 * <p><b>What it is.</b> An {@link InputStream} that returns exactly {@link #length()} plaintext
 * bytes starting at object offset {@link #firstByte()}, decrypting AES-CTR as it reads.
 *
 * <p><b>Security guarantees.</b> Confidentiality only. The OSS format has no MAC: whoever can write
 * the object or its metadata can flip plaintext bits, truncate, or swap content undetected. A
 * whole-object read compares the CRC-64 of the received ciphertext with the server's {@code
 * x-oss-hash-crc64ecma}, which catches transport corruption, not tampering.
 *
 * <p><b>Restrictions / failure behaviour.</b> A body that breaks off (reset, early end) is resumed
 * with a ranged GET from the AES block of the next byte, under {@code If-Match} on the first ETag,
 * within one budget of 10 retries for failed requests and broken bodies; the CRC-64 of a whole read
 * continues across resumes. A changed object ({@link TransferVerificationException}, cause {@code
 * PreconditionFailed}), resumes used up, a CRC mismatch or a cipher failure throws {@link
 * IOException}, and the stream stays failed. The content key is held until close. Close it: closing
 * before the end aborts the HTTP connection.
 */
public final class UnauthenticatedObjectStream extends InputStream {
  private final ReadPipeline.Read in;
  private final Map<String, Object> headers;

  UnauthenticatedObjectStream(ReadPipeline.Read in, boolean ranged) {
    this.in = in;
    this.headers = headers(in, ranged);
  }

  /** What {@link #headers()} returns for {@code in}. */
  static Map<String, Object> headers(ReadPipeline.Read in, boolean ranged) {
    Map<String, Object> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(in.firstReply().headers());
    h.put("Content-Length", in.length());
    if (ranged) {
      String range = in.firstByte() + "-" + (in.firstByte() + in.length() - 1);
      h.put("Content-Range", "bytes " + (in.length() == 0 ? "*" : range) + "/" + in.objectSize());
    }
    return Collections.unmodifiableMap(h);
  }

  /**
   * The response headers as the store reported them, names case-insensitive; {@code Content-Length}
   * is the plaintext length returned and, for a range, {@code Content-Range} the plaintext range.
   */
  public Map<String, Object> headers() {
    return headers;
  }

  /** The object's ETag as the first reply stated it, or null. */
  public String etag() {
    return in.firstReply().etag();
  }

  /** The object's user metadata (keys without {@code x-oss-meta-}), envelope included. */
  public Map<String, String> userMetadata() {
    return in.firstReply().userMetadata();
  }

  /** The object's envelope; empty for a plaintext object read with plaintext allowed. */
  public Optional<Envelope> envelope() {
    return Optional.ofNullable(in.envelope());
  }

  /** True if the object was encrypted and is being decrypted. */
  public boolean isEncrypted() {
    return in.envelope() != null;
  }

  /** Object offset of the first byte this stream returns. */
  public long firstByte() {
    return in.firstByte();
  }

  /** Exact number of bytes this stream returns. */
  public long length() {
    return in.length();
  }

  /** The whole object's size. */
  public long objectSize() {
    return in.objectSize();
  }

  @Override
  public int read() throws IOException {
    return in.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return in.read(b, off, len);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
