package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.provider.internal.ctr.AesCtrEngine;
import dev.osscse.provider.internal.ctr.CtrCounter;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Seek and counter properties of the AES-CTR core and cipher. */
class AesCtrSeekPropertiesTest {

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.of(16, 24, 32)
        .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
  }

  @Provide
  Arbitrary<byte[]> ivs() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofSize(16);
    return Combinators.combine(random, Arbitraries.integers().between(0, 15))
        .as(
            (iv, ffFrom) -> {
              byte[] b = iv.clone();
              b[0] &= 0x7F; // stay far from 2^128 so any seek below 2^62 is in range
              Arrays.fill(b, Math.max(1, ffFrom), 16, (byte) 0xFF);
              return b;
            });
  }

  @Property(tries = 300)
  void seekToK_equalsSuffixOfOneShot(
      @ForAll("keys") byte[] key,
      @ForAll("ivs") byte[] iv,
      @ForAll @Size(max = 600) byte[] data,
      @ForAll @IntRange(max = 600) int k)
      throws Exception {
    int cut = Math.min(k, data.length);
    byte[] oneShot = CtrOracle.encryptAt(CtrOracle.SUN_JCE, key, iv, 0, data);
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", OssCseProviders.provider());
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new CtrParameterSpec(iv, cut));
    assertThat(c.doFinal(data, cut, data.length - cut))
        .isEqualTo(Arrays.copyOfRange(oneShot, cut, oneShot.length));
  }

  @Property(tries = 300)
  void seekThenChunked_equalsOneShotAtThatOffset(
      @ForAll("keys") byte[] key,
      @ForAll("ivs") byte[] iv,
      @ForAll @LongRange(max = 1L << 62) long offset,
      @ForAll @Size(max = 3000) byte[] data,
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 900) Integer> chunks) {
    byte[] expected;
    try {
      expected = CtrOracle.encryptAt(CtrOracle.SUN_JCE, key, iv, offset, data);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
    AesCtrEngine engine = new AesCtrEngine();
    engine.init(key, iv, offset);
    byte[] out = new byte[data.length];
    int pos = 0;
    for (int i = 0; pos < data.length; i++) {
      int n = Math.min(chunks.get(i % chunks.size()), data.length - pos);
      if (n == 0 && chunks.stream().allMatch(x -> x == 0)) {
        n = data.length - pos;
      }
      engine.process(data, pos, n, out, pos);
      pos += n;
      assertThat(engine.position()).isEqualTo(offset + pos);
    }
    assertThat(out).isEqualTo(expected);
  }

  @Property(tries = 200)
  void counterWrap_throwsAtTheLimitAndNotBefore(
      @ForAll("keys") byte[] key,
      @ForAll @IntRange(min = 1, max = 300) int blocksLeft,
      @ForAll @IntRange(min = 0, max = 4799) int start,
      @ForAll @IntRange(min = 1, max = 100) int over) {
    // IV = 2^128 - blocksLeft: exactly blocksLeft * 16 keystream bytes exist.
    byte[] iv = toBlock(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.valueOf(blocksLeft)));
    long limit = blocksLeft * 16L;
    assertThat(CtrCounter.keystreamLimit(iv)).isEqualTo(limit);
    long from = Math.min(start, limit - 1);
    AesCtrEngine engine = new AesCtrEngine();
    engine.init(key, iv, from);
    int fits = (int) (limit - from);
    byte[] buf = new byte[fits + over];
    assertThatThrownBy(() -> engine.process(buf, 0, fits + over, buf, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2^128 - 1");
    assertThat(engine.position()).isEqualTo(from);
    engine.process(buf, 0, fits, buf, 0);
    assertThat(engine.remaining()).isZero();
    assertThatThrownBy(() -> engine.process(buf, 0, 1, buf, 0))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new AesCtrEngine().init(key, iv, limit))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 500)
  void counterAdd_matchesBigIntegerOrThrowsPastTheTop(
      @ForAll("ivs") byte[] iv, @ForAll boolean nearTop, @ForAll @LongRange long blocks) {
    byte[] base = iv.clone();
    if (nearTop) {
      Arrays.fill(base, 0, 8, (byte) 0xFF);
    }
    BigInteger sum = new BigInteger(1, base).add(BigInteger.valueOf(blocks));
    if (sum.bitLength() > 128) {
      assertThatThrownBy(() -> CtrCounter.add(base, blocks))
          .isInstanceOf(IllegalStateException.class);
    } else {
      assertThat(CtrCounter.add(base, blocks)).isEqualTo(toBlock(sum));
    }
    BigInteger limit = BigInteger.ONE.shiftLeft(128).subtract(new BigInteger(1, base)).shiftLeft(4);
    assertThat(CtrCounter.keystreamLimit(base))
        .isEqualTo(limit.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact());
  }

  private static byte[] toBlock(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[16];
    int n = Math.min(raw.length, 16);
    System.arraycopy(raw, raw.length - n, out, 16 - n, n);
    return out;
  }
}
