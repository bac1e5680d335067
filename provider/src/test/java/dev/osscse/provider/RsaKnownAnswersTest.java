package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The RSA self-tests pass on a healthy JDK (a broken one would throw). */
class RsaKnownAnswersTest {
  @Test
  void knownAnswers_healthyJdk_pass() {
    assertThatCode(RsaKnownAnswers::pkcs1V15).doesNotThrowAnyException();
    assertThatCode(RsaKnownAnswers::oaepSha256).doesNotThrowAnyException();
    assertThatCode(RsaKnownAnswers::oaepSha1).doesNotThrowAnyException();
  }
}
