package dev.osscse.provider;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Reference AES-CTR from a second provider: SunJCE or Bouncy Castle (an instance, never installed).
 * The counter for a byte offset is computed with {@link BigInteger}, independently of the code
 * under test.
 */
final class CtrOracle {
  static final Provider SUN_JCE = Security.getProvider("SunJCE");
  static final Provider BC = new BouncyCastleProvider();
  private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

  private CtrOracle() {}

  /** Keystream bytes available from the IV before the counter passes 2^128 - 1 (as BigInteger). */
  static BigInteger limit(byte[] iv) {
    return TWO_128.subtract(new BigInteger(1, iv)).shiftLeft(4);
  }

  /** IV + blocks as 16 bytes, modulo 2^128. */
  static byte[] counterAt(byte[] iv, long blocks) {
    byte[] raw = new BigInteger(1, iv).add(BigInteger.valueOf(blocks)).mod(TWO_128).toByteArray();
    byte[] out = new byte[16];
    int n = Math.min(raw.length, 16);
    System.arraycopy(raw, raw.length - n, out, 16 - n, n);
    return out;
  }

  /** Encrypts data as if it sat at keystream byte {@code offset} under the IV. */
  static byte[] encryptAt(Provider p, byte[] key, byte[] iv, long offset, byte[] data)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", p);
    c.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new IvParameterSpec(counterAt(iv, offset >>> 4)));
    int skip = (int) (offset & 15);
    byte[] padded = new byte[skip + data.length];
    System.arraycopy(data, 0, padded, skip, data.length);
    byte[] out = c.doFinal(padded);
    return Arrays.copyOfRange(out, skip, out.length);
  }
}
