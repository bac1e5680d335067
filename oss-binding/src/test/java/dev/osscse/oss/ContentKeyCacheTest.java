package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.provider.OssCseProviders;
import java.security.Provider;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The RSA content-key cache: bounds, copies, and zeroing on eviction, expiry and clear. */
class ContentKeyCacheTest {
  static final Provider PROVIDER = OssCseProviders.provider();
  final AtomicLong clock = new AtomicLong();

  /** Scheduled sweeps, run by hand: the task and the delay it asked for. */
  final java.util.List<Runnable> tasks = new java.util.ArrayList<>();

  final java.util.List<Long> delays = new java.util.ArrayList<>();
  final ContentKeyCache.Sweeper sweeps =
      (task, delay) -> {
        tasks.add(task);
        delays.add(delay);
      };

  static ContentKey key(int fill) {
    byte[] cek = new byte[32];
    byte[] iv = new byte[16];
    java.util.Arrays.fill(cek, (byte) fill);
    java.util.Arrays.fill(iv, (byte) (fill + 1));
    return new ContentKey(cek, iv, PROVIDER);
  }

  static Envelope envelope(int fill) {
    byte[] wk = new byte[256];
    byte[] wi = new byte[256];
    java.util.Arrays.fill(wk, (byte) fill);
    java.util.Arrays.fill(wi, (byte) ~fill);
    return Envelope.builder(wk, wi, WrapAlgorithm.RSA_PKCS1).build();
  }

  @Test
  void get_returnsAFreshCopy_destroyingItLeavesTheEntry() throws Exception {
    ContentKeyCache cache = new ContentKeyCache(4, 1_000, clock::get, sweeps);
    String id = ContentKeyCache.idOf(envelope(1));
    ContentKey original = key(7);
    cache.put(id, original);
    original.destroy();
    ContentKey a = cache.get(id, PROVIDER);
    ContentKey b = cache.get(id, PROVIDER);
    assertThat(a).isNotSameAs(b);
    assertThat(cek(a)).containsOnly(7);
    assertThat(iv(a)).containsOnly(8);
    a.destroy();
    assertThat(cek(b)).containsOnly(7);
    assertThat(cache.storedForTest(id).cek()).containsOnly(7);
  }

  @Test
  void idOf_differsForKeyIvAlgorithmAndFormat() {
    Envelope e = envelope(1);
    assertThat(ContentKeyCache.idOf(e)).isEqualTo(ContentKeyCache.idOf(envelope(1)));
    assertThat(ContentKeyCache.idOf(e)).isNotEqualTo(ContentKeyCache.idOf(envelope(2)));
    Envelope sameKeyOtherIv =
        Envelope.builder(e.wrappedKey(), new byte[256], WrapAlgorithm.RSA_PKCS1).build();
    assertThat(ContentKeyCache.idOf(sameKeyOtherIv)).isNotEqualTo(ContentKeyCache.idOf(e));
    Envelope otherAlg =
        Envelope.builder(e.wrappedKey(), e.wrappedIv(), WrapAlgorithm.RSA_OAEP_SHA1).build();
    assertThat(ContentKeyCache.idOf(otherAlg)).isNotEqualTo(ContentKeyCache.idOf(e));
  }

  @Test
  void put_overTheBound_evictsLeastRecentlyUsed_andZeroesIt() {
    ContentKeyCache cache = new ContentKeyCache(2, 1_000, clock::get, sweeps);
    String id1 = ContentKeyCache.idOf(envelope(1));
    String id2 = ContentKeyCache.idOf(envelope(2));
    String id3 = ContentKeyCache.idOf(envelope(3));
    cache.put(id1, key(1));
    cache.put(id2, key(2));
    assertThat(cache.get(id1, PROVIDER)).isNotNull(); // id2 is now the least recently used
    byte[] cek2 = cache.storedForTest(id2).cek();
    byte[] iv2 = cache.storedForTest(id2).iv();
    cache.put(id3, key(3));
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(id2, PROVIDER)).isNull();
    assertThat(cek2).containsOnly(0);
    assertThat(iv2).containsOnly(0);
    assertThat(cache.get(id1, PROVIDER)).isNotNull();
    assertThat(cache.get(id3, PROVIDER)).isNotNull();
  }

  @Test
  void get_afterMaxAge_missesAndZeroes() {
    ContentKeyCache cache = new ContentKeyCache(4, 1_000, clock::get, sweeps);
    String id = ContentKeyCache.idOf(envelope(1));
    cache.put(id, key(5));
    byte[] cek = cache.storedForTest(id).cek();
    clock.set(999);
    assertThat(cache.get(id, PROVIDER)).isNotNull();
    clock.set(1_000);
    assertThat(cache.get(id, PROVIDER)).isNull();
    assertThat(cek).containsOnly(0);
    assertThat(cache.size()).isZero();
  }

  @Test
  void expiredEntry_isZeroedByTheScheduledSweep_withoutBeingAskedFor() {
    ContentKeyCache cache = new ContentKeyCache(4, 1_000_000_000L, clock::get, sweeps);
    String id = ContentKeyCache.idOf(envelope(1));
    cache.put(id, key(3));
    byte[] cek = cache.storedForTest(id).cek();
    assertThat(tasks).hasSize(1);
    assertThat(delays).containsExactly(1_000_000_000L);
    cache.put(ContentKeyCache.idOf(envelope(2)), key(4)); // one sweep pending is enough
    assertThat(tasks).hasSize(1);
    clock.set(1_000_000_000L);
    tasks.get(0).run(); // the sweeper fires; nobody asked for the entry
    assertThat(cek).containsOnly(0);
    assertThat(cache.storedForTest(id)).isNull();
    // The second entry expires at the same instant here; nothing is left, nothing rescheduled.
    assertThat(tasks).hasSize(1);
  }

  @Test
  void clear_zeroesEveryEntry() {
    ContentKeyCache cache = new ContentKeyCache(4, 1_000, clock::get, sweeps);
    String id1 = ContentKeyCache.idOf(envelope(1));
    String id2 = ContentKeyCache.idOf(envelope(2));
    cache.put(id1, key(1));
    cache.put(id2, key(2));
    byte[] cek1 = cache.storedForTest(id1).cek();
    byte[] iv2 = cache.storedForTest(id2).iv();
    cache.clear();
    assertThat(cache.size()).isZero();
    assertThat(cek1).containsOnly(0);
    assertThat(iv2).containsOnly(0);
    assertThat(cache.get(id1, PROVIDER)).isNull();
  }

  @Test
  void replacing_anEntry_zeroesTheOldOne() {
    ContentKeyCache cache = new ContentKeyCache(4, 1_000, clock::get, sweeps);
    String id = ContentKeyCache.idOf(envelope(1));
    cache.put(id, key(1));
    byte[] old = cache.storedForTest(id).cek();
    cache.put(id, key(1));
    assertThat(old).containsOnly(0);
    assertThat(cache.storedForTest(id).cek()).containsOnly(1);
  }

  @Test
  void constructor_outOfRangeBounds_throw() {
    assertThatThrownBy(() -> new ContentKeyCache(0, 1, clock::get, sweeps))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> new ContentKeyCache(10_001, 1, clock::get, sweeps))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ContentKeyCache(1, 0, clock::get, sweeps))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAge");
  }

  private static byte[] cek(ContentKey key) {
    return key.withBytes((c, i) -> c.clone());
  }

  private static byte[] iv(ContentKey key) {
    return key.withBytes((c, i) -> i.clone());
  }
}
