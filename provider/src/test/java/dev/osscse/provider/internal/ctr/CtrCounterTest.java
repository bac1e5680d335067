package dev.osscse.provider.internal.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CtrCounterTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void add_carriesAcrossAllSixteenBytes() {
    assertThat(HEX.formatHex(CtrCounter.add(HEX.parseHex("00ffffffffffffffffffffffffffffff"), 1)))
        .isEqualTo("01000000000000000000000000000000");
    assertThat(HEX.formatHex(CtrCounter.add(HEX.parseHex("0000000000000000ffffffffffffffff"), 2)))
        .isEqualTo("00000000000000010000000000000001");
    assertThat(HEX.formatHex(CtrCounter.add(HEX.parseHex("000000000000000000000000ffffffff"), 1)))
        .isEqualTo("00000000000000000000000100000000");
  }

  @Test
  void add_pastTwoTo128_throwsInsteadOfWrapping() {
    byte[] top = HEX.parseHex("ffffffffffffffffffffffffffffffff");
    assertThat(CtrCounter.add(top, 0)).isEqualTo(top);
    assertThatThrownBy(() -> CtrCounter.add(top, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("CTR counter would pass 2^128 - 1");
    assertThatThrownBy(() -> CtrCounter.add(top, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keystreamLimit_nearTop_isRemainingBlocksTimesSixteen() {
    assertThat(CtrCounter.keystreamLimit(HEX.parseHex("ffffffffffffffffffffffffffffffff")))
        .isEqualTo(16);
    assertThat(CtrCounter.keystreamLimit(HEX.parseHex("ffffffffffffffffffffffffffffff00")))
        .isEqualTo(256 * 16);
    assertThat(CtrCounter.keystreamLimit(HEX.parseHex("ffffffffffffffff0000000000000000")))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(CtrCounter.keystreamLimit(HEX.parseHex("fffffffffffffffff800000000000000")))
        .isEqualTo(Long.MAX_VALUE); // 2^59 blocks: more bytes than a long can count
    assertThat(CtrCounter.keystreamLimit(HEX.parseHex("fffffffffffffffff800000000000001")))
        .isEqualTo(((1L << 59) - 1) * 16);
  }

  @Test
  void ivOfWrongLength_refused() {
    assertThatThrownBy(() -> CtrCounter.add(new byte[15], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 bytes");
  }
}
