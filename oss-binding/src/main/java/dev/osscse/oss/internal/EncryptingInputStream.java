package dev.osscse.oss.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.Checksum;
import javax.crypto.Cipher;

/**
 * Encrypts a plaintext stream with AES-CTR as it is read, in bounded memory, reading the source
 * once. Counts the bytes, feeds the ciphertext to a CRC-64 if one is given and, when the expected
 * plaintext length is known, fails at the end of the source if the length differs (so a short or
 * long source never completes an upload).
 *
 * <p>With a {@link PlaintextRecord}, the plaintext is read in aligned chunks and each chunk is
 * checked against what an earlier attempt over the same keystream encrypted <em>before</em> it is
 * encrypted: a source that changed between attempts fails with {@link PlaintextChangedException}
 * instead of putting two plaintexts under one keystream.
 */
public final class EncryptingInputStream extends BulkInputStream {
  private final InputStream source;
  private final Cipher cipher;
  private final long expectedLength; // -1 = unknown
  private final Checksum crc; // null = not computed
  private final PlaintextRecord record; // null = unchecked, unchunked
  private final ByteBuffer chunk; // checked mode: the ciphertext of the chunk not yet handed out
  private long count;
  private boolean eof;
  private IOException failure;

  /**
   * @param cipher a CTR cipher in ENCRYPT_MODE at offset 0 (or the part offset)
   * @param expectedLength the plaintext length if known, else -1
   * @param crc CRC-64 fed with every ciphertext byte produced, or null for none
   * @param record what earlier attempts encrypted in this range, or null for no check
   */
  public EncryptingInputStream(
      InputStream source,
      Cipher cipher,
      long expectedLength,
      Checksum crc,
      PlaintextRecord record) {
    this.source = Objects.requireNonNull(source, "source");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.expectedLength = expectedLength;
    this.crc = crc;
    this.record = record;
    this.chunk = record != null ? ByteBuffer.allocate(record.chunkSize()).limit(0) : null;
  }

  /** Plaintext (= ciphertext) bytes produced so far. */
  public long count() {
    return count;
  }

  /**
   * True once the source reached its end and the length checked out, or exactly the expected length
   * was produced (a reader that stops at a declared Content-Length).
   */
  public boolean isComplete() {
    return failure == null && (eof || (expectedLength >= 0 && count == expectedLength));
  }

  /** The CRC-64 of the ciphertext so far, of a stream created with one. */
  public long crc() {
    return crc.getValue();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw new IOException("encrypting stream failed earlier", failure);
    }
    if (eof) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    try {
      int n = record != null ? readChecked(b, off, len) : readDirect(b, off, len);
      if (n > 0) {
        if (crc != null) {
          crc.update(b, off, n);
        }
        count += n;
      }
      return n;
    } catch (IOException e) {
      failure = e;
      throw e;
    } catch (GeneralSecurityException e) {
      failure = new IOException("encryption failed", e);
      throw failure;
    }
  }

  /**
   * Reads the plaintext into {@code b} and encrypts it there in place: one pass over the bytes
   * fewer than through a buffer of our own. On a failure no plaintext is left in {@code b}.
   */
  private int readDirect(byte[] b, int off, int len) throws IOException, GeneralSecurityException {
    int n = source.read(b, off, len);
    if (n < 0) {
      end();
      return -1;
    }
    boolean encrypted = false;
    try {
      if (n > 0
          && expectedLength >= 0
          && (count + n > expectedLength
              // Checked before the last bytes are handed out: a reader that stops at a declared
              // Content-Length never sends a whole body of a longer source.
              || (count + n == expectedLength && source.read() != -1))) {
        throw tooLong();
      }
      encrypt(b, off, n);
      encrypted = true;
    } finally {
      if (!encrypted) {
        Arrays.fill(b, off, off + n, (byte) 0);
      }
    }
    return n;
  }

  /** Hands out the rest of the current checked chunk, filling the next one first if needed. */
  private int readChecked(byte[] b, int off, int len) throws IOException, GeneralSecurityException {
    if (!chunk.hasRemaining() && !fillChunk()) {
      return -1;
    }
    int n = Math.min(len, chunk.remaining());
    chunk.get(b, off, n);
    return n;
  }

  /**
   * Reads the next aligned chunk of plaintext, checks it against the record, and encrypts it in
   * place; false at the end of the source (lengths checked).
   */
  private boolean fillChunk() throws IOException, GeneralSecurityException {
    byte[] buf = chunk.array();
    int want = buf.length;
    if (expectedLength >= 0) {
      want = (int) Math.min(want, expectedLength - count);
    }
    int n = want == 0 ? 0 : source.readNBytes(buf, 0, want);
    if (n == 0) {
      if (expectedLength >= 0 && source.read() != -1) {
        throw tooLong();
      }
      end();
      return false;
    }
    record.checkAndRecord(count, buf, n); // every byte of the last chunk is handed out: count
    encrypt(buf, 0, n);
    chunk.limit(n).position(0);
    return true;
  }

  /** Encrypts {@code b[off, off + n)} in place. */
  private void encrypt(byte[] b, int off, int n) throws IOException, GeneralSecurityException {
    int out = cipher.update(b, off, n, b, off);
    if (out != n) {
      throw new IOException("CTR cipher returned " + out + " bytes for " + n);
    }
  }

  /** The source ended after {@link #count} bytes: finishes the cipher and checks the length. */
  private void end() throws IOException, GeneralSecurityException {
    cipher.doFinal();
    if (expectedLength >= 0 && count != expectedLength) {
      throw new IOException("source ended after " + count + " bytes, expected " + expectedLength);
    }
    eof = true;
  }

  private IOException tooLong() {
    return new IOException("source is longer than the expected " + expectedLength + " bytes");
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
