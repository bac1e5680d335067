package dev.osscse.bench;

import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;

/** Deterministic keys, IVs and buffers for the benchmarks (benchmark data, not secrets). */
final class Fixtures {
  static final String AES_CTR = "AES/CTR/NoPadding";

  private Fixtures() {}

  static byte[] bytes(long seed, int length) {
    byte[] b = new byte[length];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static SecretKeySpec aesKey(long seed) {
    return new SecretKeySpec(bytes(seed, 32), "AES");
  }

  /**
   * Returns a 16-byte IV whose counter will not wrap within the benchmarks: the low eight bytes are
   * zero, as in the OSS format, where the SDKs zero the low half before use.
   */
  static byte[] iv(long seed) {
    byte[] iv = bytes(seed, 16);
    for (int i = 8; i < 16; i++) {
      iv[i] = 0;
    }
    return iv;
  }

  /**
   * Writes {@code iv + blocks} (one 128-bit big-endian integer, modulo 2^128) into {@code out}.
   * This is the block-aligned counter a caller without a seekable spec has to compute.
   */
  static void addBlocks(byte[] iv, long blocks, byte[] out) {
    long carry = blocks;
    for (int i = 15; i >= 0; i--) {
      long sum = (iv[i] & 0xFF) + (carry & 0xFF);
      out[i] = (byte) sum;
      carry = (carry >>> 8) + (sum >>> 8);
    }
  }
}
