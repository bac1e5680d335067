package dev.osscse.oss;

import static dev.osscse.oss.LocalOssBed.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.local.oss.RequestMatcher;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The seekable channel over encrypted objects, over real HTTP to the local OSS endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptedObjectChannelTest {
  static final int SIZE = 1536 * 1024 + 7;

  @TempDir static Path dir;
  LocalOssBed bed;
  OssCseClient cse;
  byte[] plain;

  @BeforeAll
  void start() throws Exception {
    bed = new LocalOssBed(Files.createDirectories(dir.resolve("oss")));
    cse = bed.client();
    plain = LocalOssBed.data(SIZE, 42);
    cse.putObject(BUCKET, "obj.bin", plain, null);
  }

  @AfterEach
  void clearFaults() {
    bed.server.faults().clear();
  }

  @AfterAll
  void stop() {
    bed.close();
  }

  /** Reads up to {@code len} bytes at {@code pos} with repeated channel reads. */
  static byte[] readAt(EncryptedObjectChannel ch, long pos, int len) throws IOException {
    ch.position(pos);
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        break;
      }
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  @Test
  void randomReads_seeded_matchPlaintext() throws Exception {
    Random rnd = new Random(20261127L);
    try (EncryptedObjectChannel ch =
        EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin", 32 * 1024)) {
      assertThat(ch.size()).isEqualTo(SIZE);
      for (int i = 0; i < 400; i++) {
        long pos =
            switch (i % 10) {
              case 0 -> SIZE - 1 - rnd.nextInt(40); // near the end
              case 1 -> rnd.nextInt(64); // near the start
              default -> rnd.nextInt(SIZE + 64); // anywhere, sometimes past the end
            };
        int len = 1 + (i % 7 == 0 ? rnd.nextInt(200_000) : rnd.nextInt(5000));
        byte[] got = readAt(ch, pos, len);
        int from = (int) Math.min(pos, SIZE);
        int to = (int) Math.min((long) SIZE, pos + len);
        assertThat(got)
            .as("read %d at %d+%d", i, pos, len)
            .isEqualTo(Arrays.copyOfRange(plain, from, to));
        assertThat(ch.position()).isEqualTo(Math.max(pos, Math.min(pos + len, SIZE)));
      }
    }
  }

  @Test
  void sequentialReads_reuseOpenResponse_fewGets() throws Exception {
    long before = bed.server.requestCount();
    ByteBuffer all = ByteBuffer.allocate(SIZE);
    int reads = 0;
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin")) {
      ByteBuffer chunk = ByteBuffer.allocate(4096);
      while (true) {
        chunk.clear();
        int n = ch.read(chunk);
        if (n < 0) {
          break;
        }
        reads++;
        chunk.flip();
        all.put(chunk);
      }
      long requests = bed.server.requestCount() - before; // 1 HEAD + the GETs
      assertThat(ch.getRequestCount()).isEqualTo(requests - 1);
      // Windows of 256 KiB, 512 KiB, 1 MiB cover the 1.5 MiB object: 3 GETs for ~385 reads.
      assertThat(ch.getRequestCount()).isEqualTo(3);
      assertThat(reads).isGreaterThan(300);
    }
    assertThat(all.array()).isEqualTo(plain);
  }

  @Test
  void smallSequentialReads_oneGet() throws Exception {
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin")) {
      long before = bed.server.requestCount();
      assertThat(readAt(ch, 1000, 10)).isEqualTo(Arrays.copyOfRange(plain, 1000, 1010));
      for (int i = 0; i < 20; i++) {
        ByteBuffer b = ByteBuffer.allocate(333);
        long at = ch.position();
        assertThat(ch.read(b)).isEqualTo(333);
        assertThat(b.array()).isEqualTo(Arrays.copyOfRange(plain, (int) at, (int) at + 333));
      }
      // A short forward seek inside the window reads through the same response.
      assertThat(readAt(ch, ch.position() + 5000, 100))
          .isEqualTo(Arrays.copyOfRange(plain, 1010 + 20 * 333 + 5000, 1010 + 20 * 333 + 5100));
      assertThat(bed.server.requestCount() - before).isEqualTo(1);
      assertThat(ch.getRequestCount()).isEqualTo(1);
      // A backward seek needs a new GET.
      assertThat(readAt(ch, 3, 13)).isEqualTo(Arrays.copyOfRange(plain, 3, 16));
      assertThat(ch.getRequestCount()).isEqualTo(2);
    }
  }

  @Test
  void nextWindow_policy_firstSequentialRandom() {
    int ra = EncryptedObjectChannel.DEFAULT_READ_AHEAD;
    int max = EncryptedObjectChannel.MAX_READ_AHEAD;
    int min = EncryptedObjectChannel.RANDOM_MIN_WINDOW;
    // The first GET takes the read-ahead given at open, whatever the read's size.
    assertThat(EncryptedObjectChannel.nextWindow(true, false, ra, ra, 10)).isEqualTo(ra);
    // Sequential GETs double the last window, up to the maximum.
    assertThat(EncryptedObjectChannel.nextWindow(false, true, 64 * 1024, ra, 10))
        .isEqualTo(128 * 1024);
    assertThat(EncryptedObjectChannel.nextWindow(false, true, max, ra, 10)).isEqualTo(max);
    // A seek takes the read's size, at least the floor and at most the read-ahead given at open.
    assertThat(EncryptedObjectChannel.nextWindow(false, false, ra, ra, 65536)).isEqualTo(65536);
    assertThat(EncryptedObjectChannel.nextWindow(false, false, max, ra, 10)).isEqualTo(min);
    assertThat(EncryptedObjectChannel.nextWindow(false, false, ra, ra, 4 * ra)).isEqualTo(ra);
    assertThat(EncryptedObjectChannel.nextWindow(false, false, 4096, 4096, 10)).isEqualTo(4096);
  }

  @Test
  void defaultReadAhead_afterSeek_getsOnlyTheReadThenGrowsBack() throws Exception {
    int k64 = 64 * 1024;
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin")) {
      long before = bed.server.requestCount();
      assertThat(readAt(ch, 0, k64)).isEqualTo(Arrays.copyOfRange(plain, 0, k64));
      // The first GET took the default 256 KiB: the next 64 KiB come from the same response.
      assertThat(readAt(ch, k64, k64)).isEqualTo(Arrays.copyOfRange(plain, k64, 2 * k64));
      assertThat(ch.getRequestCount()).isEqualTo(1);
      // A seek: the GET covers the 64 KiB read and no more, so reading on needs a new GET.
      int at = 1024 * 1024;
      assertThat(readAt(ch, at, k64)).isEqualTo(Arrays.copyOfRange(plain, at, at + k64));
      assertThat(ch.getRequestCount()).isEqualTo(2);
      assertThat(readAt(ch, at + k64, k64))
          .isEqualTo(Arrays.copyOfRange(plain, at + k64, at + 2 * k64));
      assertThat(ch.getRequestCount()).isEqualTo(3);
      // That sequential GET doubled the window to 128 KiB: one more 64 KiB read from it.
      assertThat(readAt(ch, at + 2 * k64, k64))
          .isEqualTo(Arrays.copyOfRange(plain, at + 2 * k64, at + 3 * k64));
      assertThat(ch.getRequestCount()).isEqualTo(3);
      // The next doubles to 256 KiB, clipped at the object's end: the rest in one GET.
      assertThat(readAt(ch, at + 3 * k64, SIZE))
          .isEqualTo(Arrays.copyOfRange(plain, at + 3 * k64, SIZE));
      assertThat(ch.getRequestCount()).isEqualTo(4);
      assertThat(bed.server.requestCount() - before).isEqualTo(4);
    }
  }

  @Test
  void defaultReadAhead_randomReads_oneGetEachAndNoReadPastTheRead() throws Exception {
    Random rnd = new Random(20261205L);
    int len = 20_000;
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin")) {
      long before = bed.server.requestCount();
      int prev = -1_000_000;
      for (int i = 0; i < 40; i++) {
        int pos;
        do { // never inside the response left open by the last read
          pos = rnd.nextInt(SIZE - len - 1);
        } while (Math.abs(pos - prev) < 300_000);
        prev = pos;
        assertThat(readAt(ch, pos, len)).isEqualTo(Arrays.copyOfRange(plain, pos, pos + len));
        // One byte past the read: after a seek the GET fetched the read alone (20,000 bytes,
        // above the 16 KiB floor), so this is a GET of its own (the first GET took 256 KiB).
        assertThat(readAt(ch, pos + len, 1)).containsExactly(plain[pos + len]);
        assertThat(ch.getRequestCount()).isEqualTo(2L * i + 1);
      }
      assertThat(bed.server.requestCount() - before).isEqualTo(ch.getRequestCount());
    }
  }

  @Test
  void defaultReadAhead_smallReadAfterSeek_sixteenKiBServesTheNextReads() throws Exception {
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin")) {
      assertThat(readAt(ch, 0, 8)).isEqualTo(Arrays.copyOfRange(plain, 0, 8));
      int at = 900_000;
      assertThat(readAt(ch, at, 10)).isEqualTo(Arrays.copyOfRange(plain, at, at + 10));
      for (int i = 0; i < 40; i++) {
        ByteBuffer b = ByteBuffer.allocate(333);
        long p = ch.position();
        assertThat(ch.read(b)).isEqualTo(333);
        assertThat(b.array()).isEqualTo(Arrays.copyOfRange(plain, (int) p, (int) p + 333));
      }
      // 10 + 40 * 333 bytes fit in the 16 KiB floor of the GET after the seek.
      assertThat(ch.getRequestCount()).isEqualTo(2);
    }
  }

  @Test
  void multipartObject_sizeFromObjectLength() throws Exception {
    byte[] data = LocalOssBed.data(300 * 1024 + 9, 7);
    MultipartUploader.builder(cse.core())
        .partSize(128 * 1024)
        .build()
        .upload(BUCKET, "mp.bin", new java.io.ByteArrayInputStream(data), -1, null);
    try (EncryptedObjectChannel ch =
        EncryptedObjectChannel.open(cse.core(), BUCKET, "mp.bin", 4096)) {
      assertThat(ch.envelope().orElseThrow().unencryptedLength()).isEmpty();
      assertThat(ch.size()).isEqualTo(data.length);
      assertThat(readAt(ch, 128 * 1024 - 3, 20))
          .isEqualTo(Arrays.copyOfRange(data, 128 * 1024 - 3, 128 * 1024 + 17));
      assertThat(readAt(ch, data.length - 5, 100))
          .isEqualTo(Arrays.copyOfRange(data, data.length - 5, data.length));
    }
  }

  @Test
  void pastEnd_readReturnsMinusOne() throws Exception {
    try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin")) {
      ch.position(SIZE);
      assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
      ch.position(SIZE + 1000L);
      assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
      assertThat(ch.read(ByteBuffer.allocate(0))).isZero();
      assertThat(ch.getRequestCount()).isZero();
      assertThatThrownBy(() -> ch.position(-1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void writeAndTruncate_nonWritable_closedRefuses() throws Exception {
    EncryptedObjectChannel ch = EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin");
    assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1)))
        .isInstanceOf(NonWritableChannelException.class);
    assertThatThrownBy(() -> ch.truncate(0)).isInstanceOf(NonWritableChannelException.class);
    readAt(ch, 0, 10);
    ch.close();
    assertThat(ch.isOpen()).isFalse();
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1)))
        .isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(ch::size).isInstanceOf(ClosedChannelException.class);
    ch.close();
  }

  @Test
  void failedRead_channelStaysFailed() throws Exception {
    try (EncryptedObjectChannel ch =
        EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin", 4096)) {
      assertThat(readAt(ch, 0, 100)).isEqualTo(Arrays.copyOf(plain, 100));
      bed.server.faults().failNext(1, 500, RequestMatcher.methodAndKey("GET", "obj.bin"));
      assertThatThrownBy(() -> readAt(ch, 500_000, 100))
          .isInstanceOf(IOException.class)
          .hasCauseInstanceOf(com.aliyun.oss.OSSException.class);
      bed.server.faults().clear();
      assertThatThrownBy(() -> readAt(ch, 0, 100))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("failed earlier");
      assertThatThrownBy(ch::position).isInstanceOf(IOException.class);
    }
  }

  @Test
  void truncatedBody_failsWithIoException() throws Exception {
    try (EncryptedObjectChannel ch =
        EncryptedObjectChannel.open(cse.core(), BUCKET, "obj.bin", 65536)) {
      bed.server
          .faults()
          .truncateGetBodyAfter(1000, 1, RequestMatcher.methodAndKey("GET", "obj.bin"));
      assertThatThrownBy(() -> readAt(ch, 0, 60_000)).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> readAt(ch, 0, 10)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void objectReplacedAfterOpen_readFailsPrecondition() throws Exception {
    byte[] v1 = LocalOssBed.data(100_000, 1);
    cse.putObject(BUCKET, "changing.bin", v1, null);
    try (EncryptedObjectChannel ch =
        EncryptedObjectChannel.open(cse.core(), BUCKET, "changing.bin", 4096)) {
      assertThat(readAt(ch, 10, 10)).isEqualTo(Arrays.copyOfRange(v1, 10, 20));
      cse.putObject(BUCKET, "changing.bin", LocalOssBed.data(100_000, 2), null);
      assertThatThrownBy(() -> readAt(ch, 50_000, 10))
          .isInstanceOf(IOException.class)
          .cause()
          .isInstanceOf(com.aliyun.oss.OSSException.class)
          .satisfies(
              c ->
                  assertThat(((com.aliyun.oss.OSSException) c).getErrorCode())
                      .isEqualTo("PreconditionFailed"));
      assertThatThrownBy(() -> readAt(ch, 10, 10)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void open_plaintextObject_refusedUnlessAllowed() throws Exception {
    byte[] raw = LocalOssBed.data(5000, 3);
    bed.oss.putObject(
        BUCKET, "plain.bin", new java.io.ByteArrayInputStream(raw), new ObjectMetadata());
    assertThatThrownBy(() -> EncryptedObjectChannel.open(cse.core(), BUCKET, "plain.bin"))
        .isInstanceOf(UnencryptedObjectException.class);
    OssCseClient lenient =
        OssCseClient.builder(bed.oss)
            .encryptWith(LocalOssBed.oldKey())
            .allowPlaintextObjects(true)
            .build();
    try (EncryptedObjectChannel ch =
        EncryptedObjectChannel.open(lenient.core(), BUCKET, "plain.bin")) {
      assertThat(ch.envelope()).isEmpty();
      assertThat(readAt(ch, 17, 100)).isEqualTo(Arrays.copyOfRange(raw, 17, 117));
    }
  }

  @Test
  void open_withoutMatchingKey_unwrapFails() {
    assertThatThrownBy(
            () ->
                EncryptedObjectChannel.open(
                    bed.readerOf(LocalOssBed.newKey()).core(), BUCKET, "obj.bin"))
        .isInstanceOf(NoMatchingMasterKeyException.class);
    MasterKey wrongKeySameDesc = MasterKey.rsa(LocalOssBed.newPair(), LocalOssBed.OLD_DESC);
    assertThatThrownBy(
            () ->
                EncryptedObjectChannel.open(
                    bed.readerOf(wrongKeySameDesc).core(), BUCKET, "obj.bin"))
        .isInstanceOf(java.security.InvalidKeyException.class)
        .hasMessage(EnvelopeCrypto.UNWRAP_FAILED);
  }
}
