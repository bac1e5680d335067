package dev.osscse.provider.internal.ctr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How long a cold bulk call may wait for the warm-up thread (docs/algorithms.md 2.5). */
class AesCtrWarmupTest {
  private static final int MIB = 1 << 20;

  @Test
  void waitBudget_noneBelowOneMiB() {
    assertThat(AesCtrWarmup.waitBudgetNanos(0)).isZero();
    assertThat(AesCtrWarmup.waitBudgetNanos(AesCtrWarmup.WAIT_MIN - 1)).isZero();
  }

  @Test
  void waitBudget_oneMillisecondPerWholeMiB_atMostATenthOfASecond() {
    assertThat(AesCtrWarmup.waitBudgetNanos(MIB)).isEqualTo(1_000_000L);
    assertThat(AesCtrWarmup.waitBudgetNanos(2 * MIB - 1)).isEqualTo(1_000_000L);
    assertThat(AesCtrWarmup.waitBudgetNanos(64 * MIB)).isEqualTo(64_000_000L);
    assertThat(AesCtrWarmup.waitBudgetNanos(100 * MIB)).isEqualTo(AesCtrWarmup.MAX_WAIT_NANOS);
    assertThat(AesCtrWarmup.waitBudgetNanos(Integer.MAX_VALUE))
        .isEqualTo(AesCtrWarmup.MAX_WAIT_NANOS)
        .isEqualTo(100_000_000L);
  }
}
