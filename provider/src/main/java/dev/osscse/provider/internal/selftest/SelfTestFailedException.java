package dev.osscse.provider.internal.selftest;

/** A known-answer self-test produced a wrong answer or threw. */
public final class SelfTestFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the failed test. */
  public SelfTestFailedException(String testName, Throwable cause) {
    super("self-test failed: " + testName, cause);
  }

  /** Creates the exception naming the failed test and what was wrong. */
  public SelfTestFailedException(String testName, String what) {
    super("self-test failed: " + testName + ": " + what);
  }
}
