package dev.osscse.provider.internal.selftest;

import java.util.List;

/**
 * Runs a list of self-tests exactly once and remembers the outcome.
 *
 * <p>Thread-safe. The first caller of {@link #runOnce()} runs every test; concurrent callers wait
 * for it. A failure is permanent: the runner never runs the tests again.
 */
public final class SelfTestRunner {
  /** Where the runner is. */
  public enum State {
    /** Not run yet. */
    NOT_RUN,
    /** Running on some thread. */
    RUNNING,
    /** All tests passed. */
    PASSED,
    /** A test failed. */
    FAILED
  }

  private final List<SelfTest> tests;
  private volatile State state = State.NOT_RUN;
  private volatile Throwable failure;
  private Thread runningThread;

  /** Creates a runner for the given tests (copied). */
  public SelfTestRunner(List<SelfTest> tests) {
    this.tests = List.copyOf(tests);
  }

  /**
   * Runs the tests if they have not run yet.
   *
   * @return true if every test passed
   * @throws IllegalStateException if a self-test calls back into the provider it is testing
   */
  public boolean runOnce() {
    State s = state;
    if (s == State.PASSED) {
      return true;
    }
    if (s == State.FAILED) {
      return false;
    }
    synchronized (this) {
      if (state == State.RUNNING && runningThread == Thread.currentThread()) {
        throw new IllegalStateException(
            "a self-test used the provider under test; self-tests must build their SPIs directly");
      }
      if (state == State.NOT_RUN) {
        state = State.RUNNING;
        runningThread = Thread.currentThread();
        Throwable firstFailure = null;
        for (SelfTest test : tests) {
          try {
            test.check().run();
          } catch (Exception | Error e) {
            firstFailure = new SelfTestFailedException(test.name(), e);
            break;
          }
        }
        failure = firstFailure;
        runningThread = null;
        state = firstFailure == null ? State.PASSED : State.FAILED;
      }
      return state == State.PASSED;
    }
  }

  /** Returns the state without running anything. */
  public State state() {
    return state;
  }

  /** Returns the first failure, or null. */
  public Throwable failure() {
    return failure;
  }
}
