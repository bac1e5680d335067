package dev.osscse.provider.internal.wrap;

import org.junit.jupiter.api.Test;

/** The RSA self-tests pass on a healthy JDK (a broken one would throw). */
class RsaKnownAnswersTest {
  @Test
  void knownAnswers_healthyJdk_pass() throws Exception {
    RsaKnownAnswers.pkcs1V15();
    RsaKnownAnswers.oaepSha256();
    RsaKnownAnswers.oaepSha1();
  }
}
