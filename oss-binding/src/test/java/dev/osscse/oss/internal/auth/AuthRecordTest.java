package dev.osscse.oss.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** FMT-29: the record round-trips, and every change to it, or to what it binds, is refused. */
class AuthRecordTest {
  private static AuthKeys keys(int seed) throws Exception {
    Random r = new Random(seed);
    byte[] cek = new byte[32];
    byte[] iv = new byte[16];
    r.nextBytes(cek);
    r.nextBytes(iv);
    return AuthKeys.derive(cek, iv);
  }

  private static AuthRecord record(long length, int seed) {
    byte[] tags = new byte[AuthRecord.chunkCount(length) * ChunkMac.TAG_LENGTH];
    new Random(seed).nextBytes(tags);
    return AuthRecord.of(length, 1_700_000_000_000L, tags);
  }

  @Property(tries = 50)
  void encodeDecode_roundTrips(@ForAll @LongRange(min = 0, max = 40L << 20) long length)
      throws Exception {
    AuthKeys k = keys(1);
    AuthRecord r = record(length, 2);
    byte[] bytes = r.encode(k, "b", "dir/k");
    assertThat(bytes).hasSize((int) AuthRecord.encodedLength(length));
    AuthRecord back = AuthRecord.decode(bytes, k, "b", "dir/k");
    assertThat(back.length()).isEqualTo(length);
    assertThat(back.chunkCount()).isEqualTo(r.chunkCount());
    assertThat(back.tags()).isEqualTo(r.tags());
  }

  @Test
  void decode_everySingleBitFlip_isRefused() throws Exception {
    AuthKeys k = keys(3);
    byte[] bytes = record(3L * AuthRecord.CHUNK_SIZE + 5, 4).encode(k, "b", "k");
    int refused = 0;
    for (int i = 0; i < bytes.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] t = bytes.clone();
        t[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> AuthRecord.decode(t, k, "b", "k"))
            .isInstanceOf(AEADBadTagException.class);
        refused++;
      }
    }
    assertThat(refused).isEqualTo(bytes.length * 8);
  }

  @Test
  void decode_otherObjectOrOtherKeys_isRefused() throws Exception {
    AuthKeys k = keys(5);
    byte[] bytes = record(10, 6).encode(k, "bucket", "key");
    assertThatThrownBy(() -> AuthRecord.decode(bytes, k, "bucket2", "key"))
        .hasMessage("authentication record does not verify");
    assertThatThrownBy(() -> AuthRecord.decode(bytes, k, "bucket", "key2"))
        .hasMessage("authentication record does not verify");
    // length prefixes keep "ab"+"c" and "a"+"bc" apart
    byte[] ab = record(10, 6).encode(k, "ab", "c");
    assertThatThrownBy(() -> AuthRecord.decode(ab, k, "a", "bc"))
        .hasMessage("authentication record does not verify");
    assertThatThrownBy(() -> AuthRecord.decode(bytes, keys(7), "bucket", "key"))
        .hasMessage("authentication record does not verify");
  }

  @Test
  void decode_truncatedExtendedOrRecountedRecord_isRefusedNamingTheField() throws Exception {
    AuthKeys k = keys(8);
    byte[] bytes = record(2L * AuthRecord.CHUNK_SIZE, 9).encode(k, "b", "k");
    assertThatThrownBy(
            () -> AuthRecord.decode(Arrays.copyOf(bytes, bytes.length - 16), k, "b", "k"))
        .hasMessageContaining("record length");
    assertThatThrownBy(
            () -> AuthRecord.decode(Arrays.copyOf(bytes, bytes.length + 16), k, "b", "k"))
        .hasMessageContaining("record length");
    assertThatThrownBy(() -> AuthRecord.decode(new byte[10], k, "b", "k"))
        .hasMessageContaining("record length");
    byte[] huge = bytes.clone();
    ByteBuffer.wrap(huge).putLong(12, Long.MAX_VALUE);
    assertThatThrownBy(() -> AuthRecord.decode(huge, k, "b", "k")).hasMessageContaining("length");
    byte[] count = bytes.clone();
    ByteBuffer.wrap(count).putInt(28, 3);
    assertThatThrownBy(() -> AuthRecord.decode(count, k, "b", "k"))
        .hasMessageContaining("chunk count");
    byte[] chunk = bytes.clone();
    ByteBuffer.wrap(chunk).putInt(8, 4096);
    assertThatThrownBy(() -> AuthRecord.decode(chunk, k, "b", "k"))
        .hasMessageContaining("chunk size");
  }

  @Test
  void of_tagCountMustMatchLength() {
    assertThatThrownBy(() -> AuthRecord.of(AuthRecord.CHUNK_SIZE + 1L, 0, new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthRecord.of(AuthRecord.MAX_LENGTH + 1, 0, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
