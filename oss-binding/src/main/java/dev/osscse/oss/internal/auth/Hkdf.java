package dev.osscse.oss.internal.auth;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): extract then expand. */
public final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LEN = 32;

  private Hkdf() {}

  /**
   * {@code HKDF-Expand(HKDF-Extract(salt, ikm), info, length)}.
   *
   * @param salt the salt; empty means {@code HashLen} zero bytes (RFC 5869 2.2)
   * @param length output bytes, 1..255*32
   */
  public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length)
      throws GeneralSecurityException {
    if (length < 1 || length > 255 * HASH_LEN) {
      throw new IllegalArgumentException(
          "HKDF length must be 1.." + 255 * HASH_LEN + ": " + length);
    }
    Mac mac = Mac.getInstance(HMAC);
    mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_LEN] : salt, HMAC));
    byte[] prk = mac.doFinal(ikm);
    try {
      mac.init(new SecretKeySpec(prk, HMAC));
      byte[] out = new byte[length];
      byte[] t = new byte[0];
      int done = 0;
      for (int i = 1; done < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        byte[] next = mac.doFinal();
        Arrays.fill(t, (byte) 0);
        t = next;
        int n = Math.min(t.length, length - done);
        System.arraycopy(t, 0, out, done, n);
        done += n;
      }
      Arrays.fill(t, (byte) 0);
      return out;
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }
}
