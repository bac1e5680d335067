package dev.osscse.bench;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
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

  /**
   * Checks that a provider's {@code AES/CTR/NoPadding} matches SunJCE's on one buffer fed in uneven
   * chunks, so that no benchmark times a broken cipher.
   *
   * @throws IllegalStateException if the outputs differ
   */
  static void checkCtrAgainstSunJce(Provider provider) throws GeneralSecurityException {
    SecretKeySpec key = aesKey(11);
    IvParameterSpec iv = new IvParameterSpec(iv(12));
    byte[] plain = bytes(13, 5000);
    Cipher reference = Cipher.getInstance(AES_CTR, Providers.named(Providers.SUN_JCE));
    reference.init(Cipher.ENCRYPT_MODE, key, iv);
    byte[] expected = reference.doFinal(plain);
    Cipher cipher = Cipher.getInstance(AES_CTR, provider);
    cipher.init(Cipher.ENCRYPT_MODE, key, iv);
    byte[] actual = new byte[plain.length];
    int in = 0;
    int out = 0;
    for (int chunk : new int[] {1, 15, 17, 4000, 967}) {
      // A provider may hold back a partial block (BC does): output can lag input.
      out += cipher.update(plain, in, chunk, actual, out);
      in += chunk;
    }
    out += cipher.doFinal(actual, out);
    if (out != plain.length || !Arrays.equals(expected, actual)) {
      throw new IllegalStateException(
          provider.getName() + " AES/CTR/NoPadding output differs from SunJCE's");
    }
  }
}
