package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  @Test
  void parse_threeForms_FMT18() {
    assertThat(ByteRange.parse("5-10")).isEqualTo(ByteRange.of(5, 10));
    assertThat(ByteRange.parse("bytes=5-")).isEqualTo(ByteRange.from(5));
    assertThat(ByteRange.parse(" -16 ")).isEqualTo(ByteRange.suffix(16));
    assertThat(ByteRange.parse("0-0").toString()).isEqualTo("0-0");
    assertThat(ByteRange.parse("7-").isOpenEnded()).isTrue();
    assertThat(ByteRange.parse("-7").isSuffix()).isTrue();
    assertThat(ByteRange.parse("-7").toString()).isEqualTo("-7");
  }

  @Test
  void parse_invalid_throwsTyped() {
    for (String bad :
        new String[] {
          "",
          "-",
          "5",
          "a-b",
          "10-5",
          "-0",
          "1-2,3-4",
          "--5",
          "5--",
          "99999999999999999999-",
          "4611686018427387905-",
          "1 - x"
        }) {
      assertThatThrownBy(() -> ByteRange.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidByteRangeException.class);
    }
    assertThatThrownBy(() -> ByteRange.parse(null)).isInstanceOf(InvalidByteRangeException.class);
    assertThatThrownBy(() -> ByteRange.of(-1, 3)).isInstanceOf(InvalidByteRangeException.class);
    assertThatThrownBy(() -> ByteRange.suffix(0)).isInstanceOf(InvalidByteRangeException.class);
  }
}
