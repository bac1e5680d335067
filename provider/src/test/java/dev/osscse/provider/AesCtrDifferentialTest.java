package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Differential test: our {@code AES/CTR/NoPadding} against SunJCE and Bouncy Castle over seeded
 * random cases (key sizes, IVs at carry boundaries, aligned and unaligned byte offsets, random
 * chunkings, every array and ByteBuffer call shape, in place and overlapping).
 */
class AesCtrDifferentialTest {
  private static final int CASES_PER_TEST = 3_400; // three tests: 10,200 cases in total

  enum IvKind {
    RANDOM,
    OSS_SDK, // R8 || 00000000 || R4, as every OSS SDK writes it
    LOW4_FF,
    LOW8_FF,
    LOW15_FF,
    NEAR_TOP, // all 0xFF except the last two bytes: a short range before 2^128
    ALL_FF // one block left
  }

  enum Call {
    UPDATE_RETURNING_ARRAY,
    UPDATE_INTO_ARRAY,
    UPDATE_INTO_ARRAY_AT_OFFSET,
    IN_PLACE,
    OVERLAP_OUTPUT_AHEAD,
    OVERLAP_OUTPUT_BEHIND,
    BUFFER
  }

  enum Buffers {
    HEAP_TO_HEAP,
    HEAP_TO_DIRECT,
    DIRECT_TO_HEAP,
    DIRECT_TO_DIRECT,
    READ_ONLY_HEAP_TO_HEAP,
    READ_ONLY_HEAP_TO_DIRECT,
    READ_ONLY_DIRECT_TO_DIRECT,
    HEAP_SLICE_TO_DIRECT_SLICE,
    DIRECT_SLICE_TO_HEAP_SLICE,
    SAME_HEAP_IN_PLACE,
    SAME_HEAP_SHIFTED,
    SAME_DIRECT_IN_PLACE,
    SAME_DIRECT_SHIFTED,
    READ_ONLY_VIEW_OF_OUTPUT_ARRAY_SHIFTED
  }

  @Test
  void arrays_randomCases_matchSunJceAndBouncyCastle() throws Exception {
    run(new Random(0x5eed_0001L), false);
  }

  @Test
  void byteBuffers_randomCases_matchSunJceAndBouncyCastle() throws Exception {
    run(new Random(0x5eed_0002L), true);
  }

  @Test
  void nearCounterTop_randomCases_matchOraclesThenThrowPastTheLimit() throws Exception {
    Random r = new Random(0x5eed_0003L);
    Cipher ours = Cipher.getInstance("AES/CTR/NoPadding", OssCseProviders.provider());
    for (int i = 0; i < CASES_PER_TEST; i++) {
      byte[] key = randomBytes(r, 16 + 8 * r.nextInt(3));
      IvKind kind = r.nextBoolean() ? IvKind.ALL_FF : IvKind.NEAR_TOP;
      byte[] iv = iv(r, kind);
      long limit = CtrOracle.limit(iv).longValueExact();
      long offset = (long) (r.nextDouble() * limit);
      int len = (int) Math.min(limit - offset, r.nextInt(400));
      byte[] data = randomBytes(r, len);
      ours.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), spec(r, iv, offset));
      byte[] expected = CtrOracle.encryptAt(CtrOracle.SUN_JCE, key, iv, offset, data);
      assertThat(CtrOracle.encryptAt(CtrOracle.BC, key, iv, offset, data)).isEqualTo(expected);
      assertThat(chunked(ours, data, r, false)).as("case %d", i).isEqualTo(expected);

