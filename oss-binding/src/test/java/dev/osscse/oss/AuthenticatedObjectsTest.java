package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.oss.internal.MetadataKeys;
import dev.osscse.oss.internal.auth.AuthRecord;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Authenticated objects (docs/format.md FMT-26..FMT-31) over the real SDK client and the local OSS
 * endpoint: what a tagging client writes is read back by requiring and non-requiring clients, and
 * every attack of docs/authenticated-objects.md is refused by the requiring one. Tampering is done
 * with the plain SDK client, as an attacker with write access to the bucket would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatedObjectsTest extends AuthenticatedTestBase {
  AuthenticatedObjectsTest() {
    super("auth");
  }

  /** What an attacker sees: the stored bytes and user metadata. */
  record Stored(byte[] body, Map<String, String> user) {}

  Stored stored(String key) throws IOException {
    try (OSSObject o = oss.client().getObject(B, key);
        InputStream in = o.getObjectContent()) {
      return new Stored(
          in.readAllBytes(), new LinkedHashMap<>(o.getObjectMetadata().getUserMetadata()));
    }
  }

  void plant(String key, byte[] body, Map<String, String> user) {
    ObjectMetadata md = new ObjectMetadata();
    user.forEach(md::addUserMetadata);
    md.setContentLength(body.length);
    oss.client().putObject(B, key, new ByteArrayInputStream(body), md);
  }

  static byte[] readAll(OssCseClient c, String key, ByteRange range) throws Exception {
    try (UnauthenticatedObjectStream in = c.getObject(B, key, range)) {
      return in.readAllBytes();
    }
  }

  // ------------------------------------------------------------------ round trips

  @Test
  void fmt26_putAuthenticated_marksObjectAndWritesCompanion_readByAllReaders() throws Exception {
    for (int size : new int[] {0, 1, 100, C - 1, C, C + 1, 3 * C + 5}) {
      String key = "rt/" + size;
      byte[] plain = data(size, size);
      writer.putObject(B, key, plain, null);
      Stored s = stored(key);
      assertThat(s.user()).containsEntry(MetadataKeys.AUTH, "v1");
      assertThat(s.body()).hasSize(size);
      assertThat(stored(AuthRecord.companionKey(key)).body())
          .hasSize((int) AuthRecord.encodedLength(size));
      assertThat(readAll(strict, key, null)).as("size %d", size).isEqualTo(plain);
      assertThat(readAll(lenient, key, null)).isEqualTo(plain);
      if (size > 0) {
        long first = size / 3;
        long last = Math.min(size - 1, first + 70_000);
        assertThat(readAll(strict, key, ByteRange.of(first, last)))
            .isEqualTo(Arrays.copyOfRange(plain, (int) first, (int) last + 1));
        int suffix = Math.min(size, 1000);
        assertThat(readAll(strict, key, ByteRange.suffix(suffix)))
            .isEqualTo(Arrays.copyOfRange(plain, size - suffix, size));
      }
    }
  }

  @Test
  void fmt26_putFromStreamOfUnknownLength_isAuthenticated() throws Exception {
    byte[] plain = data(2 * C + 300, 9);
    writer.putObject(B, "rt/stream", new ByteArrayInputStream(plain), null);
    assertThat(readAll(strict, "rt/stream", null)).isEqualTo(plain);
    Path file = dir.resolve("stream.out");
    strict.downloadObject(B, "rt/stream", file);
    assertThat(Files.readAllBytes(file)).isEqualTo(plain);
  }

  @Test
  void fmt30_lenientReader_readsTaggedAndUntagged_strictRefusesUntagged() throws Exception {
    byte[] plain = data(5000, 1);
    lenient.putObject(B, "plain-cse/untagged", plain, null);
    assertThat(readAll(lenient, "plain-cse/untagged", null)).isEqualTo(plain);
    assertThatThrownBy(() -> readAll(strict, "plain-cse/untagged", null))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("no authentication record");
  }

  // ------------------------------------------------------------------ attacks

  /** Every read of {@code strict} that covers {@code pos}; each must refuse the object. */
  List<ThrowingRead> readsCovering(String key, long pos, long size) {
    List<ThrowingRead> reads = new ArrayList<>();
    reads.add(() -> readAll(strict, key, null));
    reads.add(() -> readAll(strict, key, ByteRange.of(pos, pos)));
    reads.add(
        () ->
            readAll(
                strict, key, ByteRange.of(Math.max(0, pos - 20), Math.min(size - 1, pos + 20))));
    reads.add(() -> readAll(strict, key, ByteRange.suffix(size - pos)));
    reads.add(
        () -> {
          Path f = dir.resolve("dl-" + pos);
          try {
            strict.downloadObject(B, key, f);
          } finally {
            assertThat(f).as("a refused download leaves no file").doesNotExist();
          }
          return null;
        });
    reads.add(
        () -> {
          try (EncryptedObjectChannel ch = EncryptedObjectChannel.open(strict.core(), B, key)) {
            ch.position(pos);
            ByteBuffer b = ByteBuffer.allocate(16);
            while (b.hasRemaining() && ch.read(b) >= 0) {
              // read until 16 bytes or the end
            }
            return b.array();
          }
        });
    return reads;
  }

  interface ThrowingRead {
    Object run() throws Exception;
  }

  @Test
  void oneByteChangedAtFirstLastChunkBoundaryAndRandomPositions_isDetectedByEveryCoveringRead()
      throws Exception {
    int size = 3 * C + 5;
    String key = "tamper/flip";
    byte[] plain = data(size, 42);
    writer.putObject(B, key, plain, null);
    Stored good = stored(key);
    Random r = new Random(7);
    List<Long> positions =
        new ArrayList<>(List.of(0L, (long) C - 1, (long) C, 2L * C, 3L * C, (long) size - 1));
    for (int i = 0; i < 6; i++) {
      positions.add((long) r.nextInt(size));
    }
    int trials = 0;
    int detected = 0;
    for (long pos : positions) {
      byte[] bad = good.body().clone();
      bad[(int) pos] ^= (byte) (1 + r.nextInt(255));
      plant(key, bad, good.user());
      for (ThrowingRead read : readsCovering(key, pos, size)) {
        trials++;
        try {
          read.run();
        } catch (ObjectAuthenticationException e) {
          assertThat(e.getMessage()).contains("chunk " + (pos / C) + " failed authentication");
          detected++;
        }
      }
      // the lenient reader still returns the (flipped) plaintext: no integrity without the switch
      assertThat(readAll(lenient, key, null)).hasSize(size);
    }
    assertThat(detected).as("detected of %d", trials).isEqualTo(trials);
    assertThat(trials).isEqualTo(positions.size() * 6);
    plant(key, good.body(), good.user());
    assertThat(readAll(strict, key, null)).isEqualTo(plain);
  }

  @Test
  void removedRecord_isRefused() throws Exception {
    writer.putObject(B, "tamper/no-record", data(1000, 2), null);
    oss.client().deleteObject(B, AuthRecord.companionKey("tamper/no-record"));
    assertThatThrownBy(() -> readAll(strict, "tamper/no-record", null))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("no authentication record");
  }

  @Test
  void alteredRecord_everyByteOfIt_isRefused() throws Exception {
    String key = "tamper/record";
    writer.putObject(B, key, data(C + 10, 3), null);
    String companion = AuthRecord.companionKey(key);
    Stored rec = stored(companion);
    int refused = 0;
    for (int i = 0; i < rec.body().length; i++) {
      byte[] bad = rec.body().clone();
      bad[i] ^= 0x01;
      plant(companion, bad, Map.of());
      assertThatThrownBy(() -> readAll(strict, key, ByteRange.of(0, 0)))
          .isInstanceOf(ObjectAuthenticationException.class);
      refused++;
    }
    assertThat(refused).isEqualTo(rec.body().length);
  }

  @Test
  void strippedMarker_downgrade_isRefused() throws Exception {
    String key = "tamper/downgrade";
    writer.putObject(B, key, data(4000, 4), null);
    Stored s = stored(key);
    Map<String, String> user = new LinkedHashMap<>(s.user());
    user.remove(MetadataKeys.AUTH);
    plant(key, s.body(), user);
    assertThatThrownBy(() -> readAll(strict, key, null))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("not marked as authenticated");
  }

  @Test
  void swappedChunks_areRefused() throws Exception {
    String key = "tamper/swap-chunks";
    writer.putObject(B, key, data(2 * C, 5), null);
    Stored s = stored(key);
    byte[] swapped = new byte[2 * C];
    System.arraycopy(s.body(), C, swapped, 0, C);
    System.arraycopy(s.body(), 0, swapped, C, C);
    plant(key, swapped, s.user());
    assertThatThrownBy(() -> readAll(strict, key, null))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("chunk 0 failed authentication");
    assertThatThrownBy(() -> readAll(strict, key, ByteRange.of(C + 5, C + 5)))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("chunk 1 failed authentication");
  }

  @Test
  void swappedObject_withItsRecord_isRefused() throws Exception {
    writer.putObject(B, "tamper/a", data(3000, 6), null);
    writer.putObject(B, "tamper/b", data(3000, 7), null);
    Stored a = stored("tamper/a");
    // A's body, envelope and record copied over B
    plant("tamper/b", a.body(), a.user());
    plant(
        AuthRecord.companionKey("tamper/b"),
        stored(AuthRecord.companionKey("tamper/a")).body(),
        Map.of());
    assertThatThrownBy(() -> readAll(strict, "tamper/b", null))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("authentication record does not verify");
  }

  @Test
  void swappedObject_keepingTheVictimsRecord_isRefused() throws Exception {
    writer.putObject(B, "tamper/c", data(3000, 8), null);
    writer.putObject(B, "tamper/d", data(3000, 9), null);
    Stored c = stored("tamper/c");
    plant("tamper/d", c.body(), c.user());
    assertThatThrownBy(() -> readAll(strict, "tamper/d", null))
        .isInstanceOf(ObjectAuthenticationException.class)
        .hasMessageContaining("authentication record does not verify");
  }

  @Test
  void truncatedOrExtendedBody_isRefused() throws Exception {
    String key = "tamper/length";
    writer.putObject(B, key, data(2 * C + 7, 10), null);
    Stored s = stored(key);
    // the attacker also drops the length the envelope states, which would refuse it first
    Map<String, String> user = new LinkedHashMap<>(s.user());
    user.remove(MetadataKeys.UNENCRYPTED_CONTENT_LENGTH);
    for (int newLength : new int[] {2 * C, 2 * C + 6, C, 2 * C + 8, 3 * C}) {
      plant(key, Arrays.copyOf(s.body(), newLength), user);
      assertThatThrownBy(() -> readAll(strict, key, null))
          .as("length %d", newLength)
          .isInstanceOf(ObjectAuthenticationException.class)
          .hasMessageContaining("truncated or extended");
      assertThatThrownBy(() -> readAll(strict, key, ByteRange.of(0, 10)))
          .isInstanceOf(ObjectAuthenticationException.class);
    }
  }

  @Test
  void builder_requireAuthenticationWithPlaintextObjects_isRefused() {
    assertThatThrownBy(
            () ->
                OssCseClient.builder(oss.client())
                    .encryptWith(MasterKey.rsa(TestKeys.rsa(), Map.of()))
                    .requireAuthentication(true)
                    .allowPlaintextObjects(true)
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }
}
