package dev.osscse.provider.internal.ctr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The engine's promises about how it drives the keystream source: never overlapping ranges (so
 * SunJCE never copies), few source calls for small inputs, no new key schedule on reuse.
 */
class AesCtrEngineTest {
  private static final byte[] KEY = new byte[16];
  private static final Random RANDOM = new Random(42);

  /** A real JDK source that records how it is called. */
  static final class RecordingSource implements CtrKeystreamSource {
    final JdkAesCtrKeystream delegate = new JdkAesCtrKeystream();
    int inits;
    int restarts;
    int rewinds;
    int xors;
    int overlappingXors;
    int longestXor;
    long minNanosPerXor; // when > 0, every xor takes at least this long (looks like cold code)

    @Override
    public void init(byte[] key, byte[] counterBlock) {
      inits++;
      delegate.init(key, counterBlock);
    }

    @Override
    public void restart(byte[] counterBlock) {
      restarts++;
      delegate.restart(counterBlock);
    }

    @Override
    public void rewind() {
      rewinds++;
      delegate.rewind();
    }

    @Override
    public void xor(byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
      xors++;
      longestXor = Math.max(longestXor, len);
      if (src == dst && srcOff < dstOff + len && dstOff < srcOff + len) {
        overlappingXors++;
      }
      long t0 = System.nanoTime();
      delegate.xor(src, srcOff, len, dst, dstOff);
      while (System.nanoTime() - t0 < minNanosPerXor) {
        Thread.onSpinWait();
      }
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static byte[] oneShot(byte[] iv, byte[] data) throws Exception {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(iv));
    return c.doFinal(data);
  }

  @Test
  void keyObject_sourceWithoutItsOwnPath_getsTheCheckedBytes() throws Exception {
    RecordingSource source = new RecordingSource(); // uses the interface's default key-object path
    AesCtrEngine engine = new AesCtrEngine(source);
    byte[] iv = random(16);
    byte[] data = random(3000);
    engine.init(new SecretKeySpec(KEY, "AES"), iv, 0);
    assertThat(source.inits).isEqualTo(1);
    byte[] out = new byte[data.length];
    engine.process(data, 0, data.length, out, 0);
    assertThat(out).isEqualTo(oneShot(iv, data));
    assertThatThrownBy(() -> engine.init(new SecretKeySpec(new byte[20], "AES"), iv, 0))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("Invalid AES key length: 20 bytes");
    assertThatThrownBy(() -> engine.init(new SecretKeySpec(KEY, "DES"), iv, 0))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("Wrong algorithm: AES or Rijndael required");
    assertThat(source.inits).isEqualTo(1);
    assertThat(engine.position()).isEqualTo(data.length);
  }

