package dev.osscse.oss.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The constant-time comparison agrees with {@link Arrays#equals} on every input. */
class ConstantTimeTest {
  @Property
  void equal_agreesWithArraysEquals(
      @ForAll @Size(max = 40) byte[] a, @ForAll @Size(max = 40) byte[] b) {
    assertThat(ConstantTime.equal(a, b)).isEqualTo(Arrays.equals(a, b));
    assertThat(ConstantTime.equal(a, a.clone())).isTrue();
  }

  @Property
  void equal_anyOneBitChange_isUnequal(
      @ForAll @Size(min = 1, max = 64) byte[] a, @ForAll int where, @ForAll int bit) {
    byte[] b = a.clone();
    b[Math.floorMod(where, a.length)] ^= (byte) (1 << Math.floorMod(bit, 8));
    assertThat(ConstantTime.equal(a, b)).isFalse();
    assertThat(ConstantTime.equal(a, 0, b, 0, a.length)).isFalse();
  }
}
