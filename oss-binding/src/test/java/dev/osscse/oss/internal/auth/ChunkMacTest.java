package dev.osscse.oss.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * FMT-28 chunk tags: a NIST GCM known answer, and a second oracle (GHASH written out from NIST SP
 * 800-38D, Algorithm 1, over AES-ECB) that every tag must equal, for random keys, indices and chunk
 * contents fed in random pieces.
 */
class ChunkMacTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void tag_nistGcmCase13_emptyChunkZeroKeyIndex0_matches() throws Exception {
    // GCM test case 13 (AES-256, K = 0, IV = 0^96, P and A empty): T =
    // 530f8afbc74536b9a963b4f1c4cb738b
    ChunkMac mac = new ChunkMac(new SecretKeySpec(new byte[32], "AES"));
    mac.beginTag(0);
    assertThat(HEX.formatHex(mac.tag())).isEqualTo("530f8afbc74536b9a963b4f1c4cb738b");
  }

  @Test
  void nonce_isFourZeroBytesThenBigEndianIndex() {
    assertThat(HEX.formatHex(ChunkMac.nonce(0x0102030405060708L)))
        .isEqualTo("000000000102030405060708");
  }

  @Property(tries = 60)
  void tag_equalsReferenceGmac_andVerifies(
      @ForAll @Size(32) byte[] key,
      @ForAll @LongRange(min = 0, max = 1L << 22) long index,
      @ForAll @Size(max = 3000) byte[] chunk,
      @ForAll @IntRange(min = 1, max = 700) int piece)
      throws Exception {
    ChunkMac mac = new ChunkMac(new SecretKeySpec(key, "AES"));
    mac.beginTag(index);
    for (int o = 0; o < chunk.length; o += piece) {
      mac.update(chunk, o, Math.min(piece, chunk.length - o));
    }
    byte[] tag = mac.tag();
    assertThat(tag).isEqualTo(referenceGmac(key, ChunkMac.nonce(index), chunk));

    mac.beginVerify(index);
    mac.update(chunk, 0, chunk.length);
    assertThat(mac.verify(tag, 0)).isTrue();
    if (chunk.length > 0) {
      chunk[(int) (index % chunk.length)] ^= 1;
      mac.beginVerify(index);
      mac.update(chunk, 0, chunk.length);
      assertThat(mac.verify(tag, 0)).isFalse();
      chunk[(int) (index % chunk.length)] ^= 1;
    }
    mac.beginVerify(index + 1);
    mac.update(chunk, 0, chunk.length);
    assertThat(mac.verify(tag, 0)).as("another index").isFalse();
  }

  /** GMAC from first principles: T = E_K(J0) xor GHASH_H(A || 0-pad || len(A) || len(C) = 0). */
  static byte[] referenceGmac(byte[] key, byte[] nonce, byte[] aad) throws Exception {
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    byte[] h = ecb.doFinal(new byte[16]);
    long hHi = ByteBuffer.wrap(h).getLong(0);
    long hLo = ByteBuffer.wrap(h).getLong(8);
    long yHi = 0;
    long yLo = 0;
    int blocks = (aad.length + 15) / 16;
    for (int b = 0; b <= blocks; b++) {
      byte[] x = new byte[16];
      if (b < blocks) {
        System.arraycopy(aad, b * 16, x, 0, Math.min(16, aad.length - b * 16));
      } else {
        ByteBuffer.wrap(x).putLong(0, aad.length * 8L).putLong(8, 0);
      }
      yHi ^= ByteBuffer.wrap(x).getLong(0);
      yLo ^= ByteBuffer.wrap(x).getLong(8);
      long[] z = multiply(yHi, yLo, hHi, hLo);
      yHi = z[0];
      yLo = z[1];
    }
    byte[] j0 = new byte[16];
    System.arraycopy(nonce, 0, j0, 0, 12);
    j0[15] = 1;
    byte[] ek = ecb.doFinal(j0);
    ByteBuffer t = ByteBuffer.allocate(16).putLong(yHi).putLong(yLo);
    byte[] out = t.array();
    for (int i = 0; i < 16; i++) {
      out[i] ^= ek[i];
    }
    return out;
  }

  /** NIST SP 800-38D Algorithm 1, bit 0 the most significant bit of the first byte. */
  private static long[] multiply(long xHi, long xLo, long yHi, long yLo) {
    long zHi = 0;
    long zLo = 0;
    long vHi = yHi;
    long vLo = yLo;
    for (int i = 0; i < 128; i++) {
      long bit = i < 64 ? (xHi >>> (63 - i)) & 1 : (xLo >>> (127 - i)) & 1;
      if (bit == 1) {
        zHi ^= vHi;
        zLo ^= vLo;
      }
      boolean lsb = (vLo & 1) == 1;
      vLo = (vLo >>> 1) | (vHi << 63);
      vHi >>>= 1;
      if (lsb) {
        vHi ^= 0xe100000000000000L;
      }
    }
    return new long[] {zHi, zLo};
  }
}
