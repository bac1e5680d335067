package dev.osscse.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * What a command run sees of the outside world: standard streams, environment variables and whether
 * standard error is a terminal. {@link Main} builds it from the process; tests build their own to
 * run commands in process.
 */
public final class CliContext {
  private final PrintStream out;
  private final PrintStream err;
  private final InputStream in;
  private final Map<String, String> env;
  private final boolean interactive;

  /**
   * Creates a context.
   *
   * @param interactive true if standard error is a terminal (progress bars are drawn only then)
   */
  public CliContext(
      PrintStream out,
      PrintStream err,
      InputStream in,
      Map<String, String> env,
      boolean interactive) {
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.in = Objects.requireNonNull(in, "in");
    this.env = Map.copyOf(env);
    this.interactive = interactive;
  }

  /** The context of this process: System streams, System.getenv(), console detection. */
  public static CliContext ofProcess() {
    return new CliContext(System.out, System.err, System.in, System.getenv(), hasTerminal());
  }

  /**
   * True if the JVM has a console on a terminal: {@code System.console() != null} on JDK 17 to 21;
   * from JDK 22 on, where a console exists even when redirected, also {@code Console.isTerminal()}.
   */
  @SuppressWarnings("SystemConsoleNull") // isTerminal() is consulted where it exists
  private static boolean hasTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | ClassCastException e) {
      return false;
    }
  }

  /** Standard output (data and results). */
  public PrintStream out() {
    return out;
  }

  /** Standard error (progress, notes, errors). */
  public PrintStream err() {
    return err;
  }

  /** Standard input. */
  public InputStream in() {
    return in;
  }

  /** An environment variable, or null when unset or empty. */
  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The whole environment. */
  public Map<String, String> environment() {
    return env;
  }

  /** True if standard error is a terminal. */
  public boolean interactive() {
    return interactive;
  }
}
