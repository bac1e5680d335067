package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import dev.osscse.cli.CliRunner.Result;
import dev.osscse.local.kms.LocalKmsServer;
import dev.osscse.local.oss.LocalOssServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key choice on a CLI read is the library's: with several candidate keys a read sends one GET and
 * unwraps once (counted at the local OSS and KMS endpoints, in process), and a plaintext object is
 * read only with {@code --allow-plaintext}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliKeyChoiceTest {
  private static final String BUCKET = "key-choice";
  private static final String AK = "LTAIkeychoice";
  private static final String SK = "key-choice-secret";

  @TempDir static Path tmp;

  private LocalOssServer oss;
  private LocalKmsServer kms;
  private Map<String, String> env;
  private String kmsKeyId;
  private Path right;
  private Path wrong1;
  private Path wrong2;
  private byte[] data;

  @BeforeAll
  void start() throws Exception {
    oss =
        LocalOssServer.builder()
            .dataDirectory(tmp.resolve("oss"))
            .credentials(AK, SK)
            .build()
            .start();
    oss.createBucket(BUCKET);
    kms = LocalKmsServer.builder().dir(tmp.resolve("kms")).credentials(AK, SK).build().start();
    kmsKeyId = kms.createKey();
    env =
        Map.of(
            "OSS_ENDPOINT", oss.endpoint(),
            "KMS_ENDPOINT", kms.httpsEndpoint().toString(),
            "KMS_TRUSTSTORE", kms.trustStorePath().toAbsolutePath().toString(),
            "KMS_TRUSTSTORE_PASSWORD", kms.trustStorePassword(),
            "OSS_ACCESS_KEY_ID", AK,
            "OSS_ACCESS_KEY_SECRET", SK);
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    for (String name : List.of("right", "wrong1", "wrong2")) {
      ok("keygen", "rsa", "--bits", "2048", "--out", keys.resolve(name).toString());
    }
    right = keys.resolve("right-private.pem");
    wrong1 = keys.resolve("wrong1-private.pem");
    wrong2 = keys.resolve("wrong2-private.pem");
    data = new byte[70_001];
    new SplittableRandom(11).nextBytes(data);
    Path file = tmp.resolve("data.bin");
    Files.write(file, data);
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "rsa.bin",
        "--file",
        file.toString(),
        "--rsa-public",
        keys.resolve("right-public.pem").toString());
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "kms.bin",
        "--file",
        file.toString(),
        "--kms-key-id",
        kmsKeyId);
  }

  @AfterAll
  void stop() {
    if (kms != null) {
      kms.close();
    }
    if (oss != null) {
      oss.close();
    }
  }

  private Result run(String... args) {
    return CliRunner.inProcess(env, args);
  }

  private Result ok(String... args) {
    Result r = run(args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  private static String[] args(String key, String... more) {
    List<String> a = new ArrayList<>(List.of("cat", "--bucket", BUCKET, "--key", key));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void cat_threeCandidateRsaKeys_sendsOneGetAndNoHead() {
    long before = oss.requestCount();
    Result r =
        ok(
            args(
                "rsa.bin",
                "--rsa-private",
                wrong1.toString(),
                "--rsa-private",
                wrong2.toString(),
                "--rsa-private",
                right.toString()));
    assertThat(r.outBytes()).isEqualTo(data);
    assertThat(oss.requestCount() - before).as("OSS requests").isEqualTo(1);
  }

  @Test
  void cat_kmsObjectWithThreeCandidateKeys_unwrapsOnce() {
    long requests = oss.requestCount();
    long decrypts = kms.requestCount("Decrypt");
    Result r =
        ok(
            args(
                "kms.bin",
                "--rsa-private",
                wrong1.toString(),
                "--rsa-private",
                wrong2.toString(),
                "--kms"));
    assertThat(r.outBytes()).isEqualTo(data);
    // One unwrap: one Decrypt for the content key and one for the IV.
    assertThat(kms.requestCount("Decrypt") - decrypts).as("KMS Decrypt calls").isEqualTo(2);
    assertThat(oss.requestCount() - requests).as("OSS requests").isEqualTo(1);
  }

  @Test
  void cat_plaintextObject_onlyWithAllowPlaintext() {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    OSS plain = new OSSClientBuilder().build(oss.endpoint(), AK, SK, conf);
    try {
      plain.putObject(
          BUCKET, "plain.txt", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
    } finally {
      plain.shutdown();
    }
    Result withKey = run(args("plain.txt", "--rsa-private", right.toString()));
    assertThat(withKey.code()).isEqualTo(ExitCodes.KEY);
    assertThat(withKey.out()).isEmpty();
    assertThat(withKey.err()).contains("no client-side encryption headers");
    assertThat(ok(args("plain.txt", "--allow-plaintext")).out()).isEqualTo("hello");
    assertThat(ok(args("plain.txt", "--allow-plaintext", "--rsa-private", right.toString())).out())
        .isEqualTo("hello");
    // The key-less mode still refuses an encrypted object, naming the option to give.
    Result keyless = run(args("rsa.bin", "--allow-plaintext"));
    assertThat(keyless.code()).isEqualTo(ExitCodes.KEY);
    assertThat(keyless.outBytes()).isEmpty();
    assertThat(keyless.err()).contains("--rsa-private");
  }
}
