package dev.osscse.bench.oss;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local OSS endpoint ({@code dev.osscse.local.oss.LocalOssMain}) in a JVM process of its own,
 * so that the process CPU time of the benchmark JVM is the client's alone.
 *
 * <p>The child runs on the same {@code java} and class path as this JVM, on 127.0.0.1 with a free
 * port, the benchmark credentials and one bucket, storing objects in a temporary directory that
 * {@link #close()} deletes.
 */
final class ExternalEndpoint implements AutoCloseable {
  private static final String PREFIX = "endpoint=";

  private final Process process;
  private final Path dir;
  private final String endpoint;

  private ExternalEndpoint(Process process, Path dir, String endpoint) {
    this.process = process;
    this.dir = dir;
    this.endpoint = endpoint;
  }

  /**
   * Starts the endpoint and waits until it prints its address.
   *
   * @throws IOException if the process cannot start or exits before it listens
   */
  static ExternalEndpoint start(String bucket) throws IOException {
    Path dir = Files.createTempDirectory("oss-cse-bench-endpoint");
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xms512m");
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.osscse.local.oss.LocalOssMain");
    command.add("--dir");
    command.add(dir.toString());
    command.add("--port");
    command.add("0");
    command.add("--credentials");
    command.add(OssTransfer.AK + ":" + OssTransfer.SK);
    command.add("--bucket");
    command.add(bucket);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(PREFIX)) {
        Thread drain = new Thread(() -> drain(out), "endpoint-stdout");
        drain.setDaemon(true);
        drain.start();
        return new ExternalEndpoint(process, dir, line.substring(PREFIX.length()));
      }
    }
    process.destroyForcibly();
    OssTransfer.deleteTree(dir);
    throw new IOException("the local OSS endpoint exited before listening: " + command);
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // The endpoint prints nothing after its address; keep the pipe from filling regardless.
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  /** Returns the endpoint URL, {@code http://127.0.0.1:PORT}. */
  String endpoint() {
    return endpoint;
  }

  /** Stops the process (its shutdown hook closes the server) and deletes its data directory. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    OssTransfer.deleteTree(dir);
  }
}
