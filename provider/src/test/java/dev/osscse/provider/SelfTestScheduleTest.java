package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.osscse.provider.internal.selftest.SelfTest;
import java.security.AlgorithmParameters;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * The self-test schedule: each algorithm's known answer runs before the first object of its own
 * services, and a failure closes only the services it gates.
 */
class SelfTestScheduleTest {
  private final AtomicInteger aes = new AtomicInteger();
  private final AtomicInteger pkcs1 = new AtomicInteger();
  private final AtomicInteger oaep256 = new AtomicInteger();
  private final AtomicInteger oaep1 = new AtomicInteger();

  private static List<SelfTest> counting(String name, AtomicInteger runs) {
    return List.of(new SelfTest(name, runs::incrementAndGet));
  }

  private static List<SelfTest> failing(String name) {
    return List.of(
        new SelfTest(
            name,
            () -> {
              throw new IllegalStateException("wrong answer on purpose");
            }));
  }

  @Test
  void firstAesCtrCipher_runsOnlyTheAesCtrSelfTest() throws Exception {
    OssCseProvider p =
        new OssCseProvider(
            counting("aes", aes),
            counting("pkcs1", pkcs1),
            counting("oaep256", oaep256),
            counting("oaep1", oaep1));
    assertThat(List.of(aes, pkcs1, oaep256, oaep1)).allMatch(c -> c.get() == 0);

    Cipher.getInstance("AES/CTR/NoPadding", p);
    Cipher.getInstance("AES_128/CTR/NoPadding", p);
    AlgorithmParameters.getInstance(AesCtrSeekParametersSpi.ALGORITHM, p);
    assertThat(aes).hasValue(1);
    assertThat(List.of(pkcs1, oaep256, oaep1)).allMatch(c -> c.get() == 0);
    assertThat(p.getSelfTestStatus()).isEqualTo(OssCseProvider.SelfTestStatus.NOT_RUN);

    Cipher.getInstance("RSA/ECB/PKCS1Padding", p);
    Cipher.getInstance(RsaPkcs1CipherSpi.TRANSFORMATION, p);
    assertThat(pkcs1).hasValue(1);
    assertThat(List.of(oaep256, oaep1)).allMatch(c -> c.get() == 0);

    assertThat(p.runSelfTests()).isEqualTo(OssCseProvider.SelfTestStatus.PASSED);
    assertThat(p.getSelfTestStatus()).isEqualTo(OssCseProvider.SelfTestStatus.PASSED);
    assertThat(List.of(aes, pkcs1, oaep256, oaep1)).allMatch(c -> c.get() == 1);
  }

  @Test
  void failedRsaKnownAnswer_closesOnlyItsServicesAndStaysClosed() throws Exception {
    OssCseProvider p =
        new OssCseProvider(
            counting("aes", aes),
            failing("RSA PKCS#1 v1.5"),
            counting("oaep256", oaep256),
            counting("oaep1", oaep1));
    for (String t : List.of(RsaPkcs1CipherSpi.TRANSFORMATION, "RSA/ECB/PKCS1Padding")) {
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> p.getService("Cipher", t).newInstance(null))
            .as(t)
            .isInstanceOf(NoSuchAlgorithmException.class)
            .hasMessageContaining("self-test failed")
            .hasRootCauseMessage("wrong answer on purpose");
        assertThatThrownBy(() -> Cipher.getInstance(t, p))
            .as(t)
            .isInstanceOf(NoSuchAlgorithmException.class);
      }
    }
    assertThat(p.getSelfTestStatus()).isEqualTo(OssCseProvider.SelfTestStatus.FAILED);
    assertThat(p.getLoadingError()).hasMessageContaining("RSA PKCS#1 v1.5");

    assertThat(Cipher.getInstance("AES/CTR/NoPadding", p).getProvider()).isSameAs(p);
    assertThat(Cipher.getInstance(RsaOaepSha256CipherSpi.TRANSFORMATION, p).getProvider())
        .isSameAs(p);
    assertThat(p.runSelfTests()).isEqualTo(OssCseProvider.SelfTestStatus.FAILED);
    assertThatThrownBy(p::assertHealthy)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("self-test failed");
  }

  @Test
  void failedAesCtrKnownAnswer_closesEveryAesCtrService() {
    OssCseProvider p =
        new OssCseProvider(
            failing("AES-CTR"),
            counting("pkcs1", pkcs1),
            counting("oaep256", oaep256),
            counting("oaep1", oaep1));
    for (String t :
        List.of(
            "AES/CTR/NoPadding",
            "AES_128/CTR/NoPadding",
            "AES_192/CTR/NoPadding",
            "AES_256/CTR/NoPadding")) {
      assertThatThrownBy(() -> p.getService("Cipher", t).newInstance(null))
          .as(t)
          .isInstanceOf(NoSuchAlgorithmException.class)
          .hasMessageContaining("self-test failed");
      assertThatThrownBy(() -> Cipher.getInstance(t, p))
          .as(t)
          .isInstanceOf(NoSuchAlgorithmException.class);
    }
    assertThatThrownBy(() -> AlgorithmParameters.getInstance(AesCtrSeekParametersSpi.ALGORITHM, p))
        .isInstanceOf(NoSuchAlgorithmException.class);
    assertThat(p.getLoadingError()).hasMessageContaining("AES-CTR");
  }

  @Test
  void builtInProvider_firstAesCtrCipher_leavesTheRsaKnownAnswersForLater() throws Exception {
    OssCseProvider p = new OssCseProvider();
    Cipher.getInstance("AES/CTR/NoPadding", p);
    assertThat(p.getSelfTestStatus()).isEqualTo(OssCseProvider.SelfTestStatus.NOT_RUN);
    assertThat(p.getLoadingError()).isNull();
    assertThat(p.runSelfTests()).isEqualTo(OssCseProvider.SelfTestStatus.PASSED);
  }
}
