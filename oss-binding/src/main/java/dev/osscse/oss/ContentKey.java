package dev.osscse.oss;

import dev.osscse.provider.CtrParameterSpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * The unwrapped content key of one object: the AES-256 CEK and the 16-byte initial counter block.
 *
 * <p><b>What it is.</b> The secret half of an envelope, produced by {@link EnvelopeCrypto}. It
 * makes {@code AES/CTR/NoPadding} ciphers positioned at any byte offset of the object (a range, a
 * part) through the configured provider ({@link CtrParameterSpec}).
 *
 * <p><b>Security guarantees.</b> CTR gives confidentiality only, no integrity. The key bytes never
 * leave this object except into the cipher; {@link #toString()} shows nothing secret; {@link
 * #destroy()} zeroes them.
 *
 * <p><b>Restrictions.</b> Never encrypt two different plaintexts at the same offset with one
 * content key. Thread-safe: {@link #newCipher} and {@link #destroy()} are serialised (a read-write
 * lock), so a cipher is built either wholly before the destroy, under the real key, or not at all
 * ({@link IllegalStateException}); never from half-zeroed bytes.
 */
public final class ContentKey implements Destroyable {
  /** The content cipher transformation. */
  public static final String TRANSFORMATION = Envelope.CEK_ALGORITHM;

  private final byte[] cek;
  private final byte[] iv;
  private final Provider provider;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
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
   * @throws IllegalStateException if the key is destroyed (also when {@link #destroy()} runs on
   *     another thread first)
   */
  public Cipher newCipher(int mode, long byteOffset) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(TRANSFORMATION, provider);
    lock.readLock().lock();
    try {
      checkNotDestroyed();
      c.init(mode, new SecretKeySpec(cek, "AES"), new CtrParameterSpec(iv, byteOffset));
    } finally {
      lock.readLock().unlock();
    }
    return c;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("content key destroyed");
    }
  }

  /** What is made from the raw CEK and IV: a wrap, a derivation, a commitment, a cached copy. */
  interface BytesUse<T, E extends Exception> {
    T apply(byte[] cek, byte[] iv) throws E;
  }

  /**
   * Applies {@code use} to copies of the CEK and IV, zeroed when it returns; refused once
   * destroyed.
   */
  <T, E extends Exception> T withBytes(BytesUse<T, E> use) throws E {
    byte[] c;
    byte[] i;
    lock.readLock().lock();
    try {
      checkNotDestroyed();
      c = cek.clone();
      i = iv.clone();
    } finally {
      lock.readLock().unlock();
    }
    try {
      return use.apply(c, i);
    } finally {
      Arrays.fill(c, (byte) 0);
      Arrays.fill(i, (byte) 0);
    }
  }

  /** Zeroes the key and IV once every cipher being built on another thread is built. */
  @Override
  public void destroy() {
    lock.writeLock().lock();
    try {
      destroyed = true;
      Arrays.fill(cek, (byte) 0);
      Arrays.fill(iv, (byte) 0);
    } finally {
      lock.writeLock().unlock();
    }
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
