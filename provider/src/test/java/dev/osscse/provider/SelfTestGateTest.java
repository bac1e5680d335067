package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.provider.internal.selftest.SelfTest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/** Meta-test of the fail-closed gate: a failing self-test makes every service unavailable. */
class SelfTestGateTest {

  @Test
  void whenSelfTestFails_noServiceIsVended() {
    OssCseProvider p =
        new OssCseProvider(
            List.of(
                new SelfTest("always passes", () -> {}),
                new SelfTest(
                    "forced failure",
                    () -> {
                      throw new IllegalStateException("wrong answer on purpose");
                    })));
    assertThat(p.getSelfTestStatus()).isEqualTo(OssCseProvider.SelfTestStatus.NOT_RUN);
    assertThat(p.getServices()).isNotEmpty();
    for (Provider.Service s : p.getServices()) {
      assertThatThrownBy(() -> s.newInstance(null))
          .as(s.getType() + "." + s.getAlgorithm())
          .isInstanceOf(NoSuchAlgorithmException.class)
          .hasMessageContaining("self-test failed")
          .hasRootCauseMessage("wrong answer on purpose");
    }
    assertThatThrownBy(() -> Cipher.getInstance("AES/CTR/NoPadding", p))
        .isInstanceOf(NoSuchAlgorithmException.class);
    assertThat(p.getSelfTestStatus()).isEqualTo(OssCseProvider.SelfTestStatus.FAILED);
    assertThat(p.getLoadingError()).hasMessageContaining("forced failure");
    assertThatThrownBy(p::assertHealthy)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("self-test failed");
  }

  @Test
  void selfTests_runOnceBeforeTheFirstService() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    OssCseProvider p = new OssCseProvider(List.of(new SelfTest("counting", runs::incrementAndGet)));
    assertThat(runs).hasValue(0);
    Cipher.getInstance("AES/CTR/NoPadding", p);
    Cipher.getInstance("AES_256/CTR/NoPadding", p);
    assertThat(runs).hasValue(1);
    assertThat(p.runSelfTests()).isEqualTo(OssCseProvider.SelfTestStatus.PASSED);
    assertThat(runs).hasValue(1);
    assertThat(p.getLoadingError()).isNull();
  }

  @Test
  void concurrentFirstUse_runsSelfTestsOnceAndEveryThreadGetsACipher() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch inTest = new CountDownLatch(1);
    OssCseProvider p =
        new OssCseProvider(
            List.of(
                new SelfTest(
                    "slow",
                    () -> {
                      runs.incrementAndGet();
                      inTest.countDown();
                      Thread.sleep(50); // let the other threads arrive at the gate
                    })));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Cipher>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        results.add(pool.submit(() -> Cipher.getInstance("AES/CTR/NoPadding", p)));
      }
      assertThat(inTest.await(30, TimeUnit.SECONDS)).isTrue();
      for (Future<Cipher> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS).getProvider()).isSameAs(p);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(runs).hasValue(1);
  }

  @Test
  void selfTestThatUsesTheProviderUnderTest_failsClosedInsteadOfRecursing() {
    AtomicReference<OssCseProvider> self = new AtomicReference<>();
    OssCseProvider p =
        new OssCseProvider(
            List.of(
                new SelfTest(
                    "recursive", () -> Cipher.getInstance("AES/CTR/NoPadding", self.get()))));
    self.set(p);
    assertThatThrownBy(() -> Cipher.getInstance("AES/CTR/NoPadding", p))
        .isInstanceOf(NoSuchAlgorithmException.class);
    assertThat(p.getSelfTestStatus()).isEqualTo(OssCseProvider.SelfTestStatus.FAILED);
  }

  @Test
  void builtInSelfTests_pass() {
    OssCseProvider p = new OssCseProvider();
    assertThat(p.runSelfTests()).isEqualTo(OssCseProvider.SelfTestStatus.PASSED);
    p.assertHealthy();
    OssCseProviders.assertHealthy();
    assertThat(OssCseProviders.getLoadingError()).isNull();
    assertThat(OssCseProviders.selfTestStatus()).isEqualTo(OssCseProvider.SelfTestStatus.PASSED);
  }
}
