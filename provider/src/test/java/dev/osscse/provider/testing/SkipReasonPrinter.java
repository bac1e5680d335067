package dev.osscse.provider.testing;

import java.io.PrintStream;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped or aborted test with its reason to the console ({@code SKIPPED <test>:
 * <reason>}), where Maven's summary would only count it. Registered through {@code
 * META-INF/services} in provider's test resources, so it runs in every module whose tests have
 * provider's test-jar on the class path.
 */
public final class SkipReasonPrinter implements TestExecutionListener {
  private final PrintStream out;

  /** The listener that JUnit's service loader creates: prints to {@link System#out}. */
  public SkipReasonPrinter() {
    this(System.out);
  }

  SkipReasonPrinter(PrintStream out) {
    this.out = out;
  }

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    out.println("SKIPPED " + name(test) + ": " + reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      String reason =
          result.getThrowable().map(Throwable::getMessage).orElse("aborted without a reason");
      out.println("SKIPPED " + name(test) + ": " + reason);
    }
  }

  private static String name(TestIdentifier test) {
    Optional<TestSource> source = test.getSource();
    if (source.isPresent() && source.get() instanceof MethodSource m) {
      return m.getClassName() + "." + m.getMethodName() + " [" + test.getDisplayName() + "]";
    }
    if (source.isPresent() && source.get() instanceof ClassSource c) {
      return c.getClassName();
    }
    return test.getDisplayName();
  }
}
