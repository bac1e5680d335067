package dev.osscse.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.Charset;
import picocli.CommandLine;

/**
 * Entry point of the {@code oss-cse} command line (docs/cli.md).
 *
 * <p>{@link #main(String[])} runs one command and exits with its code (see {@link ExitCodes});
 * {@link #execute(CliContext, String...)} runs one in process and returns the code, for tests and
 * embedding.
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits the JVM with the command's exit code. */
  public static void main(String[] args) {
    int code = execute(CliContext.ofProcess(), args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /**
   * Runs one command in process with the given streams and environment.
   *
   * @return the exit code ({@link ExitCodes})
   */
  public static int execute(CliContext ctx, String... args) {
    CommandLine cl = commandLine(ctx);
    return cl.execute(args);
  }

  /** The configured picocli command line over {@code ctx}. */
  static CommandLine commandLine(CliContext ctx) {
    CommandLine cl = new CommandLine(new OssCseCommand(ctx), new Factory(ctx));
    cl.setOut(
        new PrintWriter(new java.io.OutputStreamWriter(ctx.out(), Charset.defaultCharset()), true));
    cl.setErr(
        new PrintWriter(new java.io.OutputStreamWriter(ctx.err(), Charset.defaultCharset()), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine sub = ex.getCommandLine();
          String msg = oneLine(ex.getMessage());
          if (msg.startsWith("Error: ")) {
            msg = msg.substring("Error: ".length());
          }
          ctx.err().println("oss-cse: usage error: " + msg);
          ctx.err()
              .println(
                  "Run '" + sub.getCommandSpec().qualifiedName() + " --help' for the options.");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler((ex, sub, parseResult) -> Errors.report(ctx, ex, verbose(sub)));
    return cl;
  }

  private static boolean verbose(CommandLine sub) {
    for (CommandLine c = sub; c != null; c = c.getParent()) {
      CommandLine.Model.OptionSpec o = c.getCommandSpec().findOption("--verbose");
      if (o != null && Boolean.TRUE.equals(o.getValue())) {
        return true;
      }
    }
    return false;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ').trim();
  }

  /** Creates commands, handing them the run's context when they take one. */
  private static final class Factory implements CommandLine.IFactory {
    private final CliContext ctx;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(CliContext.class);
        return c.newInstance(ctx);
      } catch (NoSuchMethodException e) {
        return fallback.create(cls);
      }
    }
  }
}
