package dev.osscse.oss.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What an encrypting stream has encrypted at each offset of one keystream range (a part, or a
 * single PutObject): a truncated SHA-256 per aligned chunk of plaintext. A later attempt over the
 * same range (a retry) checks each chunk against it <em>before</em> encrypting the chunk, so
 * different plaintext is never encrypted under keystream that already went out.
 *
 * <p>Chunks are {@link #chunkSize()} bytes from the start of the range; the last one an attempt
 * encrypted may be shorter, and a later attempt must then agree on that prefix. 16 bytes are kept
 * per chunk (at most about 5,000 chunks for the largest part). Thread-safe.
 */
public final class PlaintextRecord {
  private static final int MIN_CHUNK = 64 * 1024;
  private static final int MAX_CHUNK = 1 << 20;
  private static final int TARGET_CHUNKS = 64;
  private static final int KEPT = 16;

  private final int chunkSize;
  private final Map<Integer, Seen> seen = new HashMap<>(); // by chunk index
  private final MessageDigest sha;

  /** The kept digest of the first {@code length} bytes of a chunk. */
  private record Seen(byte[] digest, int length) {}

  /**
   * @param length the plaintext length of the range when known, else -1 (chooses the chunk size:
   *     about 64 chunks, from 64 KiB to 1 MiB)
   */
  public PlaintextRecord(long length) {
    long c = length <= 0 ? MIN_CHUNK : (length / TARGET_CHUNKS + 15) / 16 * 16;
    this.chunkSize = (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, c));
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }

  /** The chunk size: an encrypting stream reads and checks this many bytes at a time. */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * Checks a chunk about to be encrypted against what an earlier attempt encrypted at the same
   * offset, then records it.
   *
   * @param offset the chunk's offset in the range, a multiple of {@link #chunkSize()}
   * @param length its length, at most the chunk size (shorter only at the end of the source)
   * @throws PlaintextChangedException if an earlier attempt encrypted other bytes there
   */
  public synchronized void checkAndRecord(long offset, byte[] chunk, int length)
      throws PlaintextChangedException {
    if (offset % chunkSize != 0 || length < 0 || length > chunkSize) {
      throw new IllegalArgumentException("chunk not aligned: " + offset + "+" + length);
    }
    int index = Math.toIntExact(offset / chunkSize);
    Seen before = seen.get(index);
    if (before != null) {
      int beforeLength = before.length();
      if (length < beforeLength) {
        throw new PlaintextChangedException(
            "the source is shorter than an earlier attempt read: %d bytes, was at least %d"
                .formatted(offset + length, offset + beforeLength));
      }
      if (!MessageDigest.isEqual(before.digest(), digest(chunk, beforeLength))) {
        throw new PlaintextChangedException(
            "the source changed since an earlier attempt encrypted it (at bytes %d..%d)"
                .formatted(offset, offset + beforeLength));
      }
    }
    if (before == null || length > before.length()) {
      seen.put(index, new Seen(digest(chunk, length), length));
    }
  }

  /**
   * Checks and records a whole range read from its first byte, chunk by chunk as an encrypting
   * stream reads it (for bytes already sent unhashed, so later attempts are checked against them).
   */
  public void checkAndRecord(InputStream range) throws IOException {
    byte[] chunk = new byte[chunkSize];
    long offset = 0;
    for (int n; (n = range.readNBytes(chunk, 0, chunkSize)) > 0; offset += n) {
      checkAndRecord(offset, chunk, n);
    }
  }

  private byte[] digest(byte[] chunk, int length) {
    sha.reset();
    sha.update(chunk, 0, length);
    return Arrays.copyOf(sha.digest(), KEPT);
  }
}
