package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.oss.testing.TestKeys;
import dev.osscse.provider.OssCseProviders;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** How {@link EnvelopeCrypto} pairs the two unwraps of an RSA envelope. */
class EnvelopeCryptoTest {
  private static final KeyPair PAIR = TestKeys.rsa();
  private static final KeyPair OTHER = TestKeys.otherRsa();

  /** Runs each task on a new thread and records the thread names. */
  private static final class RecordingExecutor implements Executor {
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void execute(Runnable task) {
      Thread t =
          new Thread(
              () -> {
                threads.add(Thread.currentThread().getName());
                task.run();
              },
              "pair-" + threads.size());
      t.start();
    }
  }

  @Test
  void openRsa_unwrapsTheIvOnThePairExecutor_andReturnsTheSealedKey() throws Exception {
    RecordingExecutor executor = new RecordingExecutor();
    EnvelopeCrypto crypto =
        new EnvelopeCrypto(OssCseProviders.provider(), new SecureRandom(), executor);
    MasterKey key = MasterKey.rsa(PAIR, Map.of());
    EnvelopeCrypto.Sealed sealed = crypto.seal(key);
    assertThat(executor.threads).as("an RSA seal needs no second thread").isEmpty();

    ContentKey opened = crypto.open(sealed.envelope().build(), key);

    assertThat(executor.threads).as("the IV unwrap ran beside the key unwrap").hasSize(1);
    assertThat(cek(opened)).isEqualTo(cek(sealed.contentKey()));
    assertThat(iv(opened)).isEqualTo(iv(sealed.contentKey()));
  }

  @Test
  void openRsa_wrongPrivateKey_failsWithTheOneUnwrapFailure() throws Exception {
    RecordingExecutor executor = new RecordingExecutor();
    EnvelopeCrypto crypto =
        new EnvelopeCrypto(OssCseProviders.provider(), new SecureRandom(), executor);
    Envelope envelope = crypto.seal(MasterKey.rsa(PAIR, Map.of())).envelope().build();
    MasterKey wrong = MasterKey.rsa(new KeyPair(PAIR.getPublic(), OTHER.getPrivate()), Map.of());

    assertThatThrownBy(() -> crypto.open(envelope, wrong))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("unwrap failed");
    assertThat(executor.threads).hasSize(1);
  }

  @Test
  void openRsa_callerThreadExecutor_stillOpens() throws Exception {
    EnvelopeCrypto crypto =
        new EnvelopeCrypto(OssCseProviders.provider(), new SecureRandom(), Runnable::run);
    MasterKey key = MasterKey.rsa(PAIR, Map.of());
    EnvelopeCrypto.Sealed sealed = crypto.seal(key);
    ContentKey opened = crypto.open(sealed.envelope().build(), key);
    assertThat(cek(opened)).isEqualTo(cek(sealed.contentKey()));
  }

  private static byte[] cek(ContentKey key) {
    return key.withBytes((c, i) -> c.clone());
  }

  private static byte[] iv(ContentKey key) {
    return key.withBytes((c, i) -> i.clone());
  }
}
