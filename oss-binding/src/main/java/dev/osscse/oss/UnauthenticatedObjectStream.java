package dev.osscse.oss;

import com.aliyun.oss.model.ObjectMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

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
 * with a ranged GET from the exact next byte, under {@code If-Match} on the first ETag, within one
 * budget of 10 retries for failed requests and broken bodies; the CRC-64 of a whole read continues
 * across resumes. A changed object ({@link TransferVerificationException}, cause {@code
 * PreconditionFailed}), resumes used up, a CRC mismatch or a cipher failure throws {@link
 * IOException}, and the stream stays failed. The content key is held until close. Close it: closing
 * before the end aborts the HTTP connection.
 */
public final class UnauthenticatedObjectStream extends InputStream {
  private final InputStream in;
  private final ObjectMetadata metadata;
  private final Envelope envelope; // null for an allowed plaintext object
  private final long firstByte;
  private final long length;
  private final long objectSize;

  UnauthenticatedObjectStream(
      InputStream in,
      ObjectMetadata metadata,
      Envelope envelope,
      long firstByte,
      long length,
      long objectSize) {
    this.in = in;
    this.metadata = metadata;
    this.envelope = envelope;
    this.firstByte = firstByte;
    this.length = length;
    this.objectSize = objectSize;
  }

  /** The response metadata; {@code Content-Length} is the plaintext length returned. */
  public ObjectMetadata metadata() {
    return metadata;
  }

  /** The object's envelope; empty for a plaintext object read with plaintext allowed. */
  public Optional<Envelope> envelope() {
    return Optional.ofNullable(envelope);
  }

  /** True if the object was encrypted and is being decrypted. */
  public boolean isEncrypted() {
    return envelope != null;
  }

  /** Object offset of the first byte this stream returns. */
  public long firstByte() {
    return firstByte;
  }

  /** Exact number of bytes this stream returns. */
  public long length() {
    return length;
  }

  /** The whole object's size. */
  public long objectSize() {
    return objectSize;
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
  public int available() {
    return 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
