package dev.osscse.oss.internal.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The tag of one chunk (docs/format.md FMT-28): the first 16 bytes of {@code HMAC-SHA256(K_chunk,
 * uint64_be(index) || chunk)}. The index is bound by the prefix; the chunk's length by HMAC itself
 * (a different length is a different message).
 *
 * <p>HMAC-SHA256 rather than GMAC, which the JDK accelerates only after some hundred MiB
 * (docs/authenticated-objects.md).
 *
 * <p>Use: {@link #beginTag} or {@link #beginVerify}, then {@link #update} with the chunk's bytes,
 * then {@link #tag} or {@link #verify}. Not thread-safe; one instance per stream. {@link #verify}
 * compares in constant time.
 */
public final class ChunkMac {
  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  private final Mac mac;
  private int mode; // 0 idle, 1 tagging, 2 verifying

  ChunkMac(SecretKey key) throws GeneralSecurityException {
    this.mac = Mac.getInstance("HmacSHA256");
    this.mac.init(key);
  }

  /** The 8-byte prefix of chunk {@code index}: {@code uint64_be(index)}. */
  public static byte[] prefix(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("chunk index must be >= 0: " + index);
    }
    return ByteBuffer.allocate(8).putLong(index).array();
  }

  private void begin(long index, int m) {
    mac.reset();
    mac.update(prefix(index));
    mode = m;
  }

  /** Starts computing the tag of chunk {@code index}. */
  public void beginTag(long index) {
    begin(index, 1);
  }

  /** Starts checking chunk {@code index} against a stored tag. */
  public void beginVerify(long index) {
    begin(index, 2);
  }

  /** Adds chunk bytes. */
  public void update(byte[] b, int off, int len) {
    if (mode == 0) {
      throw new IllegalStateException("no chunk begun");
    }
    mac.update(b, off, len);
  }

  /** The 16-byte tag of the chunk begun with {@link #beginTag}. */
  public byte[] tag() {
    if (mode != 1) {
      throw new IllegalStateException("no chunk being tagged");
    }
    mode = 0;
    return Arrays.copyOf(mac.doFinal(), TAG_LENGTH);
  }

  /**
   * Whether the chunk begun with {@link #beginVerify} has the tag {@code expected[off, off+16)};
   * compared in constant time.
   */
  public boolean verify(byte[] expected, int off) {
    if (mode != 2) {
      throw new IllegalStateException("no chunk being verified");
    }
    mode = 0;
    Objects.checkFromIndexSize(off, TAG_LENGTH, expected.length);
    return MessageDigest.isEqual(
        Arrays.copyOf(mac.doFinal(), TAG_LENGTH),
        Arrays.copyOfRange(expected, off, off + TAG_LENGTH));
  }
}
