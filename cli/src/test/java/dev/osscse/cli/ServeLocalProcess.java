package dev.osscse.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code oss-cse serve-local} running as a separate process, and the variables it printed. */
final class ServeLocalProcess implements AutoCloseable {
  static final List<String> VARIABLES =
      List.of(
          "OSS_ENDPOINT",
          "KMS_ENDPOINT",
          "KMS_TLS_ENDPOINT",
          "KMS_TRUSTSTORE",
          "KMS_TRUSTSTORE_PASSWORD",
          "OSS_ACCESS_KEY_ID",
          "OSS_ACCESS_KEY_SECRET");

  private final Process process;
  private final Map<String, String> variables;
  private final List<String> lines;
  private final Path errFile;

  private ServeLocalProcess(
      Process process, Map<String, String> variables, List<String> lines, Path errFile) {
    this.process = process;
    this.variables = variables;
    this.lines = lines;
    this.errFile = errFile;
  }

  /** Starts serve-local in {@code dir} and waits (at most 60 s) for its variable lines. */
  static ServeLocalProcess start(Path dir, String... extraArgs) throws Exception {
    return start(dir, Map.of(), extraArgs);
  }

  /**
   * Starts serve-local in {@code dir} with {@code env} added to an environment cleared of {@code
   * OSS_*} and {@code KMS_*}, and waits (at most 60 s) for its variable lines (all but the secret
   * when {@code --credentials-file} is given: it is not printed then).
   */
  static ServeLocalProcess start(Path dir, Map<String, String> env, String... extraArgs)
      throws Exception {
    String[] args = new String[4 + extraArgs.length];
    args[0] = "serve-local";
    args[1] = "--dir";
    args[2] = dir.toString();
    args[3] = "--port=0";
    System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
    Path errFile = dir.resolveSibling(dir.getFileName() + ".serve-local.err");
    ProcessBuilder pb =
        new ProcessBuilder(CliRunner.javaCommand(args)).redirectError(errFile.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OSS_") || k.startsWith("KMS_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    boolean kmsKey = List.of(extraArgs).contains("--create-kms-key");
    List<String> expected = new ArrayList<>(VARIABLES);
    if (List.of(extraArgs).contains("--credentials-file")) {
      expected.remove("OSS_ACCESS_KEY_SECRET");
    }
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Map<String, String>> vars =
        CompletableFuture.supplyAsync(
            () -> {
              Map<String, String> m = new LinkedHashMap<>();
              try {
                BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                  int eq = line.indexOf('=');
                  if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                  }
                  if (m.keySet().containsAll(expected)
                      && (!kmsKey || m.containsKey("KMS_KEY_ID"))) {
                    return m;
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("serve-local ended before printing " + VARIABLES);
            });
    try {
      return new ServeLocalProcess(p, vars.get(60, TimeUnit.SECONDS), lines, errFile);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** The NAME=VALUE lines, in order. */
  Map<String, String> variables() {
    return variables;
  }

  /** Every standard output line read so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /** The file standard error goes to. */
  Path errFile() {
    return errFile;
  }

  /** The process id. */
  long pid() {
    return process.pid();
  }

  /** True while the process runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
