package dev.osscse.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code oss-cse} commands in process (picocli) or as child JVMs, capturing their output. */
final class CliRunner {
  /** The result of one run. */
  @SuppressWarnings("ArrayRecordComponent") // a captured output, never compared as a value
  record Result(int code, String out, String err, byte[] outBytes) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
    }
  }

  private CliRunner() {}

  /** A state directory for runs whose environment names none, so no test writes to the home. */
  private static final Path STATE_HOME = tempStateHome();

  private static Path tempStateHome() {
    try {
      Path p = java.nio.file.Files.createTempDirectory("oss-cse-test-state-");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code env} with {@code XDG_STATE_HOME} set to a temporary directory unless it has one. */
  static Map<String, String> withStateHome(Map<String, String> env) {
    if (env.containsKey("XDG_STATE_HOME")) {
      return env;
    }
    Map<String, String> m = new java.util.HashMap<>(env);
    m.put("XDG_STATE_HOME", STATE_HOME.toString());
    return m;
  }

  /** Runs in this JVM with the given environment. */
  static Result inProcess(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    CliContext ctx = new CliContext(o, e, InputStream.nullInputStream(), withStateHome(env), false);
    int code = Main.execute(ctx, args);
    o.flush();
    e.flush();
    return new Result(
        code,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        out.toByteArray());
  }

  /** The command line of a child JVM running {@link Main} on this test's class path. */
  static List<String> javaCommand(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Xshare:auto");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs as a child JVM, the way a user runs it, with exactly {@code env} as its environment. */
  static Result childProcess(Map<String, String> env, Path workDir, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(javaCommand(args)).directory(workDir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OSS_") || k.startsWith("KMS_"));
    pb.environment().putAll(withStateHome(env));
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain =
        new Thread(
            () -> {
              try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
              } catch (IOException ignored) {
                // the process is gone
              }
            });
    drain.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("child oss-cse did not finish: " + args[0]);
    }
    drain.join();
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        out);
  }
}
