package dev.osscse.provider.internal.selftest;

import java.util.Objects;

/**
 * One known-answer self-test: a name and a check that throws when the answer is wrong.
 *
 * <p>A check must build the algorithm's core or SPI directly. It must never go through the provider
 * (for example {@code Cipher.getInstance(..., provider)}), because the provider hands out no object
 * of a service until that service's self-tests have finished.
 *
 * @param name what is tested, e.g. {@code "AES-128-CTR encrypt, SP 800-38A F.5.1"}
 * @param check the test; throws any exception on failure
 */
public record SelfTest(String name, Check check) {

  /** The body of a self-test. */
  @FunctionalInterface
  public interface Check {
    /** Runs the test; returns normally only if the answer was right. */
    void run() throws Exception;
  }

  /** Creates a self-test. */
  public SelfTest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
  }
}
