package dev.osscse.oss;

import dev.osscse.provider.CtrParameterSpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * The unwrapped content key of one object: the AES-256 CEK and the 16-byte initial counter block.
 *
 * <p><b>What it is.</b> The secret half of an envelope, produced by {@link EnvelopeCrypto}. It
 * makes {@code AES/CTR/NoPadding} ciphers positioned at any byte offset of the object through the
 * configured provider ({@link CtrParameterSpec}), which is what ranged reads and multipart parts
 * need: part {@code n} starts at offset {@code (n - 1) * partSize}.
 *
 * <p><b>Security guarantees.</b> CTR gives confidentiality only, no integrity. The key bytes never
 * leave this object except into the cipher; {@link #toString()} shows nothing secret; {@link
 * #destroy()} zeroes them.
 *
 * <p><b>Restrictions.</b> Never encrypt two different plaintexts at the same offset with one
 * content key. Not thread-safe against concurrent {@link #destroy()}.
 */
public final class ContentKey implements Destroyable {
  /** The content cipher transformation. */
  public static final String TRANSFORMATION = Envelope.CEK_ALGORITHM;

  private final byte[] cek;
  private final byte[] iv;
  private final Provider provider;
  private volatile boolean destroyed;

  ContentKey(byte[] cek, byte[] iv, Provider provider) {
    if (cek.length != 16 && cek.length != 24 && cek.length != 32) {
      throw new IllegalArgumentException("CEK must be 16, 24 or 32 bytes, got " + cek.length);
    }
    if (iv.length != CtrParameterSpec.BLOCK_SIZE) {
      throw new IllegalArgumentException("IV must be 16 bytes, got " + iv.length);
    }
    this.cek = cek.clone();
    this.iv = iv.clone();
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  /**
   * Returns a fresh {@code AES/CTR/NoPadding} cipher from the configured provider whose keystream
   * starts at {@code byteOffset} of the object.
   *
   * @param mode {@link Cipher#ENCRYPT_MODE} or {@link Cipher#DECRYPT_MODE}
   * @param byteOffset the object byte the first processed byte corresponds to, {@code >= 0}
   */
  public Cipher newCipher(int mode, long byteOffset) throws GeneralSecurityException {
    if (destroyed) {
      throw new IllegalStateException("content key destroyed");
    }
    Cipher c = Cipher.getInstance(TRANSFORMATION, provider);
    c.init(mode, new SecretKeySpec(cek, "AES"), new CtrParameterSpec(iv, byteOffset));
    return c;
  }

  /** The CEK length in bytes (32 for everything the official SDKs write). */
  public int keyLength() {
    return cek.length;
  }

  /** Package access for wrapping. */
  byte[] cekBytes() {
    return cek.clone();
  }

  /** Package access for wrapping. */
  byte[] ivBytes() {
    return iv.clone();
  }

  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(cek, (byte) 0);
    Arrays.fill(iv, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "ContentKey[AES-" + (cek.length * 8) + "/CTR" + (destroyed ? ", destroyed" : "") + "]";
  }
}
