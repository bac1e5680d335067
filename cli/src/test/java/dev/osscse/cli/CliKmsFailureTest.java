package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osscse.cli.CliRunner.Result;
import dev.osscse.local.kms.LocalKmsServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * KMS failures during reads and puts are reported as KMS failures (exit 6, the message names KMS),
 * while a wrong key keeps the one uniform "cannot unwrap" message (exit 4). OSS is {@code
 * serve-local} in a separate process; a second local KMS endpoint in this JVM holds a key the first
 * does not know and is stopped to make the outage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliKmsFailureTest {
  private static final String BUCKET = "cli-kms-failure";
  private static final String WRONG_KEY_TEXT = "the given master key cannot unwrap this object";

  @TempDir static Path tmp;

  private ServeLocalBed bed;
  private Map<String, String> env;
  private String kmsKeyId;
  private Path data;
  private byte[] dataBytes;
  private String stoppedKmsEndpoint;

  @BeforeAll
  void start() throws Exception {
    bed = ServeLocalBed.start(tmp.resolve("serve"), BUCKET, "--create-kms-key");
    env = bed.env();
    kmsKeyId = bed.kmsKeyId();
    data = tmp.resolve("data.bin");
    dataBytes = ServeLocalBed.writeRandom(data, 200_000, 9);
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "main.bin",
        "--file",
        data.toString(),
        "--kms-key-id",
        kmsKeyId);
    // An object wrapped by a second KMS, which is then stopped.
    LocalKmsServer side = startKms("side-kms");
    try {
      String sideKey = side.createKey();
      stoppedKmsEndpoint = side.httpEndpoint().toString();
      Map<String, String> viaSide = new HashMap<>(env);
      viaSide.put("KMS_ENDPOINT", stoppedKmsEndpoint);
      Result put =
          CliRunner.inProcess(
              viaSide,
              "put",
              "--bucket",
              BUCKET,
              "--key",
              "side.bin",
              "--file",
              data.toString(),
              "--kms-key-id",
              sideKey);
      assertThat(put.code()).as(put.toString()).isZero();
      Result read =
          CliRunner.inProcess(viaSide, "cat", "--bucket", BUCKET, "--key", "side.bin", "--kms");
      assertThat(read.outBytes()).isEqualTo(dataBytes);
    } finally {
      side.close();
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  /** Starts a local KMS endpoint of its own in this JVM, with the server's credentials. */
  private LocalKmsServer startKms(String dirName) throws Exception {
    return LocalKmsServer.builder()
        .dir(tmp.resolve(dirName))
        .httpPort(0)
        .httpsPort(0)
        .credentials(env.get("OSS_ACCESS_KEY_ID"), env.get("OSS_ACCESS_KEY_SECRET"))
        .build()
        .start();
  }

  private Result run(Map<String, String> environment, String... args) {
    return bed.run(environment, args);
  }

  private Result ok(String... args) {
    return bed.ok(args);
  }

  private static void assertKmsFailure(Result r, String subject) {
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.SERVICE);
    assertThat(r.err())
        .as(r.toString())
        .startsWith("oss-cse: error: " + subject + ": KMS ")
        .doesNotContain(WRONG_KEY_TEXT);
    assertThat(r.outBytes()).isEmpty();
  }

  @Test
  void kmsEndpointStopped_readExits6NamingKms() throws Exception {
    Map<String, String> stopped = new HashMap<>(env);
    stopped.put("KMS_ENDPOINT", stoppedKmsEndpoint);
    Result cat = run(stopped, "cat", "--bucket", BUCKET, "--key", "side.bin", "--kms");
    assertKmsFailure(cat, "oss://" + BUCKET + "/side.bin");
    assertThat(cat.err())
        .contains("the KMS endpoint could not be reached")
        .contains("--kms-endpoint / KMS_ENDPOINT");
    Path out = tmp.resolve("stopped.bin");
    Result get =
        run(
            stopped,
            "get",
            "--bucket",
            BUCKET,
            "--key",
            "side.bin",
            "--out",
            out.toString(),
            "--kms");
    assertKmsFailure(get, "oss://" + BUCKET + "/side.bin");
    assertThat(out).doesNotExist();
    // the same KMS, stopped, for a put
    Result put =
        run(
            stopped,
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "stopped-put.bin",
            "--file",
            data.toString(),
            "--kms-key-id",
            kmsKeyId);
    assertKmsFailure(put, "oss://" + BUCKET + "/stopped-put.bin");
  }

  @Test
  void kmsKeyUnknownToTheService_readExits6SaysNotFound() {
    Result r = run(env, "cat", "--bucket", BUCKET, "--key", "side.bin", "--kms");
    assertKmsFailure(r, "oss://" + BUCKET + "/side.bin");
    assertThat(r.err()).contains("the KMS key was not found");
  }

  @Test
  void putWithAKmsKeyThatDoesNotExist_exits6SaysNotFound() {
    Result r =
        run(
            env,
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "missing-key.bin",
            "--file",
            data.toString(),
            "--kms-key-id",
            "0d5c7a52-0000-4000-8000-000000000000");
    assertKmsFailure(r, "oss://" + BUCKET + "/missing-key.bin");
    assertThat(r.err()).contains("the KMS key was not found").contains("--kms-key-id");
  }

  @Test
  void kmsKeyDisabled_readAndPutExit6SayDisabled() throws Exception {
    try (LocalKmsServer own = startKms("disabled-kms")) {
      String key = own.createKey();
      Map<String, String> via = new HashMap<>(env);
      via.put("KMS_ENDPOINT", own.httpEndpoint().toString());
      Result put =
          run(
              via,
              "put",
              "--bucket",
              BUCKET,
              "--key",
              "off.bin",
              "--file",
              data.toString(),
              "--kms-key-id",
              key);
      assertThat(put.code()).as(put.toString()).isZero();
      own.setKeyEnabled(key, false);
      Result cat = run(via, "cat", "--bucket", BUCKET, "--key", "off.bin", "--kms");
      assertKmsFailure(cat, "oss://" + BUCKET + "/off.bin");
      assertThat(cat.err()).contains("disabled");
      Result again =
          run(
              via,
              "put",
              "--bucket",
              BUCKET,
              "--key",
              "off2.bin",
              "--file",
              data.toString(),
              "--kms-key-id",
              key);
      assertKmsFailure(again, "oss://" + BUCKET + "/off2.bin");
      assertThat(again.err()).contains("disabled");
    }
  }

  @Test
  void kmsTlsCertificateNotTrusted_exits6NamingKms() {
    Map<String, String> untrusted = new HashMap<>(env);
    untrusted.put("KMS_ENDPOINT", env.get("KMS_TLS_ENDPOINT"));
    untrusted.remove("KMS_TRUSTSTORE");
    untrusted.remove("KMS_TRUSTSTORE_PASSWORD");
    Result r = run(untrusted, "cat", "--bucket", BUCKET, "--key", "main.bin", "--kms");
    assertKmsFailure(r, "oss://" + BUCKET + "/main.bin");
    assertThat(r.err()).contains("KMS_TRUSTSTORE");
  }

  @Test
  void wrongKmsKey_keepsTheUniformMessage_exit4() {
    String other = ok("keygen", "kms").out().trim();
    Result r = run(env, "cat", "--bucket", BUCKET, "--key", "main.bin", "--kms-key-id", other);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.KEY);
    assertThat(r.err()).contains(WRONG_KEY_TEXT).doesNotContain("KMS Decrypt");
    Result right = ok("cat", "--bucket", BUCKET, "--key", "main.bin", "--kms-key-id", kmsKeyId);
    assertThat(right.outBytes()).isEqualTo(dataBytes);
  }
}
