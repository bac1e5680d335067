package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every legal way of calling the cipher gives the one-shot result (Conscrypt's CipherBasicsTest
 * call patterns), for encryption and decryption, at byte offset 0 and at an unaligned offset.
 */
class AesCtrCallPatternTest {

  interface Pattern {
    byte[] run(Cipher c, byte[] in) throws Exception;
  }

  enum CallPattern {
    DO_FINAL((c, in) -> c.doFinal(in)),
    DO_FINAL_WITH_OFFSET(
        (c, in) -> {
          byte[] padded = new byte[in.length + 7];
          System.arraycopy(in, 0, padded, 5, in.length);
          return c.doFinal(padded, 5, in.length);
        }),
    DO_FINAL_WITH_OUTPUT_ARRAY(
        (c, in) -> {
          byte[] out = new byte[c.getOutputSize(in.length)];
          int n = c.doFinal(in, 0, in.length, out);
          return Arrays.copyOf(out, n);
        }),
    DO_FINAL_WITH_OUTPUT_ARRAY_AND_OFFSET(
        (c, in) -> {
          byte[] out = new byte[in.length + 9];
          int n = c.doFinal(in, 0, in.length, out, 9);
          return Arrays.copyOfRange(out, 9, 9 + n);
        }),
    UPDATE_DO_FINAL(
        (c, in) -> {
          byte[] a = c.update(in);
          byte[] b = c.doFinal();
          return concat(a, b);
        }),
    UPDATE_WITH_OUTPUT_ARRAY_DO_FINAL_WITH_OUTPUT_ARRAY(
        (c, in) -> {
          byte[] out = new byte[in.length];
          int half = in.length / 2;
          int n = c.update(in, 0, half, out);
          n += c.doFinal(in, half, in.length - half, out, n);
          return Arrays.copyOf(out, n);
        }),
    MULTIPLE_UPDATE_DO_FINAL(
        (c, in) -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          int third = in.length / 3;
          out.writeBytes(nonNull(c.update(in, 0, third)));
          out.writeBytes(nonNull(c.update(in, third, third)));
          out.writeBytes(c.doFinal(in, 2 * third, in.length - 2 * third));
          return out.toByteArray();
        }),
    MULTIPLE_UPDATE_WITH_OUTPUT_ARRAY_AND_OFFSET_DO_FINAL(
        (c, in) -> {
          byte[] out = new byte[in.length + 3];
          int pos = 3;
          for (int i = 0; i < in.length; i += 7) {
            pos += c.update(in, i, Math.min(7, in.length - i), out, pos);
          }
          pos += c.doFinal(out, pos);
          return Arrays.copyOfRange(out, 3, pos);
        }),
    SINGLE_BYTE_UPDATES(
        (c, in) -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          for (int i = 0; i < in.length; i++) {
            out.writeBytes(nonNull(c.update(in, i, 1)));
          }
          out.writeBytes(c.doFinal());
          return out.toByteArray();
        }),
    IN_PLACE_DO_FINAL(
        (c, in) -> {
          byte[] work = in.clone();
          c.doFinal(work, 0, work.length, work, 0);
          return work;
        }),
    IN_PLACE_UPDATES(
        (c, in) -> {
          byte[] work = in.clone();
          int half = work.length / 2;
          c.update(work, 0, half, work, 0);
          c.doFinal(work, half, work.length - half, work, half);
          return work;
        }),
    DO_FINAL_BYTEBUFFER_HEAP(
        (c, in) -> {
          ByteBuffer out = ByteBuffer.allocate(in.length);
          c.doFinal(ByteBuffer.wrap(in), out);
          return out.array();
        }),
    DO_FINAL_BYTEBUFFER_DIRECT(
        (c, in) -> {
          ByteBuffer src = ByteBuffer.allocateDirect(in.length).put(in).flip();
          ByteBuffer out = ByteBuffer.allocateDirect(in.length);
          c.doFinal(src, out);
          return bytes(out.flip());
        }),
    UPDATE_BYTEBUFFER_HEAP_TO_DIRECT_DO_FINAL(
        (c, in) -> {
          ByteBuffer out = ByteBuffer.allocateDirect(in.length);
          ByteBuffer src = ByteBuffer.wrap(in);
          c.update(src.duplicate().limit(in.length / 2), out);
          c.doFinal(src.position(in.length / 2), out);
          return bytes(out.flip());
        }),
    UPDATE_BYTEBUFFER_READ_ONLY_TO_HEAP_DO_FINAL(
        (c, in) -> {
          ByteBuffer out = ByteBuffer.allocate(in.length);
          c.update(ByteBuffer.wrap(in).asReadOnlyBuffer(), out);
          c.doFinal(ByteBuffer.allocate(0), out);
          return out.array();
        }),
    DO_FINAL_BYTEBUFFER_DIRECT_IN_PLACE(
        (c, in) -> {
          ByteBuffer b = ByteBuffer.allocateDirect(in.length).put(in).flip();
          c.doFinal(b.duplicate(), b.duplicate());
          return bytes(b);
        });

    final Pattern pattern;

    CallPattern(Pattern pattern) {
      this.pattern = pattern;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(CallPattern.values())
        .flatMap(
            p ->
                Stream.of(0, 1, 15, 16, 17, 63, 100, 511, 512, 2049, 20_000, 40_000)
                    .flatMap(n -> Stream.of(0L, 13L).map(off -> Arguments.of(p, n, off))));
  }

  @ParameterizedTest(name = "{0}, {1} bytes, offset {2}")
  @MethodSource("cases")
  void callPattern_givesOneShotResult(CallPattern pattern, int size, long offset) throws Exception {
    Random r = new Random(size * 31L + offset);
    byte[] key = new byte[16 + 8 * (size % 3)];
    byte[] iv = new byte[16];
    r.nextBytes(key);
    r.nextBytes(iv);
    Arrays.fill(iv, 12, 16, (byte) 0xFF); // carry on the first block boundary
    byte[] in = new byte[size];
    r.nextBytes(in);
    byte[] expected = CtrOracle.encryptAt(CtrOracle.SUN_JCE, key, iv, offset, in);

    for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.DECRYPT_MODE}) {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding", OssCseProviders.provider());
      c.init(mode, new SecretKeySpec(key, "AES"), new CtrParameterSpec(iv, offset));
      assertThat(pattern.pattern.run(c, in)).isEqualTo(expected);
      // The cipher is back at its initial position after doFinal: the pattern works again.
      assertThat(pattern.pattern.run(c, in)).as("second run").isEqualTo(expected);
    }
  }

  private static byte[] nonNull(byte[] b) {
    return b == null ? new byte[0] : b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    a = nonNull(a);
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
