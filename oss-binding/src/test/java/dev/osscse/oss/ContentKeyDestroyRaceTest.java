package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osscse.provider.OssCseProviders;
import java.security.Provider;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link ContentKey#newCipher} racing {@link ContentKey#destroy()} on other threads: every cipher
 * handed out encrypts under the real key and IV; after the destroy none is handed out.
 */
class ContentKeyDestroyRaceTest {
  static final int TRIALS = 3_000;
  static final int THREADS = 4;

  @Test
  void newCipherRacingDestroy_neverYieldsAZeroKeyCipher() throws Exception {
    Provider provider = OssCseProviders.provider();
    Random seeds = new Random(20261204L);
    byte[] probe = new byte[32];
    AtomicInteger handedOut = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger wrongKey = new AtomicInteger();
    int afterDestroy = 0;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      for (int trial = 0; trial < TRIALS; trial++) {
        byte[] cek = new byte[32];
        byte[] iv = new byte[16];
        seeds.nextBytes(cek);
        seeds.nextBytes(iv);
        Cipher reference = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
        reference.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new IvParameterSpec(iv));
        byte[] expected = reference.doFinal(probe);
        ContentKey key = new ContentKey(cek, iv, provider);
        CountDownLatch go = new CountDownLatch(1);
        Future<?>[] users = new Future<?>[THREADS];
        for (int t = 0; t < THREADS; t++) {
          users[t] =
              pool.submit(
                  () -> {
                    go.await();
                    for (int i = 0; i < 4; i++) {
                      Cipher c;
                      try {
                        c = key.newCipher(Cipher.ENCRYPT_MODE, 0);
                      } catch (IllegalStateException destroyed) {
                        refused.incrementAndGet();
                        continue;
                      }
                      handedOut.incrementAndGet();
                      if (!Arrays.equals(c.doFinal(probe), expected)) {
                        wrongKey.incrementAndGet();
                      }
                    }
                    return null;
                  });
        }
        Future<?> destroyer =
            pool.submit(
                () -> {
                  go.await();
                  key.destroy();
                  return null;
                });
        go.countDown();
        destroyer.get();
        for (Future<?> u : users) {
          u.get();
        }
        try {
          key.newCipher(Cipher.ENCRYPT_MODE, 0);
          afterDestroy++;
        } catch (IllegalStateException expectedRefusal) {
          // the key is destroyed: no cipher
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf(
        "ContentKey race: %d trials, %d ciphers handed out, %d refused, %d under a wrong key%n",
        TRIALS, handedOut.get(), refused.get(), wrongKey.get());
    assertThat(wrongKey.get()).as("ciphers under a zeroed key").isZero();
    assertThat(afterDestroy).as("ciphers after destroy() returned").isZero();
    // The race must actually have happened both ways for the test to mean anything.
    assertThat(handedOut.get()).isPositive();
    assertThat(refused.get()).isPositive();
  }
}
