package dev.osscse.oss.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * FMT-28 chunk tags: an RFC 4231 known answer (the index prefix chosen to spell the RFC's message),
 * and properties: a tag does not depend on how the chunk is fed, verifies, and fails for any
 * changed byte, another index or another length. The Python-made vectors (AuthVectorsTest) are the
 * second implementation.
 */
class ChunkMacTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void tag_rfc4231Case1_indexSpellingHiThereAndEmptyChunk_matchesTruncatedHmac() {
    // RFC 4231 test case 1: key = 20 x 0x0b, data = "Hi There",
    // HMAC-SHA256 = b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7
    byte[] key = new byte[20];
    Arrays.fill(key, (byte) 0x0b);
    long index = java.nio.ByteBuffer.wrap("Hi There".getBytes(StandardCharsets.US_ASCII)).getLong();
    ChunkMac mac = newMac(key);
    mac.beginTag(index);
    assertThat(HEX.formatHex(mac.tag())).isEqualTo("b0344c61d8db38535ca8afceaf0bf12b");
  }

  @Test
  void prefix_isBigEndianIndex() {
    assertThat(HEX.formatHex(ChunkMac.prefix(0x0102030405060708L))).isEqualTo("0102030405060708");
  }

  private static ChunkMac newMac(byte[] key) {
    try {
      return new ChunkMac(new SecretKeySpec(key, "HmacSHA256"));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @Property(tries = 80)
  void tag_independentOfPieces_verifies_andRefusesChangedByteIndexOrLength(
      @ForAll @Size(32) byte[] key,
      @ForAll @LongRange(min = 0, max = 1L << 22) long index,
      @ForAll @Size(max = 3000) byte[] chunk,
      @ForAll @IntRange(min = 1, max = 700) int piece) {
    ChunkMac mac = newMac(key);
    mac.beginTag(index);
    for (int o = 0; o < chunk.length; o += piece) {
      mac.update(chunk, o, Math.min(piece, chunk.length - o));
    }
    byte[] tag = mac.tag();
    mac.beginTag(index);
    mac.update(chunk, 0, chunk.length);
    assertThat(mac.tag()).isEqualTo(tag);

    mac.beginVerify(index);
    mac.update(chunk, 0, chunk.length);
    assertThat(mac.verify(tag, 0)).isTrue();
    if (chunk.length > 0) {
      int at = (int) (index % chunk.length);
      chunk[at] ^= 1;
      mac.beginVerify(index);
      mac.update(chunk, 0, chunk.length);
      assertThat(mac.verify(tag, 0)).as("changed byte").isFalse();
      chunk[at] ^= 1;
      mac.beginVerify(index);
      mac.update(chunk, 0, chunk.length - 1);
      assertThat(mac.verify(tag, 0)).as("shorter chunk").isFalse();
    }
    mac.beginVerify(index + 1);
    mac.update(chunk, 0, chunk.length);
    assertThat(mac.verify(tag, 0)).as("another index").isFalse();
  }
}