  @Test
  void keyObject_refusedByTheJdkSource_leavesTheEngineUninitialisedUntilTheNextInit()
      throws Exception {
    AesCtrEngine engine = new AesCtrEngine();
    byte[] iv = random(16);
    byte[] data = random(10_000);
    engine.init(new SecretKeySpec(KEY, "AES"), iv, 0);
    byte[] out = new byte[data.length];
    engine.process(data, 0, 5000, out, 0);
    assertThatThrownBy(() -> engine.init(new SecretKeySpec(new byte[17], "AES"), random(16), 0))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("Invalid AES key length: 17 bytes");
    assertThatThrownBy(() -> engine.process(data, 5000, 5000, out, 5000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not initialised");
    assertThatThrownBy(() -> engine.init(iv, 0)).isInstanceOf(IllegalStateException.class);
    engine.init(new SecretKeySpec(KEY, "AES"), iv, 5000);
    engine.process(data, 5000, 5000, out, 5000);
    assertThat(out).isEqualTo(oneShot(iv, data));
    engine.reset();
    byte[] again = new byte[5000];
    engine.process(data, 5000, 5000, again, 0);
    assertThat(again).isEqualTo(Arrays.copyOfRange(out, 5000, 10_000));
  }

  @Test
  void inPlaceAndShiftedOverlap_neverHandTheSourceOverlappingRanges() throws Exception {
    byte[] iv = random(16);
    byte[] data = random(100_000);
    byte[] expected = oneShot(iv, data);
    RecordingSource source = new RecordingSource();
    AesCtrEngine engine = new AesCtrEngine(source);

    engine.init(KEY, iv, 0);
    byte[] work = data.clone();
    engine.process(work, 0, work.length, work, 0);
    assertThat(work).isEqualTo(expected);

    for (int shift : new int[] {-4097, -1, 1, 16, 20_000}) {
      engine.reset();
      byte[] big = new byte[data.length + Math.abs(shift)];
      int in = shift > 0 ? 0 : -shift;
      int out = shift > 0 ? shift : 0;
      System.arraycopy(data, 0, big, in, data.length);
      engine.process(big, in, data.length, big, out);
      assertThat(Arrays.copyOfRange(big, out, out + data.length))
          .as("shift %d", shift)
          .isEqualTo(expected);
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 7);
    direct.put(7, data);
    engine.reset();
    engine.process(direct.duplicate().position(7), direct.duplicate().position(0));
    byte[] got = new byte[data.length];
    direct.get(0, got);
    assertThat(got).isEqualTo(expected);

    assertThat(source.overlappingXors).isZero();
    assertThat(source.xors).isPositive();
  }

  @Test
  void inPlaceCallFromMemory_goesInSmallStepsAndGivesSunJcesBytes() throws Exception {
    byte[] iv = random(16);
    int len = AesCtrEngine.IN_PLACE_FAR_MIN + 4099; // a partial step at the end
    byte[] data = random(len + 5);
    byte[] expected = oneShot(iv, data);
    RecordingSource source = new RecordingSource();
    AesCtrEngine engine = new AesCtrEngine(source);
    engine.init(KEY, iv, 0);
    AesCtrWarmup.markHot(); // the step size is what is tested here, not the cold chunks

    byte[] work = data.clone();
    engine.process(work, 0, 5, work, 0); // keystream buffer first, so the big call starts unaligned
    source.longestXor = 0;
    engine.process(work, 5, len, work, 5);

    assertThat(work).isEqualTo(expected);
    assertThat(source.overlappingXors).isZero();
    // The first chunk is hot (100 KiB): in CHUNK-byte steps the source would get 16 KiB calls.
    assertThat(source.longestXor).isEqualTo(AesCtrEngine.IN_PLACE_FAR_STEP);
  }

  @Test
  void coldJvm_slowSourceGetsSmallChunks_thenSameBytesWhenHot() throws Exception {
    boolean wasHot = AesCtrWarmup.isHot();
    try {
      byte[] iv = random(16);
      int len = 3 * AesCtrWarmup.COLD_CHUNK + 100;
      byte[] data = random(len);
      byte[] expected = oneShot(iv, data);
      RecordingSource source = new RecordingSource();
      // The warm-up thread marks the JVM hot when its own calls get fast; this test sets the flag.
      AesCtrWarmup.awaitEnd(120_000);
      AesCtrEngine engine = new AesCtrEngine(source);
      engine.init(KEY, iv, 0);
      for (boolean slow : new boolean[] {true, false}) {
        for (int shift : new int[] {-1, 0, 1}) { // shift 0: in place
          AesCtrWarmup.markCold();
          source.minNanosPerXor = slow ? 50_000 : 0;
          source.xors = 0;
          // Same array: in place (shift 0) or overlapping by all but one byte.
          byte[] buf = new byte[len + 1];
          System.arraycopy(data, 0, buf, Math.max(0, -shift), len);
          byte[] out = buf;
          engine.reset();
          engine.process(buf, Math.max(0, -shift), len, buf, Math.max(0, shift));
          assertThat(Arrays.copyOfRange(out, Math.max(0, shift), Math.max(0, shift) + len))
              .as("slow %s, shift %d", slow, shift)
              .isEqualTo(expected);
          if (slow) {
            // Three timed cold chunks, then the 100-byte rest; a slow source never marks hot.
            assertThat(source.xors).as("shift %d", shift).isEqualTo(4);
            assertThat(AesCtrWarmup.isHot()).isFalse();
          }
        }
      }
      // Hot, but a full hot chunk runs slow: back to cold chunks for the rest of the call.
      byte[] big = random(AesCtrWarmup.HOT_CHUNK + 2 * AesCtrWarmup.COLD_CHUNK);
      AesCtrWarmup.markHot();
      source.minNanosPerXor = 2_000_000;
      source.xors = 0;
      byte[] bigOut = new byte[big.length];
      engine.reset();
      engine.process(big, 0, big.length, bigOut, 0);
      assertThat(bigOut).isEqualTo(oneShot(iv, big));
      assertThat(AesCtrWarmup.isHot()).isFalse();
      assertThat(source.xors).isEqualTo(3);
      assertThat(source.overlappingXors).isZero();
    } finally {
      if (wasHot) {
        AesCtrWarmup.markHot();
      }
    }
  }

  @Test
  void coldJvm_bigCallWhileTheWarmupRuns_waitsThenSameBytes() throws Exception {
    boolean wasHot = AesCtrWarmup.isHot();
    AesCtrWarmup.awaitEnd(120_000);
    try {
      byte[] iv = random(16);
      byte[] data = random(AesCtrWarmup.WAIT_MIN * 2 + 5);
      AesCtrEngine engine = new AesCtrEngine(new RecordingSource());
      engine.init(KEY, iv, 0);
      for (boolean inPlace : new boolean[] {false, true}) {
        AesCtrWarmup.markCold();
        AesCtrWarmup.markRunning(true); // as while the thread runs: this call waits (2 ms) first
        byte[] buf = data.clone();
        byte[] out = inPlace ? buf : new byte[data.length];
        engine.reset();
        engine.process(buf, 0, data.length, out, 0);
        assertThat(out).as("in place %s", inPlace).isEqualTo(oneShot(iv, data));
      }
    } finally {
      AesCtrWarmup.markRunning(false);
      if (wasHot) {
        AesCtrWarmup.markHot();
      }
    }
  }

  @Test
  void smallCalls_areServedFromTheKeystreamBuffer() throws Exception {
    byte[] iv = random(16);
    byte[] data = random(64 * 1000);
    RecordingSource source = new RecordingSource();
    AesCtrEngine engine = new AesCtrEngine(source);
    engine.init(KEY, iv, 0);
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i += 64) {
      engine.process(data, i, 64, out, i);
    }
    assertThat(out).isEqualTo(oneShot(iv, data));
    // One source call per keystream buffer (2 KiB), not one per 64-byte call.
    assertThat(source.xors).isEqualTo(data.length / AesCtrEngine.KS_SIZE + 1);
  }

  @Test
  void reuseAfterReset_andReinitUnderTheSameKey_doNotRunTheKeyScheduleAgain() throws Exception {
    byte[] iv = random(16);
    byte[] data = random(40_000);
    RecordingSource source = new RecordingSource();
    AesCtrEngine engine = new AesCtrEngine(source);
    engine.init(KEY, iv, 13);
    byte[] expected =
        Arrays.copyOfRange(oneShot(iv, concat(new byte[13], data)), 13, 13 + data.length);
    for (int round = 0; round < 5; round++) {
      byte[] out = new byte[data.length];
      engine.process(data, 0, 100, out, 0);
      engine.process(data, 100, data.length - 100, out, 100);
      assertThat(out).as("round %d", round).isEqualTo(expected);
      engine.reset();
    }
    assertThat(source.inits).isEqualTo(1);
    assertThat(source.restarts).isZero();
    assertThat(source.rewinds).isLessThanOrEqualTo(5);

    byte[] iv2 = random(16);
    engine.init(iv2, 0);
    byte[] out = new byte[data.length];
    engine.process(data, 0, data.length, out, 0);
    assertThat(out).isEqualTo(oneShot(iv2, data));
    assertThat(source.inits).isEqualTo(1);
    assertThat(source.restarts).isEqualTo(1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
