package dev.osscse.oss.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The tagging and verifying streams: tags do not depend on how the body is read, parts tagged
 * separately give the tags of the whole, and any changed, missing, extra or moved byte of a covered
 * chunk is refused before the chunk is handed out.
 */
class AuthStreamsTest {
  private static final int C = AuthRecord.CHUNK_SIZE;

  private static AuthKeys keys() throws Exception {
    byte[] cek = new byte[32];
    byte[] iv = new byte[16];
    new Random(11).nextBytes(cek);
    new Random(12).nextBytes(iv);
    return AuthKeys.derive(cek, iv);
  }

  private static byte[] data(int length, long seed) {
    byte[] d = new byte[length];
    new Random(seed).nextBytes(d);
    return d;
  }

  /** Reads {@code in} with reads of random sizes. */
  private static byte[] drain(InputStream in, Random r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = new byte[70_000];
    for (int n; (n = in.read(b, 0, 1 + r.nextInt(b.length))) >= 0; ) {
      out.write(b, 0, n);
    }
    return out.toByteArray();
  }

  private static AuthRecord tag(AuthKeys k, byte[] ct, long seed, boolean knownEnd)
      throws Exception {
    TagTable t = new TagTable();
    try (TaggingInputStream in =
        new TaggingInputStream(
            new ByteArrayInputStream(ct), 0, knownEnd ? ct.length : -1, k.newChunkMac(), t)) {
      assertThat(drain(in, new Random(seed))).isEqualTo(ct);
    }
    return t.record(ct.length, 0);
  }

