package dev.osscse.provider;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;

/**
 * Parameters for {@code AES/CTR/NoPadding} that start the keystream at any byte offset.
 *
 * <p><b>What it is.</b> A 16-byte initial counter block (the IV) and a byte offset into the
 * keystream. The counter for byte {@code b} is {@code IV + floor(b / 16)} as one 128-bit big-endian
 * integer; a cipher initialised with this spec produces the keystream from byte {@code byteOffset}
 * on, in constant time whatever the offset. {@code new CtrParameterSpec(iv, 0)} is the same as
 * {@code new IvParameterSpec(iv)}.
 *
 * <p><b>Security guarantees.</b> None beyond those of CTR mode: seeking does not authenticate
 * anything. Never reuse an IV under one key for two different plaintexts.
 *
 * <p><b>Restrictions.</b> The IV must be exactly 16 bytes and the offset non-negative; the cipher
 * refuses an offset whose counter would pass {@code 2^128 - 1}.
 *
 * <pre>{@code
 * Cipher c = Cipher.getInstance("AES/CTR/NoPadding", "OssCse");
 * c.init(Cipher.DECRYPT_MODE, key, new CtrParameterSpec(iv, 1_000_003L));
 * byte[] plain = c.doFinal(ciphertextFromOffset);
 * }</pre>
 */
public final class CtrParameterSpec implements AlgorithmParameterSpec {
  /** The AES block size, which is also the IV length. */
  public static final int BLOCK_SIZE = 16;

  private final byte[] iv;
  private final long byteOffset;

  /**
   * Creates a spec.
   *
   * @param iv the 16-byte initial counter block; copied
   * @param byteOffset the keystream byte to start at, {@code >= 0}
   * @throws IllegalArgumentException if the IV is not 16 bytes or the offset is negative
   */
  public CtrParameterSpec(byte[] iv, long byteOffset) {
    if (iv == null || iv.length != BLOCK_SIZE) {
      throw new IllegalArgumentException(
          "IV must be 16 bytes, got " + (iv == null ? "null" : iv.length + " bytes"));
    }
    if (byteOffset < 0) {
      throw new IllegalArgumentException("byteOffset must be >= 0, got " + byteOffset);
    }
    this.iv = iv.clone();
    this.byteOffset = byteOffset;
  }

  /** Returns a copy of the 16-byte initial counter block. */
  public byte[] getIV() {
    return iv.clone();
  }

  /**
   * Returns the spec's own IV array, without a copy, for the cipher in this package, which never
   * modifies it or lets it out.
   */
  byte[] ivNoCopy() {
    return iv;
  }

  /** Returns the keystream byte offset the cipher starts at. */
  public long getByteOffset() {
    return byteOffset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CtrParameterSpec other
        && byteOffset == other.byteOffset
        && Arrays.equals(iv, other.iv);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(iv) + Long.hashCode(byteOffset);
  }

  @Override
  public String toString() {
    return "CtrParameterSpec[byteOffset=" + byteOffset + "]";
  }
}
