package dev.osscse.provider.internal.wrap;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * RSAES-OAEP encoding (RFC 8017 section 7.1) with one digest for both the label hash and MGF1.
 *
 * <p>{@link #unpad} checks the encoding without data-dependent branches and returns only a start
 * index or {@code -1}. Instances are not thread-safe (they hold a {@link MessageDigest}).
 */
final class OaepPadding implements RsaEncoding {
  private final MessageDigest digest;
  private final int hLen;
  private final byte[] labelHash;

  OaepPadding(MessageDigest digest, byte[] label) {
    this.digest = digest;
    this.hLen = digest.getDigestLength();
    digest.reset();
    this.labelHash = digest.digest(label);
  }

  /** Largest message for a modulus of {@code k} bytes; negative if the modulus is too small. */
  @Override
  public int maxMessageLength(int k) {
    return k - 2 * hLen - 2;
  }

  /** Encodes {@code message} into a {@code k}-byte block; the caller checks the length first. */
  @Override
  public byte[] pad(byte[] message, int k, SecureRandom random) {
    byte[] em = new byte[k];
    int dbLen = k - hLen - 1;
    // DB = lHash || PS || 01 || M, placed at em[hLen + 1 ..].
    int db = hLen + 1;
    System.arraycopy(labelHash, 0, em, db, hLen);
    em[k - message.length - 1] = 1;
    System.arraycopy(message, 0, em, k - message.length, message.length);
    byte[] seed = new byte[hLen];
    random.nextBytes(seed);
    System.arraycopy(seed, 0, em, 1, hLen);
    mgf1Xor(em, 1, hLen, em, db, dbLen); // maskedDB = DB xor MGF(seed)
    mgf1Xor(em, db, dbLen, em, 1, hLen); // maskedSeed = seed xor MGF(maskedDB)
    Arrays.fill(seed, (byte) 0);
    return em;
  }

  /**
   * Decodes in place and checks the encoding in constant time.
   *
   * @param em the {@code k}-byte decrypted block; overwritten with seed and DB
   * @return the index in {@code em} of the first message byte, or {@code -1} if invalid
   */
  @Override
  public int unpad(byte[] em) {
    int k = em.length;
    int dbLen = k - hLen - 1;
    int db = hLen + 1;
    int good = ConstantTime.equal(em[0] & 0xff, 0);
    mgf1Xor(em, db, dbLen, em, 1, hLen); // seed
    mgf1Xor(em, 1, hLen, em, db, dbLen); // DB
    good &= ConstantTime.bytesEqual(em, db, labelHash, 0, hLen);
    int lookingForOne = ConstantTime.TRUE;
    int oneIndex = 0;
    int invalid = 0;
    for (int i = db + hLen; i < k; i++) {
      int b = em[i] & 0xff;
      int isOne = ConstantTime.equal(b, 1);
      int isZero = ConstantTime.isZero(b);
      oneIndex = ConstantTime.select(lookingForOne & isOne, i, oneIndex);
      invalid |= lookingForOne & ~isOne & ~isZero;
      lookingForOne &= ~isOne;
    }
    good &= ~invalid & ~lookingForOne;
    return ConstantTime.select(good, oneIndex + 1, -1);
  }

  /** XORs MGF1(seed[seedOff, seedOff + seedLen)) into out[outOff, outOff + outLen). */
  private void mgf1Xor(byte[] seed, int seedOff, int seedLen, byte[] out, int outOff, int outLen) {
    byte[] counter = new byte[4];
    byte[] block = new byte[hLen];
    int done = 0;
    int c = 0;
    while (done < outLen) {
      counter[0] = (byte) (c >>> 24);
      counter[1] = (byte) (c >>> 16);
      counter[2] = (byte) (c >>> 8);
      counter[3] = (byte) c;
      digest.update(seed, seedOff, seedLen);
      digest.update(counter);
      try {
        digest.digest(block, 0, hLen);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException("MGF1 digest output of " + hLen + " bytes refused", e);
      }
      int n = Math.min(hLen, outLen - done);
      for (int i = 0; i < n; i++) {
        out[outOff + done + i] ^= block[i];
      }
      done += n;
      c++;
    }
    Arrays.fill(block, (byte) 0);
  }
}
