package dev.osscse.oss.internal.auth;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The tag of one chunk (docs/format.md FMT-28): AES-256-GMAC under {@code K_chunk}, that is AES-GCM
 * with an empty plaintext, the 12-byte nonce {@code 0x00000000 || uint64_be(index)}, the chunk's
 * ciphertext as the only AAD, and a 16-byte tag. The index is bound by the nonce, the chunk length
 * by GHASH's length block. The JDK runs GHASH on carry-less multiply instructions.
 *
 * <p>Use: {@link #beginTag} or {@link #beginVerify}, then {@link #update} with the chunk's bytes,
 * then {@link #tag} or {@link #verify}. Not thread-safe; one instance per stream. Verification
 * decrypts the expected tag, so the comparison is the JDK's constant-time tag check.
 */
public final class ChunkMac {
  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;

  private static final byte[] EMPTY = new byte[0];

  private final SecretKey key;
  private final Cipher gcm;
  private int mode; // 0 idle, ENCRYPT_MODE tagging, DECRYPT_MODE verifying

  ChunkMac(SecretKey key) throws GeneralSecurityException {
    this.key = key;
    this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
  }

  /** The 12-byte GCM nonce of chunk {@code index}. */
  public static byte[] nonce(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("chunk index must be >= 0: " + index);
    }
    byte[] n = new byte[12];
    for (int i = 0; i < 8; i++) {
      n[4 + i] = (byte) (index >>> (56 - 8 * i));
    }
    return n;
  }

  /** Starts computing the tag of chunk {@code index}. */
  public void beginTag(long index) throws GeneralSecurityException {
    gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce(index)));
    mode = Cipher.ENCRYPT_MODE;
  }

  /** Starts checking chunk {@code index} against a stored tag. */
  public void beginVerify(long index) throws GeneralSecurityException {
    gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce(index)));
    mode = Cipher.DECRYPT_MODE;
  }

  /** Adds chunk bytes. */
  public void update(byte[] b, int off, int len) {
    if (mode == 0) {
      throw new IllegalStateException("no chunk begun");
    }
    if (len > 0) {
      gcm.updateAAD(b, off, len);
    }
  }

  /** The 16-byte tag of the chunk begun with {@link #beginTag}. */
  public byte[] tag() throws GeneralSecurityException {
    if (mode != Cipher.ENCRYPT_MODE) {
      throw new IllegalStateException("no chunk being tagged");
    }
    mode = 0;
    return gcm.doFinal(EMPTY);
  }

  /**
   * Whether the chunk begun with {@link #beginVerify} has the tag {@code expected[off, off+16)}.
   */
  public boolean verify(byte[] expected, int off) throws GeneralSecurityException {
    if (mode != Cipher.DECRYPT_MODE) {
      throw new IllegalStateException("no chunk being verified");
    }
    mode = 0;
    try {
      gcm.doFinal(expected, off, TAG_LENGTH);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    }
  }
}