      // Same cipher, close to the limit: one byte too many is refused, and nothing written.
      long nearEnd = Math.max(0, limit - 1 - r.nextInt(64));
      ours.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), spec(r, iv, nearEnd));
      byte[] tooLong = new byte[(int) (limit - nearEnd) + 1 + r.nextInt(40)];
      byte[] out = new byte[tooLong.length];
      assertThatThrownBy(() -> ours.update(tooLong, 0, tooLong.length, out, 0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("2^128 - 1");
      assertThat(Arrays.equals(out, new byte[out.length])).as("nothing written").isTrue();
      // ... while exactly up to the limit works.
      byte[] upToLimit = Arrays.copyOf(tooLong, (int) (limit - nearEnd));
      assertThat(ours.doFinal(upToLimit))
          .isEqualTo(CtrOracle.encryptAt(CtrOracle.SUN_JCE, key, iv, nearEnd, upToLimit));
    }
  }

  private static void run(Random r, boolean buffers) throws Exception {
    Cipher ours = Cipher.getInstance("AES/CTR/NoPadding", OssCseProviders.provider());
    for (int i = 0; i < CASES_PER_TEST; i++) {
      byte[] key = randomBytes(r, 16 + 8 * r.nextInt(3));
      IvKind kind = IvKind.values()[r.nextInt(IvKind.LOW15_FF.ordinal() + 1)];
      byte[] iv = iv(r, kind);
      long offset = offset(r);
      int len = r.nextInt(10) == 0 ? r.nextInt(40_000) : r.nextInt(300);
      byte[] data = randomBytes(r, len);

      byte[] expected = CtrOracle.encryptAt(CtrOracle.SUN_JCE, key, iv, offset, data);
      if (i % 2 == 0) {
        assertThat(CtrOracle.encryptAt(CtrOracle.BC, key, iv, offset, data))
            .as("SunJCE and Bouncy Castle agree, case %d", i)
            .isEqualTo(expected);
      }
      ours.init(
          r.nextBoolean() ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          spec(r, iv, offset));
      assertThat(chunked(ours, data, r, buffers))
          .as("case %d: %s IV, offset %d, %d bytes", i, kind, offset, len)
          .isEqualTo(expected);
      if (r.nextInt(8) == 0) {
        // doFinal returned the cipher to its initial position: the same output again.
        assertThat(chunked(ours, data, r, buffers)).as("reuse, case %d", i).isEqualTo(expected);
      }
      if (r.nextInt(16) == 0) {
        // getParameters() -> init(params) starts at the same position.
        Cipher resumed = Cipher.getInstance("AES/CTR/NoPadding", OssCseProviders.provider());
        resumed.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), ours.getParameters());
        assertThat(resumed.doFinal(data)).as("params, case %d", i).isEqualTo(expected);
      }
    }
  }

  private static java.security.spec.AlgorithmParameterSpec spec(Random r, byte[] iv, long offset) {
    return offset == 0 && r.nextBoolean()
        ? new IvParameterSpec(iv)
        : new CtrParameterSpec(iv, offset);
  }

  private static long offset(Random r) {
    switch (r.nextInt(5)) {
      case 0:
        return 0;
      case 1:
        return r.nextInt(100);
      case 2:
        return (r.nextLong() >>> 24) & ~15L; // aligned, up to 2^40
      case 3:
        return r.nextLong() >>> 24; // any, up to 2^40
      default:
        return r.nextLong() >>> 2; // any, up to 2^62
    }
  }

  static byte[] iv(Random r, IvKind kind) {
    byte[] iv = randomBytes(r, 16);
    iv[0] &= 0x7F; // keep random IVs far from 2^128; the near-top kinds set this byte again
    switch (kind) {
      case OSS_SDK -> Arrays.fill(iv, 8, 12, (byte) 0);
      case LOW4_FF -> Arrays.fill(iv, 12, 16, (byte) 0xFF);
      case LOW8_FF -> Arrays.fill(iv, 8, 16, (byte) 0xFF);
      case LOW15_FF -> {
        Arrays.fill(iv, 1, 16, (byte) 0xFF);
        iv[0] &= 0x7F;
      }
      case NEAR_TOP -> Arrays.fill(iv, 0, 14, (byte) 0xFF);
      case ALL_FF -> Arrays.fill(iv, (byte) 0xFF);
      default -> {}
    }
    return iv;
  }

  static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** Feeds data through the cipher in random chunks and call shapes; the last call is doFinal. */
  static byte[] chunked(Cipher c, byte[] data, Random r, boolean buffers)
      throws GeneralSecurityException {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    int pos = 0;
    while (true) {
      int n;
      switch (r.nextInt(4)) {
        case 0 -> n = r.nextInt(17);
        case 1 -> n = r.nextInt(200);
        case 2 -> n = r.nextInt(20_000);
        default -> n = data.length - pos;
      }
      n = Math.min(n, data.length - pos);
      boolean last = pos + n == data.length && r.nextBoolean();
      Call call =
          buffers && r.nextInt(4) != 0
              ? Call.BUFFER
              : Call.values()[r.nextInt(Call.BUFFER.ordinal())];
      result.writeBytes(once(c, data, pos, n, last, call, r));
      pos += n;
      if (last) {
        return result.toByteArray();
      }
      if (pos == data.length) {
        result.writeBytes(c.doFinal());
        return result.toByteArray();
      }
    }
  }

  private static byte[] once(
      Cipher c, byte[] data, int pos, int n, boolean last, Call call, Random r)
      throws GeneralSecurityException {
    switch (call) {
      case UPDATE_RETURNING_ARRAY -> {
        byte[] out = last ? c.doFinal(data, pos, n) : c.update(data, pos, n);
        return out == null ? new byte[0] : out;
      }
      case UPDATE_INTO_ARRAY, UPDATE_INTO_ARRAY_AT_OFFSET -> {
        int at = call == Call.UPDATE_INTO_ARRAY ? 0 : 1 + r.nextInt(20);
        byte[] out = new byte[at + n + r.nextInt(3)];
        int k = last ? c.doFinal(data, pos, n, out, at) : c.update(data, pos, n, out, at);
        assertThat(k).isEqualTo(n);
        return Arrays.copyOfRange(out, at, at + n);
      }
      case IN_PLACE -> {
        int at = r.nextInt(5);
        byte[] work = new byte[at + n];
        System.arraycopy(data, pos, work, at, n);
        int k = last ? c.doFinal(work, at, n, work, at) : c.update(work, at, n, work, at);
        assertThat(k).isEqualTo(n);
        return Arrays.copyOfRange(work, at, at + n);
      }
      case OVERLAP_OUTPUT_AHEAD, OVERLAP_OUTPUT_BEHIND -> {
        int shift = 1 + r.nextInt(Math.max(1, n + 3));
        byte[] work = new byte[n + shift];
        int in = call == Call.OVERLAP_OUTPUT_AHEAD ? 0 : shift;
        int out = call == Call.OVERLAP_OUTPUT_AHEAD ? shift : 0;
        System.arraycopy(data, pos, work, in, n);
        int k = last ? c.doFinal(work, in, n, work, out) : c.update(work, in, n, work, out);
        assertThat(k).isEqualTo(n);
        return Arrays.copyOfRange(work, out, out + n);
      }
      default -> {
        return buffer(
            c, data, pos, n, last, Buffers.values()[r.nextInt(Buffers.values().length)], r);
      }
    }
  }

  private static byte[] buffer(
      Cipher c, byte[] data, int pos, int n, boolean last, Buffers kind, Random r)
      throws GeneralSecurityException {
    ByteBuffer in;
    ByteBuffer out;
    int pad = r.nextInt(7);
    switch (kind) {
      case HEAP_TO_HEAP -> {
        in = heap(data, pos, n, pad);
        out = ByteBuffer.allocate(n + pad);
      }
      case HEAP_TO_DIRECT -> {
        in = heap(data, pos, n, pad);
        out = ByteBuffer.allocateDirect(n + pad);
      }
      case DIRECT_TO_HEAP -> {
        in = direct(data, pos, n, pad);
        out = ByteBuffer.allocate(n + pad);
      }
      case DIRECT_TO_DIRECT -> {
        in = direct(data, pos, n, pad);
        out = ByteBuffer.allocateDirect(n);
      }
      case READ_ONLY_HEAP_TO_HEAP -> {
        in = heap(data, pos, n, pad).asReadOnlyBuffer();
        out = ByteBuffer.allocate(n);
      }
      case READ_ONLY_HEAP_TO_DIRECT -> {
        in = heap(data, pos, n, pad).asReadOnlyBuffer();
        out = ByteBuffer.allocateDirect(n + pad);
      }
      case READ_ONLY_DIRECT_TO_DIRECT -> {
        in = direct(data, pos, n, pad).asReadOnlyBuffer();
        out = ByteBuffer.allocateDirect(n);
      }
      case HEAP_SLICE_TO_DIRECT_SLICE -> {
        in = heap(data, pos, n, pad).slice();
        out = ByteBuffer.allocateDirect(n + 2 * pad).position(pad).slice();
      }
      case DIRECT_SLICE_TO_HEAP_SLICE -> {
        in = direct(data, pos, n, pad).slice();
        out = ByteBuffer.allocate(n + 2 * pad).position(pad).slice();
      }
      case SAME_HEAP_IN_PLACE, SAME_DIRECT_IN_PLACE -> {
        ByteBuffer b =
            kind == Buffers.SAME_HEAP_IN_PLACE
                ? heap(data, pos, n, pad)
                : direct(data, pos, n, pad);
        in = b;
        out = b.duplicate();
      }
      default -> {
        // Shifted overlap inside one backing store; output ahead of or behind the input.
        int shift = 1 + r.nextInt(Math.max(1, n + 3));
        boolean ahead = r.nextBoolean();
        int inAt = ahead ? 0 : shift;
        int outAt = ahead ? shift : 0;
        ByteBuffer backing =
            kind == Buffers.SAME_DIRECT_SHIFTED
                ? ByteBuffer.allocateDirect(n + shift)
                : ByteBuffer.allocate(n + shift);
        backing.put(inAt, data, pos, n);
        ByteBuffer inView =
            kind == Buffers.READ_ONLY_VIEW_OF_OUTPUT_ARRAY_SHIFTED
                ? backing.asReadOnlyBuffer()
                : backing.duplicate();
        in = inView.position(inAt).limit(inAt + n);
        out = backing.duplicate().position(outAt);
      }
    }
    int outStart = out.position();
    int k = last ? c.doFinal(in, out) : c.update(in, out);
    assertThat(k).isEqualTo(n);
    assertThat(in.remaining()).isZero();
    assertThat(out.position()).isEqualTo(outStart + n);
    byte[] result = new byte[n];
    out.get(outStart, result, 0, n);
    return result;
  }

  private static ByteBuffer heap(byte[] data, int pos, int n, int pad) {
    byte[] arr = new byte[pad + n + pad];
    System.arraycopy(data, pos, arr, pad, n);
    return ByteBuffer.wrap(arr, pad, n);
  }

  private static ByteBuffer direct(byte[] data, int pos, int n, int pad) {
    ByteBuffer b = ByteBuffer.allocateDirect(pad + n + pad);
    b.put(pad, data, pos, n);
    return b.position(pad).limit(pad + n);
  }

  @Test
  void oracle_counterAtCarry_matchesBigIntegerAddition() {
    byte[] iv = new byte[16];
    Arrays.fill(iv, 8, 16, (byte) 0xFF);
    byte[] next = CtrOracle.counterAt(iv, 1);
    assertThat(new BigInteger(1, next)).isEqualTo(new BigInteger(1, iv).add(BigInteger.ONE));
    assertThat(next[7]).isEqualTo((byte) 1);
  }
}
