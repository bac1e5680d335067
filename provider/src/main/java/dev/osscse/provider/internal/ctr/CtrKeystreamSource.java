package dev.osscse.provider.internal.ctr;

import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * A raw CTR keystream generator over some block cipher, positioned at a counter block.
 *
 * <p>Implementations do no range checks and no buffering; {@link AesCtrEngine} does both. The
 * counter increments as a 128-bit big-endian integer; whatever the implementation does past {@code
 * 2^128 - 1} is never used, because the engine refuses such positions first.
 */
public interface CtrKeystreamSource {
  /**
   * Keys the source and positions it at the start of {@code counterBlock} (16 bytes). Neither array
   * is kept: the caller may reuse both after the call.
   */
  void init(byte[] key, byte[] counterBlock);

  /**
   * Keys the source with an AES key object and positions it as {@link #init(byte[], byte[])} does.
   * The key is immutable, so the source may keep it; it checks the key itself. By default the key's
   * bytes are copied out, checked, handed to {@link #init(byte[], byte[])} and zeroed.
   *
   * @throws InvalidKeyException if the key is not an AES key of 16, 24 or 32 bytes; the source must
   *     be keyed again before further use then
   */
  default void init(SecretKeySpec key, byte[] counterBlock) throws InvalidKeyException {
    String alg = key.getAlgorithm();
    if (!alg.equalsIgnoreCase("AES") && !alg.equalsIgnoreCase("Rijndael")) {
      throw new InvalidKeyException("Wrong algorithm: AES or Rijndael required");
    }
    byte[] raw = key.getEncoded();
    try {
      if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
        throw new InvalidKeyException("Invalid AES key length: " + raw.length + " bytes");
      }
      init(raw, counterBlock);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * Positions the source at the start of {@code counterBlock} under the key of the last init; the
   * array is not kept.
   */
  void restart(byte[] counterBlock);

  /**
   * Returns to the start of the counter block given to the last {@link #init} or {@link #restart}.
   */
  void rewind();

  /**
   * Writes {@code src XOR keystream} for the next {@code len} keystream bytes into {@code dst} and
   * advances by {@code len} bytes. The ranges must not overlap unless they are identical arrays at
   * identical offsets and the implementation says it supports that; {@link AesCtrEngine} never
   * passes overlapping ranges.
   */
  void xor(byte[] src, int srcOff, int len, byte[] dst, int dstOff);
}
