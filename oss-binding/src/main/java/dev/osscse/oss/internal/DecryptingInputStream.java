package dev.osscse.oss.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.zip.Checksum;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * Decrypts an AES-CTR ciphertext body into exactly {@code length} plaintext bytes.
 *
 * <p>First {@code skip} ciphertext bytes are read and discarded (the aligned prefix); the cipher
 * must already be positioned at the object offset of the first returned byte. The stream returns
 * exactly {@code length} bytes and fails with an {@link IOException} if the body ends early. When a
 * checksum and an expected value are given (whole-object reads), the CRC-64 of every ciphertext
 * byte read is compared with it at the end, and the body must end exactly there. When the checksum
 * is the one the body itself updates (the OSS SDK's, see {@link SdkBodyCrc}), it is not fed a
 * second time; after a resume the stream feeds it itself.
 *
 * <p>Unauthenticated: CTR has no integrity; the CRC-64 only detects transport corruption of what
 * the server stored. A failure is sticky: every later read throws.
 */
public final class DecryptingInputStream extends InputStream {
  private static final int BUFFER = 64 * 1024;

  /** Called on close with {@code true} if the body was read to its end. */
  public interface CloseAction {
    /** Closes the underlying response. */
    void close(boolean complete) throws IOException;
  }

  /**
   * Re-opens a body that broke off. Implementations pause before retrying, ask for the remaining
   * ciphertext with {@code If-Match} on the first ETag, and close the broken response.
   */
  public interface Resumer {
    /**
     * Returns a new body whose first byte is ciphertext object byte {@code alignedStart} (a
     * multiple of 16).
     *
     * @param attempt 1 for the first resume of this stream
     * @throws IOException if the object cannot be read again (changed, retries used up)
     */
    InputStream reopen(long alignedStart, int attempt) throws IOException;

    /** A DECRYPT_MODE cipher whose first processed byte is object byte {@code offset}. */
    Cipher cipherAt(long offset) throws GeneralSecurityException;
  }

  private InputStream body;
  private Cipher cipher;
  private long bodyPos; // object offset of the next ciphertext byte the body delivers
  private long drop; // re-sent bytes to discard after a resume (already counted in the CRC)
  private final Resumer resumer; // may be null
  private final int maxResumes;
  private int resumes;
  private long toSkip;
  private long remaining;
  private final Checksum crc; // may be null
  private boolean bodyFeedsCrc; // the body stream updates crc as it is read
  private final Long expectedCrc; // may be null
  private final CloseAction onClose;
  private final byte[] buf = new byte[BUFFER];
  private final byte[] one = new byte[1];
  private IOException failure;
  private boolean finished;
  private boolean closed;

  /**
   * Creates the stream.
   *
   * @param body the ciphertext response body
   * @param cipher a CTR cipher in DECRYPT_MODE positioned at the first returned byte, or null to
   *     return the body bytes as they are (a plaintext object the caller allowed)
   * @param skip ciphertext bytes to discard first
   * @param length exact plaintext bytes to return
   * @param crc a CRC-64 checksum fed with every ciphertext byte, or null
   * @param expectedCrc the server's whole-object CRC-64 to compare at the end, or null
   * @param onClose closes the response
   */
  public DecryptingInputStream(
      InputStream body,
      Cipher cipher,
      long skip,
      long length,
      Checksum crc,
      Long expectedCrc,
      CloseAction onClose) {
    this(body, cipher, skip, length, crc, expectedCrc, onClose, 0, null, 0);
  }

  /**
   * Creates a stream that resumes a body that breaks off (an I/O error or an early end): it asks
   * {@code resumer} for the rest from the current position aligned down to 16, drops the bytes
   * already read, and continues with a cipher positioned at the next byte. The running CRC-64
   * covers each ciphertext byte once. At most {@code maxResumes} resumes.
   *
   * @param bodyStart object offset of the body's first ciphertext byte
   */
  public DecryptingInputStream(
      InputStream body,
      Cipher cipher,
      long skip,
      long length,
      Checksum crc,
      Long expectedCrc,
      CloseAction onClose,
      long bodyStart,
      Resumer resumer,
      int maxResumes) {
    if (bodyStart < 0 || maxResumes < 0) {
      throw new IllegalArgumentException("bodyStart and maxResumes must be >= 0");
    }
    this.bodyPos = bodyStart;
    this.resumer = resumer;
    this.maxResumes = maxResumes;
    if (skip < 0 || length < 0) {
      throw new IllegalArgumentException("skip and length must be >= 0");
    }
    this.body = Objects.requireNonNull(body, "body");
    this.cipher = cipher;
    this.toSkip = skip;
    this.remaining = length;
    this.crc = crc;
    this.bodyFeedsCrc = crc != null && SdkBodyCrc.of(body) == crc;
    this.expectedCrc = expectedCrc;
    this.onClose = Objects.requireNonNull(onClose, "onClose");
  }

  /** Plaintext bytes still to be returned. */
  public long remaining() {
    return remaining;
  }

  @Override
  public int read() throws IOException {
    int n;
    do {
      n = read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream closed");
    }
    if (failure != null) {
      throw new IOException("decrypting stream failed earlier", failure);
    }
    if (len == 0) {
      return 0;
    }
    try {
      skipPrefix();
      if (remaining == 0) {
        finish();
        return -1;
      }
      int want = (int) Math.min(Math.min(len, buf.length), remaining);
      int n = readBody(want);
      if (crc != null && !bodyFeedsCrc) {
        crc.update(buf, 0, n);
      }
      if (cipher == null) {
        System.arraycopy(buf, 0, b, off, n);
      } else {
        int out = cipher.update(buf, 0, n, b, off);
        if (out != n) {
          throw new IOException("CTR cipher returned " + out + " bytes for " + n);
        }
      }
      remaining -= n;
      if (remaining == 0) {
        finish();
      }
      return n;
    } catch (IOException e) {
      failure = e;
      throw e;
    } catch (ShortBufferException e) {
      failure = new IOException("decryption failed", e);
      throw failure;
    }
  }

  private void skipPrefix() throws IOException {
    while (toSkip > 0) {
      int n = readBody((int) Math.min(buf.length, toSkip));
      if (crc != null && !bodyFeedsCrc) {
        crc.update(buf, 0, n);
      }
      toSkip -= n;
    }
  }

  /**
   * Reads 1..want new ciphertext bytes into {@code buf}, resuming the body when it breaks off.
   * Never returns -1: an early end is a broken body.
   */
  private int readBody(int want) throws IOException {
    while (true) {
      try {
        while (drop > 0) {
          int d = body.read(buf, 0, (int) Math.min(buf.length, drop));
          if (d < 0) {
            throw new IOException("response body ended " + drop + " bytes into a resumed reply");
          }
          drop -= d;
        }
        int n = body.read(buf, 0, want);
        if (n < 0) {
          throw new IOException("response body ended " + (toSkip + remaining) + " bytes early");
        }
        bodyPos += n;
        return n;
      } catch (IOException e) {
        if (resumer == null || resumes >= maxResumes) {
          throw e;
        }
        resume(e);
      }
    }
  }

  private void resume(IOException cause) throws IOException {
    resumes++;
    long aligned = bodyPos - (bodyPos % RangePlan.BLOCK);
    InputStream next;
    try {
      next = resumer.reopen(aligned, resumes);
    } catch (IOException e) {
      e.addSuppressed(cause);
      throw e;
    }
    body = next;
    drop = bodyPos - aligned;
    // The old body's checksum covers every byte up to bodyPos; from here on this stream feeds it.
    bodyFeedsCrc = false;
    if (cipher != null) {
      try {
        cipher = resumer.cipherAt(bodyPos + toSkip);
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
    try {
      if (cipher != null) {
        cipher.doFinal();
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("decryption failed", e);
    }
    if (expectedCrc != null && crc != null) {
      if (body.read() != -1) {
        throw new IOException("response body is longer than the object");
      }
      if (crc.getValue() != expectedCrc) {
        throw new IOException(
            "CRC-64 of the received ciphertext does not match the server's x-oss-hash-crc64ecma");
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    onClose.close(finished && failure == null);
  }
}
