package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {
  @Test
  void rate_tinyTransfer_usesAUnitThatDoesNotRoundToZero() {
    assertThat(Format.rate(5, 3_000_000L)).isEqualTo("1.6 KiB/s");
    assertThat(Format.rate(1, 2_000_000_000L)).isEqualTo("1 B/s");
    assertThat(Format.rate(24L << 20, 1_000_000_000L)).isEqualTo("24.0 MiB/s");
  }

  @Test
  void rate_nothingMovedOrNoTime_isADash_andTookOmitsIt() {
    assertThat(Format.rate(0, 5_000_000L)).isEqualTo("-");
    assertThat(Format.rate(10, 0)).isEqualTo("-");
    assertThat(Format.took(0, 5_000_000L)).isEqualTo("in 0.005 s");
    assertThat(Format.took(2048, 1_000_000_000L)).isEqualTo("in 1.000 s (2.0 KiB/s)");
  }
}
