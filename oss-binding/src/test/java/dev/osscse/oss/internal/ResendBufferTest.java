package dev.osscse.oss.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The resend buffer of one-shot upload bodies: rewinds like a BufferedInputStream, copies less. */
class ResendBufferTest {
  private static byte[] data(int size, long seed) {
    byte[] d = new byte[size];
    new Random(seed).nextBytes(d);
    return d;
  }

  @Property(tries = 60)
  void resetWithinTheMark_replaysTheSameBytes(
      @ForAll @IntRange(min = 0, max = 20000) int size,
      @ForAll @IntRange(min = 1, max = 9000) int capacity,
      @ForAll @IntRange(min = 0, max = 9000) int before,
      @ForAll @IntRange(min = 1, max = 700) int chunk)
      throws IOException {
    byte[] d = data(size, size + capacity);
    ResendBuffer in = new ResendBuffer(StreamsTest.trickle(d, chunk), capacity);
    in.mark(capacity);
    int first = Math.min(Math.min(before, capacity), size);
    assertThat(in.readNBytes(first)).isEqualTo(java.util.Arrays.copyOf(d, first));
    in.reset();
    assertThat(in.readAllBytes()).isEqualTo(d);
  }

  @Test
  void resetAfterTheMarksLimit_fails() throws IOException {
    byte[] d = data(10_000, 1);
    ResendBuffer in = new ResendBuffer(new ByteArrayInputStream(d), 4096);
    in.mark(1 << 20); // more than the capacity: the capacity bounds it
    assertThat(in.readNBytes(5000)).hasSize(5000);
    assertThatThrownBy(in::reset).isInstanceOf(IOException.class);
    assertThat(in.readAllBytes()).hasSize(5000);
  }

  @Test
  void resetWithoutMark_fails() {
    ResendBuffer in = new ResendBuffer(new ByteArrayInputStream(new byte[10]), 4096);
    assertThatThrownBy(in::reset).isInstanceOf(IOException.class);
  }

  @Test
  void markWhileReplaying_keepsTheBytesStillToCome() throws IOException {
    byte[] d = data(3000, 2);
    ResendBuffer in = new ResendBuffer(new ByteArrayInputStream(d), 4096);
    in.mark(4096);
    in.readNBytes(2000);
    in.reset();
    in.readNBytes(500);
    in.mark(4096);
    in.readNBytes(1000);
    in.reset();
    assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(d, 500, 3000));
    // a mark smaller than what is still to replay: replayed once, then no reset
    ResendBuffer small = new ResendBuffer(new ByteArrayInputStream(d), 4096);
    small.mark(4096);
    small.readNBytes(2000);
    small.reset();
    small.mark(100);
    assertThat(small.readAllBytes()).isEqualTo(d);
    assertThatThrownBy(small::reset).isInstanceOf(IOException.class);
  }

  @Test
  void pastTheMarksLimit_readsGoStraightIntoTheCallersBuffer() throws IOException {
    List<byte[]> buffersSeen = new ArrayList<>();
    InputStream source =
        new ByteArrayInputStream(data(100_000, 3)) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            buffersSeen.add(b);
            return super.read(b, off, len);
          }
        };
    ResendBuffer in = new ResendBuffer(source, 8192);
    in.mark(8192);
    byte[] mine = new byte[4096];
    while (in.read(mine, 0, mine.length) >= 0) {
      // drain
    }
    assertThat(buffersSeen).isNotEmpty().allMatch(b -> b == mine);
  }
}
