package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import dev.osscse.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the command-line tests against {@code serve-local} share: {@code serve-local} in a separate
 * process with one bucket, the environment its printed variables make ({@code KMS_KEY_ID} taken
 * out, see {@link #kmsKeyId()}), in-process runs in that environment, RSA key files made by {@code
 * keygen}, seeded data files and the SDK's plain client on the endpoint.
 */
final class ServeLocalBed implements AutoCloseable {
  /** The two PEM files {@code keygen rsa --out <base>} writes. */
  record RsaKeyFiles(Path privatePem, Path publicPem) {}

  private final ServeLocalProcess server;
  private final Map<String, String> env;
  private final String kmsKeyId;
  private StringBuilder transcript;

  private ServeLocalBed(ServeLocalProcess server) {
    this.server = server;
    this.env = new HashMap<>(server.variables());
    this.kmsKeyId = env.remove("KMS_KEY_ID");
  }

  /**
   * Starts {@code serve-local --dir dir --bucket bucket} with {@code extraArgs} (such as {@code
   * --create-kms-key}).
   */
  static ServeLocalBed start(Path dir, String bucket, String... extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("--bucket", bucket));
    args.addAll(List.of(extraArgs));
    return new ServeLocalBed(ServeLocalProcess.start(dir, args.toArray(String[]::new)));
  }

  /** The {@code serve-local} process. */
  ServeLocalProcess server() {
    return server;
  }

  /** The environment runs get: the server's variables; a test may add to it. */
  Map<String, String> env() {
    return env;
  }

  /** The KMS key the server made with {@code --create-kms-key}, or null. */
  String kmsKeyId() {
    return kmsKeyId;
  }

  /** From now on keeps the standard output and error of every run, for {@link #transcript()}. */
  void recordTranscript() {
    transcript = new StringBuilder();
  }

  /** The standard output and error of every run since {@link #recordTranscript()}. */
  String transcript() {
    return transcript.toString();
  }

  /** Runs in this JVM in {@link #env()}. */
  Result run(String... args) {
    return run(env, args);
  }

  /** Runs in this JVM in {@code environment}. */
  Result run(Map<String, String> environment, String... args) {
    Result r = CliRunner.inProcess(environment, args);
    if (transcript != null) {
      transcript.append(r.out()).append(r.err());
    }
    return r;
  }

  /** Runs in this JVM in {@link #env()} and asserts exit code 0. */
  Result ok(String... args) {
    Result r = run(args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  /** Makes an RSA-2048 key pair with {@code keygen rsa --out dir/name}. */
  RsaKeyFiles rsaKeys(Path dir, String name) throws IOException {
    Path keys = Files.createDirectories(dir);
    ok("keygen", "rsa", "--bits", "2048", "--out", keys.resolve(name).toString());
    return new RsaKeyFiles(keys.resolve(name + "-private.pem"), keys.resolve(name + "-public.pem"));
  }

  /** Writes {@code size} bytes from {@code seed} to {@code file} and returns them. */
  static byte[] writeRandom(Path file, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new SplittableRandom(seed).nextBytes(bytes);
    Files.write(file, bytes);
    return bytes;
  }

  /**
   * The SDK's plain client on the server's endpoint with its credentials; the caller shuts it down.
   */
  OSS plainOss() {
    return new OSSClientBuilder()
        .build(
            env.get("OSS_ENDPOINT"),
            env.get("OSS_ACCESS_KEY_ID"),
            env.get("OSS_ACCESS_KEY_SECRET"));
  }

  /** Stops the server. */
  @Override
  public void close() throws InterruptedException {
    server.close();
  }
}
