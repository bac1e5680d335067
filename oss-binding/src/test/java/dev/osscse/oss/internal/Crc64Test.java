package dev.osscse.oss.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.common.utils.CRC64;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Crc64} against the OSS SDK's {@code CRC64}, the oracle for {@code x-oss-hash-crc64ecma}.
 */
class Crc64Test {
  private static long sdk(byte[] b, int off, int len) {
    CRC64 c = new CRC64();
    c.update(b, off, len);
    return c.getValue();
  }

  private static long ours(byte[] b, int off, int len) {
    Crc64 c = new Crc64();
    c.update(b, off, len);
    return c.getValue();
  }

  @Test
  void checkValue_of123456789_isTheCatalogues() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(ours(check, 0, check.length)).isEqualTo(0x995DC9BBDF1939FAL);
    assertThat(sdk(check, 0, check.length)).isEqualTo(0x995DC9BBDF1939FAL);
  }

  @Test
  void noBytes_isZero_asTheSdks() {
    assertThat(new Crc64().getValue()).isZero().isEqualTo(new CRC64().getValue());
  }

  @Test
  void everyLengthUpTo300_atEveryOffsetUpTo17_matchesTheSdk() {
    byte[] data = new byte[400];
    new SplittableRandom(1).nextBytes(data);
    for (int off = 0; off < 17; off++) {
      for (int len = 0; len <= 300; len++) {
        assertThat(ours(data, off, len))
            .as("offset %d length %d", off, len)
            .isEqualTo(sdk(data, off, len));
      }
    }
  }

  @Test
  void lengthsAroundTheLaneBlocks_atOffsets_matchTheSdk() {
    byte[] data = new byte[9000];
    new SplittableRandom(7).nextBytes(data);
    for (int off = 0; off < 17; off++) {
      for (int len :
          new int[] {
            1016, 1023, 1024, 1025, 1535, 2040, 2047, 2048, 2049, 3072, 4095, 4096, 4103, 8191
          }) {
        assertThat(ours(data, off, len))
            .as("offset %d length %d", off, len)
            .isEqualTo(sdk(data, off, len));
      }
    }
  }

  @Test
  void randomInputs_inRandomChunks_matchTheSdk() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int round = 0; round < 200; round++) {
      byte[] data = new byte[rnd.nextInt(1 << 17)];
      rnd.nextBytes(data);
      Crc64 ours = new Crc64();
      CRC64 theirs = new CRC64();
      for (int i = 0; i < data.length; ) {
        int n = Math.min(data.length - i, rnd.nextInt(1, rnd.nextBoolean() ? 40 : 9000));
        if (n == 1 && rnd.nextBoolean()) {
          ours.update(data[i]);
        } else {
          ours.update(data, i, n);
        }
        theirs.update(data, i, n);
        assertThat(ours.getValue())
            .as("round %d after %d bytes", round, i + n)
            .isEqualTo(theirs.getValue());
        i += n;
      }
      assertThat(ours.getValue()).isEqualTo(sdk(data, 0, data.length));
    }
  }

  @Test
  void allByteValues_oneAtATime_matchTheSdk() {
    Crc64 ours = new Crc64();
    CRC64 theirs = new CRC64();
    for (int b = -300; b < 300; b++) {
      ours.update(b);
      theirs.update(b);
    }
    assertThat(ours.getValue()).isEqualTo(theirs.getValue());
  }

  @Test
  void byteBuffers_heapAndDirect_matchTheArray() {
    byte[] data = new byte[10_000];
    new SplittableRandom(3).nextBytes(data);
    Crc64 heap = new Crc64();
    heap.update(ByteBuffer.wrap(data, 5, 9000));
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
    direct.position(5).limit(9005);
    Crc64 off = new Crc64();
    off.update(direct);
    assertThat(heap.getValue()).isEqualTo(off.getValue()).isEqualTo(sdk(data, 5, 9000));
  }

  @Test
  void reset_startsOver() {
    byte[] data = new byte[1000];
    new SplittableRandom(4).nextBytes(data);
    Crc64 c = new Crc64();
    c.update(data, 0, 500);
    c.reset();
    c.update(data, 0, 1000);
    assertThat(c.getValue()).isEqualTo(sdk(data, 0, 1000));
  }

  @Test
  void combine_matchesTheSdk_andTheWhole() {
    SplittableRandom rnd = new SplittableRandom(5);
    byte[] data = new byte[1 << 16];
    rnd.nextBytes(data);
    for (int round = 0; round < 300; round++) {
      int split = rnd.nextInt(data.length + 1);
      int end = rnd.nextInt(split, data.length + 1);
      long a = ours(data, 0, split);
      long b = ours(data, split, end - split);
      assertThat(Crc64.combine(a, b, end - split))
          .as("split %d end %d", split, end)
          .isEqualTo(CRC64.combine(a, b, end - split))
          .isEqualTo(ours(data, 0, end));
    }
    // Lengths past what any byte array holds: the SDK's combine is the oracle.
    for (long len : new long[] {1L << 31, (5L << 30) + 7, 1L << 50, Long.MAX_VALUE}) {
      long a = rnd.nextLong();
      long b = rnd.nextLong();
      assertThat(Crc64.combine(a, b, len)).as("length %d", len).isEqualTo(CRC64.combine(a, b, len));
    }
  }

  @Test
  void combine_negativeLength_isRefused() {
    assertThatThrownBy(() -> Crc64.combine(1, 2, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lengthB");
  }

  @Test
  void update_outOfBounds_isRefused() {
    Crc64 c = new Crc64();
    assertThatThrownBy(() -> c.update(new byte[10], 5, 6))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(c.getValue()).isZero();
  }
}