  @Property(tries = 12)
  void tags_independentOfReadSizesAndOfKnowingTheEnd(
      @ForAll @IntRange(min = 0, max = 3 * C + 100) int length, @ForAll long seed)
      throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(length, seed);
    AuthRecord a = tag(k, ct, seed, true);
    AuthRecord b = tag(k, ct, seed + 1, false);
    assertThat(a.tags()).isEqualTo(b.tags());
    try (VerifyingInputStream v =
        new VerifyingInputStream(new ByteArrayInputStream(ct), 0, length, a, k.newChunkMac())) {
      assertThat(drain(v, new Random(seed))).isEqualTo(ct);
    }
  }

  @Test
  void tags_ofPartsTaggedOnTheirOwn_equalTagsOfTheWhole() throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(5 * C + 77, 3);
    TagTable parts = new TagTable();
    for (int start = 0; start < ct.length; start += 2 * C) {
      int end = Math.min(ct.length, start + 2 * C);
      try (TaggingInputStream in =
          new TaggingInputStream(
              new ByteArrayInputStream(Arrays.copyOfRange(ct, start, end)),
              start,
              end,
              k.newChunkMac(),
              parts)) {
        in.readAllBytes();
      }
    }
    assertThat(parts.record(ct.length, 0).tags()).isEqualTo(tag(k, ct, 1, true).tags());
  }

  @Test
  void record_missingChunkTag_isRefused() throws Exception {
    AuthKeys k = keys();
    TagTable t = new TagTable();
    try (TaggingInputStream in =
        new TaggingInputStream(
            new ByteArrayInputStream(new byte[C]), C, 2L * C, k.newChunkMac(), t)) {
      in.readAllBytes();
    }
    assertThatThrownBy(() -> t.record(2L * C, 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void verify_oneByteChangedAnywhere_isRefusedBeforeTheChunkIsReturned() throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(3 * C + 10, 5);
    AuthRecord r = tag(k, ct, 5, true);
    Random rnd = new Random(7);
    int[] positions = {
      0, C - 1, C, 2 * C, ct.length - 1, rnd.nextInt(ct.length), rnd.nextInt(ct.length)
    };
    int detected = 0;
    for (int p : positions) {
      byte[] bad = ct.clone();
      bad[p] ^= (byte) (1 + rnd.nextInt(255));
      long chunk = p / C;
      VerifyingInputStream v =
          new VerifyingInputStream(new ByteArrayInputStream(bad), 0, ct.length, r, k.newChunkMac());
      byte[] before = new byte[(int) (chunk * C)];
      assertThat(v.readNBytes(before, 0, before.length)).isEqualTo(before.length);
      assertThat(before).isEqualTo(Arrays.copyOf(ct, before.length));
      assertThatThrownBy(v::read)
          .isInstanceOf(AuthFailureException.class)
          .hasMessage("chunk " + chunk + " failed authentication");
      assertThatThrownBy(v::read).isInstanceOf(AuthFailureException.class); // stays failed
      detected++;
    }
    assertThat(detected).isEqualTo(positions.length);
  }

  @Test
  void verify_rangeOfChunks_verifiesOnlyThoseAndRefusesASwappedChunk() throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(4 * C, 6);
    AuthRecord r = tag(k, ct, 6, true);
    byte[] middle = Arrays.copyOfRange(ct, C, 3 * C);
    try (VerifyingInputStream v =
        new VerifyingInputStream(new ByteArrayInputStream(middle), C, 3L * C, r, k.newChunkMac())) {
      assertThat(v.readAllBytes()).isEqualTo(middle);
    }
    byte[] swapped = new byte[2 * C];
    System.arraycopy(ct, 2 * C, swapped, 0, C);
    System.arraycopy(ct, C, swapped, C, C);
    VerifyingInputStream v =
        new VerifyingInputStream(new ByteArrayInputStream(swapped), C, 3L * C, r, k.newChunkMac());
    assertThatThrownBy(v::readAllBytes).hasMessage("chunk 1 failed authentication");
  }

  @Test
  void verify_bodyEndingInsideAChunk_isRefused() throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(2 * C, 8);
    AuthRecord r = tag(k, ct, 8, true);
    VerifyingInputStream v =
        new VerifyingInputStream(
            new ByteArrayInputStream(Arrays.copyOf(ct, 2 * C - 1)), 0, 2L * C, r, k.newChunkMac());
    assertThat(v.readNBytes(C)).isEqualTo(Arrays.copyOf(ct, C));
    assertThatThrownBy(v::read)
        .isInstanceOf(AuthFailureException.class)
        .hasMessageContaining("before the end of chunk 1");
  }

  @Test
  void verify_boundsNotOnChunks_areRejected() throws Exception {
    AuthKeys k = keys();
    AuthRecord r = tag(k, data(2 * C, 9), 9, true);
    InputStream empty = new ByteArrayInputStream(new byte[0]);
    assertThatThrownBy(() -> new VerifyingInputStream(empty, 16, 2L * C, r, k.newChunkMac()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VerifyingInputStream(empty, 0, C + 1L, r, k.newChunkMac()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VerifyingInputStream(empty, 0, 3L * C, r, k.newChunkMac()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ beside the transfer

  @Test
  void tagging_resetToTheMarkAfterSomeChunks_givesTheTagsOfOnePass() throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(4 * C + 5, 21);
    TagTable t = new TagTable();
    try (TaggingInputStream in =
        new TaggingInputStream(new ByteArrayInputStream(ct), 0, ct.length, k.newChunkMac(), t)) {
      in.mark(Integer.MAX_VALUE);
      assertThat(in.readNBytes(2 * C + C / 2)).isEqualTo(Arrays.copyOf(ct, 2 * C + C / 2));
      in.reset();
      assertThat(drain(in, new Random(22))).isEqualTo(ct);
    }
    assertThat(t.record(ct.length, 0).tags()).isEqualTo(tag(k, ct, 23, true).tags());
  }

  @Test
  void chunkMacs_ofALongBody_runOnDaemonThreads_atMostOnePerProcessor() throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(6 * C, 24);
    AuthRecord r = tag(k, ct, 24, true);
    try (VerifyingInputStream v =
        new VerifyingInputStream(new ByteArrayInputStream(ct), 0, ct.length, r, k.newChunkMac())) {
      assertThat(v.readAllBytes()).isEqualTo(ct);
    }
    java.util.List<Thread> workers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("oss-cse-chunk-mac-"))
            .toList();
    assertThat(workers).isNotEmpty().allMatch(Thread::isDaemon);
    assertThat(workers.size()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void verify_fetchOfTheNextChunkFails_chunkBeforeIsStillReturnedThenTheStreamStaysFailed()
      throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(3 * C, 25);
    AuthRecord r = tag(k, ct, 25, true);
    InputStream breaks =
        new InputStream() {
          private int pos;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= C + 100) {
              throw new IOException("connection reset");
            }
            int n = Math.min(len, C + 100 - pos);
            System.arraycopy(ct, pos, b, off, n);
            pos += n;
            return n;
          }
        };
    VerifyingInputStream v = new VerifyingInputStream(breaks, 0, ct.length, r, k.newChunkMac());
    assertThat(v.readNBytes(C)).isEqualTo(Arrays.copyOf(ct, C));
    assertThatThrownBy(v::read).isInstanceOf(IOException.class).hasMessage("connection reset");
    assertThatThrownBy(v::read).isInstanceOf(AuthFailureException.class); // stays failed
  }

  @Test
  void verify_tamperedChunk_noByteOfItNorOfLaterChunksIsReturned() throws Exception {
    AuthKeys k = keys();
    byte[] ct = data(5 * C, 26);
    AuthRecord r = tag(k, ct, 26, true);
    byte[] bad = ct.clone();
    bad[2 * C + 7] ^= 1;
    VerifyingInputStream v =
        new VerifyingInputStream(new ByteArrayInputStream(bad), 0, ct.length, r, k.newChunkMac());
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] b = new byte[4096];
    assertThatThrownBy(
            () -> {
              for (int n; (n = v.read(b, 0, b.length)) >= 0; ) {
                got.write(b, 0, n);
              }
            })
        .hasMessage("chunk 2 failed authentication");
    assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(ct, 2 * C));
  }
}
