package dev.osscse.provider.internal.wrap;

import java.security.SecureRandom;

/**
 * RSAES-PKCS1-v1_5 encoding (RFC 8017 section 7.2): {@code 00 || 02 || PS || 00 || M}, PS at least
 * eight random non-zero bytes.
 *
 * <p>{@link #unpad} checks the padding without data-dependent branches and returns only a start
 * index or {@code -1}, so that callers can turn every failure into one exception thrown from one
 * place.
 */
public final class Pkcs1V15Padding implements RsaEncoding {
  public static final Pkcs1V15Padding INSTANCE = new Pkcs1V15Padding();

  /** Minimum length of the padding string PS. */
  static final int MIN_PS_LENGTH = 8;

  /** Bytes of overhead: {@code 00 02}, PS, {@code 00}. */
  static final int OVERHEAD = 3 + MIN_PS_LENGTH;

  private Pkcs1V15Padding() {}

  /** Largest message for a modulus of {@code k} bytes. */
  @Override
  public int maxMessageLength(int k) {
    return k - OVERHEAD;
  }

  /** Encodes {@code message} into a {@code k}-byte block; the caller checks the length first. */
  @Override
  public byte[] pad(byte[] message, int k, SecureRandom random) {
    byte[] em = new byte[k];
    int psLength = k - 3 - message.length;
    em[0] = 0;
    em[1] = 2;
    byte[] one = new byte[1];
    for (int i = 2; i < 2 + psLength; i++) {
      byte b;
      do {
        random.nextBytes(one);
        b = one[0];
      } while (b == 0);
      em[i] = b;
    }
    em[2 + psLength] = 0;
    System.arraycopy(message, 0, em, 3 + psLength, message.length);
    return em;
  }

  /**
   * Checks the encoding in constant time.
   *
   * @param em the {@code k}-byte decrypted block (public length)
   * @return the index of the first message byte, or {@code -1} if the padding is invalid
   */
  @Override
  public int unpad(byte[] em) {
    int k = em.length;
    int good = ConstantTime.equal(em[0] & 0xff, 0) & ConstantTime.equal(em[1] & 0xff, 2);
    int lookingForZero = ConstantTime.TRUE;
    int zeroIndex = 0;
    for (int i = 2; i < k; i++) {
      int isZero = ConstantTime.isZero(em[i] & 0xff);
      zeroIndex = ConstantTime.select(lookingForZero & isZero, i, zeroIndex);
      lookingForZero &= ~isZero;
    }
    good &= ~lookingForZero;
    // PS occupies em[2 .. zeroIndex - 1] and must have at least eight bytes.
    good &= ~ConstantTime.lessThan(zeroIndex, 2 + MIN_PS_LENGTH);
    return ConstantTime.select(good, zeroIndex + 1, -1);
  }
}
