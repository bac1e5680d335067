package dev.osscse.provider.internal.ctr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counter-block arithmetic for CTR mode with a full 16-byte counter.
 *
 * <p>The counter block for keystream byte {@code b} is {@code IV + floor(b / 16)}, where the IV is
 * read as one unsigned 128-bit big-endian integer and the addition carries across all 16 bytes. The
 * counter never wraps: a position whose counter would pass {@code 2^128 - 1} is out of range. Byte
 * positions are {@code long}s, so the usable keystream is also capped at {@code 2^63 - 1} bytes.
 */
public final class CtrCounter {
  /** The block size and counter length in bytes. */
  public static final int BLOCK_SIZE = 16;

  private CtrCounter() {}

  /**
   * Returns the counter block {@code iv + blocks}.
   *
   * @param iv the 16-byte initial counter block (not modified)
   * @param blocks how many blocks to advance, {@code >= 0}
   * @throws IllegalStateException if the sum passes {@code 2^128 - 1}
   */
  public static byte[] add(byte[] iv, long blocks) {
    byte[] out = new byte[BLOCK_SIZE];
    addInto(iv, blocks, out);
    return out;
  }

  /**
   * Writes the counter block {@code iv + blocks} into {@code out} (16 bytes; may be {@code iv}).
   *
   * @throws IllegalStateException if the sum passes {@code 2^128 - 1}; {@code out} is unchanged
   */
  public static void addInto(byte[] iv, long blocks, byte[] out) {
    checkIv(iv);
    checkIv(out);
    if (blocks < 0) {
      throw new IllegalArgumentException("blocks must be >= 0, got " + blocks);
    }
    long hi = readLong(iv, 0);
    long lo = readLong(iv, 8);
    long newLo = lo + blocks;
    // Unsigned carry out of the low 64 bits.
    if (Long.compareUnsigned(newLo, lo) < 0) {
      if (hi == -1L) {
        throw new IllegalStateException("CTR counter would pass 2^128 - 1");
      }
      hi++;
    }
    writeLong(out, 0, hi);
    writeLong(out, 8, newLo);
  }

  /**
   * Returns how many keystream bytes the IV allows: {@code (2^128 - iv) * 16}, capped at {@link
   * Long#MAX_VALUE}. Byte positions {@code 0 <= b < limit} are in range.
   */
  public static long keystreamLimit(byte[] iv) {
    checkIv(iv);
    long hi = readLong(iv, 0);
    long lo = readLong(iv, 8);
    if (hi != -1L || lo == 0L) {
      return Long.MAX_VALUE; // at least 2^64 blocks remain
    }
    long blocksLeft = -lo; // 2^64 - lo, as unsigned, in [1, 2^64 - 1]
    if (Long.compareUnsigned(blocksLeft, Long.MAX_VALUE / BLOCK_SIZE) > 0) {
      return Long.MAX_VALUE;
    }
    return blocksLeft * BLOCK_SIZE;
  }

  private static void checkIv(byte[] iv) {
    if (iv.length != BLOCK_SIZE) {
      throw new IllegalArgumentException("IV must be 16 bytes, got " + iv.length);
    }
  }

  // Big-endian 8-byte view: one load or store instead of a byte loop (a seek reads the IV twice
  // and writes one counter block).
  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static long readLong(byte[] b, int off) {
    return (long) BIG_ENDIAN_LONGS.get(b, off);
  }

  private static void writeLong(byte[] b, int off, long v) {
    BIG_ENDIAN_LONGS.set(b, off, v);
  }
}
