package dev.osscse.provider.internal.wrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The branch-free padding checks agree with straightforward reference code, without any RSA
 * operation in between.
 */
class PaddingPropertiesTest {
  private static final int K = 128;

  /** The obvious PKCS#1 v1.5 check, with early exits. */
  private static int naivePkcs1Unpad(byte[] em) {
    if (em[0] != 0 || em[1] != 2) {
      return -1;
    }
    for (int i = 2; i < em.length; i++) {
      if (em[i] == 0) {
        return i - 2 >= 8 ? i + 1 : -1;
      }
    }
    return -1;
  }

  @Provide
  Arbitrary<byte[]> nearlyValidBlocks() {
    // Mostly valid-looking blocks with a few forced bytes, so that every branch of the reference
    // is reached often.
    return Arbitraries.integers()
        .between(0, Integer.MAX_VALUE)
        .map(
            seed -> {
              java.util.Random r = new java.util.Random(seed);
              byte[] em = new byte[K];
              r.nextBytes(em);
              for (int i = 2; i < K; i++) {
                if (em[i] == 0) {
                  em[i] = 1;
                }
              }
              em[0] = (byte) (r.nextInt(8) == 0 ? r.nextInt(3) : 0);
              em[1] = (byte) (r.nextInt(8) == 0 ? r.nextInt(4) : 2);
              int zeros = r.nextInt(3);
              for (int z = 0; z < zeros; z++) {
                em[2 + r.nextInt(K - 2)] = 0;
              }
              return em;
            });
  }

  @Property(tries = 3000)
  void pkcs1Unpad_anyBlock_matchesReference(@ForAll("nearlyValidBlocks") byte[] em) {
    assertThat(Pkcs1V15Padding.INSTANCE.unpad(em)).isEqualTo(naivePkcs1Unpad(em));
  }

  @Property(tries = 300)
  void pkcs1PadThenUnpad_anyLength_recoversMessage(
      @ForAll @IntRange(min = 0, max = K - 11) int len) {
    byte[] m = new byte[len];
    new SecureRandom().nextBytes(m);
    byte[] em = Pkcs1V15Padding.INSTANCE.pad(m, K, new SecureRandom());
    int start = Pkcs1V15Padding.INSTANCE.unpad(em);
    assertThat(start).isEqualTo(K - len);
    assertThat(java.util.Arrays.copyOfRange(em, start, K)).isEqualTo(m);
  }

  @Property(tries = 300)
  void oaepUnpad_anySingleByteChange_isRejected(
      @ForAll @IntRange(min = 0, max = K - 66) int len,
      @ForAll @IntRange(min = 0, max = K - 1) int position,
      @ForAll @IntRange(min = 1, max = 255) int xor)
      throws Exception {
    OaepPadding oaep = new OaepPadding(MessageDigest.getInstance("SHA-256"), new byte[0]);
    byte[] m = new byte[len];
    new SecureRandom().nextBytes(m);
    byte[] em = oaep.pad(m, K, new SecureRandom());
    byte[] bad = em.clone();
    bad[position] ^= (byte) xor;
    int start = oaep.unpad(em);
    assertThat(start).isEqualTo(K - len);
    assertThat(java.util.Arrays.copyOfRange(em, start, K)).isEqualTo(m);
    assertThat(oaep.unpad(bad)).isEqualTo(-1);
  }

  @Property(tries = 2000)
  void constantTimeHelpers_matchPlainComparisons(
      @ForAll @IntRange(min = 0, max = 1 << 29) int a,
      @ForAll @IntRange(min = 0, max = 1 << 29) int b,
      @ForAll int x,
      @ForAll boolean pick) {
    assertThat(ConstantTime.isZero(x)).isEqualTo(x == 0 ? -1 : 0);
    assertThat(ConstantTime.equal(a, b)).isEqualTo(a == b ? -1 : 0);
    assertThat(ConstantTime.lessThan(a, b)).isEqualTo(a < b ? -1 : 0);
    assertThat(ConstantTime.select(pick ? -1 : 0, a, b)).isEqualTo(pick ? a : b);
  }
}
