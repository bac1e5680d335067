package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.cli.CliRunner.Result;
import dev.osscse.local.oss.LocalOssServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
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
 * {@code put --authenticate}, {@code get}/{@code cat --require-authentication} and {@code inspect}
 * against the local OSS endpoint (docs/cli.md): a tagged object reads back, a changed byte or a
 * stripped marker fails with the integrity exit code and no output file, and an untagged object is
 * refused only when authentication is required.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliAuthenticationTest {
  private static final String BUCKET = "auth-cli";
  private static final String AK = "LTAIauthcli";
  private static final String SK = "auth-cli-secret";

  @TempDir static Path tmp;

  private LocalOssServer oss;
  private Map<String, String> env;
  private Path priv;
  private Path pub;
  private Path file;
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
    env =
        Map.of(
            "OSS_ENDPOINT", oss.endpoint(), "OSS_ACCESS_KEY_ID", AK, "OSS_ACCESS_KEY_SECRET", SK);
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    ok("keygen", "rsa", "--bits", "2048", "--out", keys.resolve("k").toString());
    priv = keys.resolve("k-private.pem");
    pub = keys.resolve("k-public.pem");
    data = new byte[(3 << 20) + 17];
    new SplittableRandom(5).nextBytes(data);
    file = tmp.resolve("data.bin");
    Files.write(file, data);
  }

  @AfterAll
  void stop() {
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

  private void put(String key, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "put",
                "--bucket",
                BUCKET,
                "--key",
                key,
                "--file",
                file.toString(),
                "--rsa-public",
                pub.toString()));
    a.addAll(List.of(more));
    ok(a.toArray(new String[0]));
  }

  private Result read(String verb, String key, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(verb, "--bucket", BUCKET, "--key", key, "--rsa-private", priv.toString()));
    a.addAll(List.of(more));
    return run(a.toArray(new String[0]));
  }

  private OSS plain() {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(SignVersion.V1);
    return new OSSClientBuilder().build(oss.endpoint(), AK, SK, conf);
  }

  /**
   * Rewrites {@code key} as an attacker with bucket access would: flip one byte, or drop the
   * marker.
   */
  private void tamper(String key, long flipAt, boolean stripMarker) throws Exception {
    OSS p = plain();
    try {
      byte[] body;
      Map<String, String> user;
      try (OSSObject o = p.getObject(BUCKET, key);
          InputStream in = o.getObjectContent()) {
        body = in.readAllBytes();
        user = new java.util.LinkedHashMap<>(o.getObjectMetadata().getUserMetadata());
      }
      if (flipAt >= 0) {
        body[(int) flipAt] ^= 0x01;
      }
      if (stripMarker) {
        user.remove("client-side-encryption-osscse-auth");
      }
      ObjectMetadata md = new ObjectMetadata();
      user.forEach(md::addUserMetadata);
      p.putObject(BUCKET, key, new ByteArrayInputStream(body), md);
    } finally {
      p.shutdown();
    }
  }

  @Test
  void putAuthenticate_inspectShowsTagged_getAndCatRequireAuthentication_read() {
    put("a.bin", "--authenticate");
    assertThat(ok("inspect", "--bucket", BUCKET, "--key", "a.bin").out())
        .contains("authenticated:")
        .contains("tagged (record in .oss-cse-auth/a.bin");
    Result cat = read("cat", "a.bin", "--require-authentication");
    assertThat(cat.code()).as(cat.toString()).isZero();
    assertThat(cat.outBytes()).isEqualTo(data);
    Path out = tmp.resolve("a.out");
    Result get =
        read(
            "get",
            "a.bin",
            "--out",
            out.toString(),
            "--require-authentication",
            "--range",
            "1048570-1048600");
    assertThat(get.code()).as(get.toString()).isZero();
    assertThat(get.err()).contains("authenticated and decrypted");
  }

  @Test
  void multipartPutAuthenticate_readsBack_andPartSizeNotWholeMiB_isUsageError() throws Exception {
    put("mp.bin", "--authenticate", "--part-size", "1M", "--parallel", "2");
    Result cat = read("cat", "mp.bin", "--require-authentication");
    assertThat(cat.code()).as(cat.toString()).isZero();
    assertThat(cat.outBytes()).isEqualTo(data);
    Result bad =
        run(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "mp2.bin",
            "--file",
            file.toString(),
            "--rsa-public",
            pub.toString(),
            "--authenticate",
            "--part-size",
            "1000000");
    assertThat(bad.code()).as(bad.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("multiple of 1 MiB");
  }

  @Test
  void flippedByte_getRequireAuthentication_failsWithIntegrityAndWritesNoFile() throws Exception {
    put("flip.bin", "--authenticate");
    tamper("flip.bin", 2L << 20, false);
    Path out = tmp.resolve("flip.out");
    Result get = read("get", "flip.bin", "--out", out.toString(), "--require-authentication");
    assertThat(get.code()).as(get.toString()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(get.err())
        .contains("authentication failed")
        .contains("chunk 2 failed authentication");
    assertThat(out).doesNotExist();
    Result cat = read("cat", "flip.bin", "--require-authentication", "--range", "-10");
    assertThat(cat.code()).as(cat.toString()).isZero(); // the last chunk is intact
    Result catAll = read("cat", "flip.bin", "--require-authentication");
    assertThat(catAll.code()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(catAll.outBytes()).hasSize(2 << 20); // chunks 0 and 1 verified; nothing of chunk 2
    assertThat(read("cat", "flip.bin").code()).as("without the switch").isZero();
  }

  @Test
  void untaggedOrStrippedObject_refusedOnlyWhenRequired() throws Exception {
    put("plain-cse.bin");
    assertThat(ok("inspect", "--bucket", BUCKET, "--key", "plain-cse.bin").out())
        .contains("authenticated:    no");
    Result cat = read("cat", "plain-cse.bin", "--require-authentication");
    assertThat(cat.code()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(cat.err()).contains("no authentication record");
    assertThat(cat.outBytes()).isEmpty();
    assertThat(read("cat", "plain-cse.bin").outBytes()).isEqualTo(data);

    put("strip.bin", "--authenticate");
    tamper("strip.bin", -1, true);
    Result stripped = read("cat", "strip.bin", "--require-authentication");
    assertThat(stripped.code()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(stripped.err()).contains("not marked as authenticated");
  }
}
