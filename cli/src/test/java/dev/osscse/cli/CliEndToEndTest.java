package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import dev.osscse.cli.CliRunner.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end against {@code serve-local} running as a separate process: a few
 * commands as child processes (the way a user runs them), most in process through picocli with
 * captured output, including every error path's exit code and message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {
  private static final String BUCKET = "cli-test";

  @TempDir static Path tmp;

  private ServeLocalBed bed;
  private ServeLocalProcess server;
  private Map<String, String> env;
  private Path rsaPrivate;
  private Path rsaPublic;
  private Path otherPrivate;
  private Path data;
  private byte[] dataBytes;
  private String kmsKeyId;

  @BeforeAll
  void startServer() throws Exception {
    bed = ServeLocalBed.start(tmp.resolve("serve"), BUCKET, "--create-kms-key");
    bed.recordTranscript();
    server = bed.server();
    env = bed.env();
    kmsKeyId = bed.kmsKeyId();
    ServeLocalBed.RsaKeyFiles main = bed.rsaKeys(tmp.resolve("keys"), "main");
    rsaPrivate = main.privatePem();
    rsaPublic = main.publicPem();
    otherPrivate = bed.rsaKeys(tmp.resolve("keys"), "other").privatePem();
    data = tmp.resolve("data.bin");
    dataBytes = ServeLocalBed.writeRandom(data, 300_001, 7);
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "rsa/data.bin",
        "--file",
        data.toString(),
        "--rsa-public",
        rsaPublic.toString(),
        "--matdesc",
        "{\"desc\":\"cli test\"}");
  }

  @AfterAll
  void stopServer() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  private Result run(String... args) {
    return bed.run(args);
  }

  private Result run(Map<String, String> environment, String... args) {
    return bed.run(environment, args);
  }

  private Result ok(String... args) {
    return bed.ok(args);
  }

  private String[] withRsa(String... args) {
    String[] a = Arrays.copyOf(args, args.length + 2);
    a[args.length] = "--rsa-private";
    a[args.length + 1] = rsaPrivate.toString();
    return a;
  }

  // ---------------------------------------------------------------- serve-local

  @Test
  void serveLocal_printsEveryVariable_andRuns() {
    assertThat(server.variables().keySet()).containsAll(ServeLocalProcess.VARIABLES);
    assertThat(env.get("OSS_ENDPOINT")).startsWith("http://127.0.0.1:");
    assertThat(env.get("KMS_TLS_ENDPOINT")).startsWith("https://127.0.0.1:");
    assertThat(Path.of(env.get("KMS_TRUSTSTORE"))).isRegularFile();
    assertThat(kmsKeyId).isNotBlank();
    assertThat(server.isAlive()).isTrue();
  }

  // ---------------------------------------------------------------- child processes

  @Test
  void childProcesses_putThenGet_roundTripTheFile() throws Exception {
    Path out = tmp.resolve("child-get.bin");
    Result put =
        CliRunner.childProcess(
            env,
            tmp,
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "child/data.bin",
            "--file",
            data.toString(),
            "--rsa-public",
            rsaPublic.toString());
    assertThat(put.code()).as(put.toString()).isZero();
    Result get =
        CliRunner.childProcess(
            env,
            tmp,
            "get",
            "--bucket",
            BUCKET,
            "--key",
            "child/data.bin",
            "--out",
            out.toString(),
            "--rsa-private",
            rsaPrivate.toString());
    assertThat(get.code()).as(get.toString()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(dataBytes);
    assertThat(get.err()).contains("get oss://" + BUCKET + "/child/data.bin");
  }

  @Test
  void childProcess_wrongKey_exits4WithOneLineError() throws Exception {
    Result r =
        CliRunner.childProcess(
            env,
            tmp,
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "rsa/data.bin",
            "--rsa-private",
            otherPrivate.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.KEY);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("oss-cse: error: oss://" + BUCKET + "/rsa/data.bin: unwrap failed");
  }

  // ---------------------------------------------------------------- happy paths in process

  @Test
  void cat_wholeObject_writesPlaintextToStdout() {
    Result r = ok(withRsa("cat", "--bucket", BUCKET, "--key", "rsa/data.bin"));
    assertThat(r.outBytes()).isEqualTo(dataBytes);
  }

  @Test
  void cat_ranges_returnExactlyTheRequestedBytes() {
    int n = dataBytes.length;
    assertThat(
            ok(withRsa("cat", "--bucket", BUCKET, "--key", "rsa/data.bin", "--range", "17-4116"))
                .outBytes())
        .isEqualTo(Arrays.copyOfRange(dataBytes, 17, 4117));
    assertThat(
            ok(withRsa("cat", "--bucket", BUCKET, "--key", "rsa/data.bin", "--range", "299990-"))
                .outBytes())
        .isEqualTo(Arrays.copyOfRange(dataBytes, 299_990, n));
    assertThat(
            ok(withRsa("cat", "--bucket", BUCKET, "--key", "rsa/data.bin", "--range", "-33"))
                .outBytes())
        .isEqualTo(Arrays.copyOfRange(dataBytes, n - 33, n));
  }

  @Test
  void put_emptyFile_readsBackEmpty() throws Exception {
    Path empty = Files.createFile(tmp.resolve("empty.bin"));
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "empty.bin",
        "--file",
        empty.toString(),
        "--rsa-public",
        rsaPublic.toString());
    Result r = ok(withRsa("cat", "--bucket", BUCKET, "--key", "empty.bin"));
    assertThat(r.outBytes()).isEmpty();
    assertThat(ok("inspect", "--bucket", BUCKET, "--key", "empty.bin").out())
        .contains("plaintext-length: 0 bytes");
  }

  @Test
  void get_rangeToFile_writesTheRange() throws Exception {
    Path out = tmp.resolve("range.bin");
    ok(
        withRsa(
            "get",
            "--bucket",
            BUCKET,
            "--key",
            "rsa/data.bin",
            "--out",
            out.toString(),
            "--range",
            "bytes=1000-1999",
            "--quiet"));
    assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(dataBytes, 1000, 2000));
  }

  @Test
  void put_multipart_isReadBackWhole_andInspectShowsParts() throws Exception {
    Result put =
        ok(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "mp/data.bin",
            "--file",
            data.toString(),
            "--rsa-public",
            rsaPublic.toString(),
            "--part-size",
            "128K",
            "--parallel",
            "2");
    assertThat(put.err()).contains("(multipart)");
    assertThat(ok(withRsa("cat", "--bucket", BUCKET, "--key", "mp/data.bin")).outBytes())
        .isEqualTo(dataBytes);
    Result inspect = ok("inspect", "--bucket", BUCKET, "--key", "mp/data.bin");
    assertThat(inspect.out())
        .contains("part-size:        131072 bytes")
        .contains("data-size:        300001 bytes");
  }

  @Test
  void inspect_rsaObject_showsEnvelopeWithoutSecrets() throws Exception {
    Result r = ok("inspect", "--bucket", BUCKET, "--key", "rsa/data.bin");
    assertThat(r.out())
        .contains("encrypted:        yes")
        .contains("cek-alg:          AES/CTR/NoPadding")
        .contains("wrap-alg:         RSA/NONE/PKCS1Padding")
        .contains("matdesc:          {\"desc\":\"cli test\"}")
        .contains("wrapped-key:      256 bytes (RSA modulus 2048 bits)")
        .contains("plaintext-length: 300001 bytes");
    OSS oss = plainOss();
    try {
      Map<String, String> md = oss.getObjectMetadata(BUCKET, "rsa/data.bin").getUserMetadata();
      String wrappedKey = md.get("client-side-encryption-key");
      assertThat(wrappedKey).isNotBlank();
      assertThat(r.out()).doesNotContain(wrappedKey.substring(0, 24));
    } finally {
      oss.shutdown();
    }
  }

  @Test
  void kms_putAndGetOverHttpsWithTrustStore_roundTrip() {
    Map<String, String> tls = new HashMap<>(env);
    tls.put("KMS_ENDPOINT", env.get("KMS_TLS_ENDPOINT"));
    Result put =
        run(
            tls,
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "kms/data.bin",
            "--file",
            data.toString(),
            "--kms-key-id",
            kmsKeyId);
    assertThat(put.code()).as(put.toString()).isZero();
    Result get = run(tls, "cat", "--bucket", BUCKET, "--key", "kms/data.bin", "--kms");
    assertThat(get.code()).as(get.toString()).isZero();
    assertThat(get.outBytes()).isEqualTo(dataBytes);
    Result inspect = ok("inspect", "--bucket", BUCKET, "--key", "kms/data.bin");
    assertThat(inspect.out())
        .contains("wrap-alg:         KMS/ALICLOUD")
        .contains("kms-key-id:       " + kmsKeyId);
  }

  @Test
  void get_pinnedKmsKeyId_acceptsOnlyThatKey() {
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "kms/pinned.bin",
        "--file",
        data.toString(),
        "--kms-key-id",
        kmsKeyId);
    assertThat(
            ok("cat", "--bucket", BUCKET, "--key", "kms/pinned.bin", "--kms-key-id", kmsKeyId)
                .outBytes())
        .isEqualTo(dataBytes);
    Result other =
        run(
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "kms/pinned.bin",
            "--kms-key-id",
            "00000000-0000-4000-8000-000000000000");
    assertThat(other.code()).as(other.toString()).isEqualTo(ExitCodes.KEY);
    assertThat(other.err()).contains("unwrap failed");
  }

  @Test
  void rewrap_rsaToKms_thenOnlyKmsOpensIt() {
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "rw/data.bin",
        "--file",
        data.toString(),
        "--rsa-public",
        rsaPublic.toString());
    ok(withRsa("rewrap", "--bucket", BUCKET, "--key", "rw/data.bin", "--new-kms-key-id", kmsKeyId));
    Result kms = ok("cat", "--bucket", BUCKET, "--key", "rw/data.bin", "--kms");
    assertThat(kms.outBytes()).isEqualTo(dataBytes);
    Result rsa = run(withRsa("cat", "--bucket", BUCKET, "--key", "rw/data.bin"));
    assertThat(rsa.code()).isEqualTo(ExitCodes.KEY);
    assertThat(rsa.err()).contains("is wrapped with KMS/ALICLOUD").contains("pass --kms");
  }

  @Test
  void plaintextObject_refusedWithoutFlag_readWithAllowPlaintext() {
    OSS oss = plainOss();
    try {
      oss.putObject(
          BUCKET, "plain.txt", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
    } finally {
      oss.shutdown();
    }
    Result refused = run("cat", "--bucket", BUCKET, "--key", "plain.txt");
    assertThat(refused.code()).isEqualTo(ExitCodes.KEY);
    assertThat(refused.err())
        .contains("oss://" + BUCKET + "/plain.txt")
        .contains("no client-side encryption headers")
        .contains("--allow-plaintext");
    Result allowed = ok("cat", "--bucket", BUCKET, "--key", "plain.txt", "--allow-plaintext");
    assertThat(allowed.out()).isEqualTo("hello");
    assertThat(ok("inspect", "--bucket", BUCKET, "--key", "plain.txt").out())
        .contains("encrypted:        no");
  }

  @Test
  void keygenRsa_privateKeyIsOwnerOnly_andNeverOverwritten() throws Exception {
    Path prefix = tmp.resolve("kg");
    Result r = ok("keygen", "rsa", "--bits", "2048", "--out", prefix.toString());
    Path priv = tmp.resolve("kg-private.pem");
    assertThat(r.out()).contains(priv.toString()).contains("kg-public.pem");
    assertThat(Files.getPosixFilePermissions(priv))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    Result again = run("keygen", "rsa", "--bits", "2048", "--out", prefix.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.GENERIC);
    assertThat(again.err()).contains("already exists");
  }

  // ---------------------------------------------------------------- error paths

  @Test
  void get_noMasterKeyGiven_exits4NamingTheOption() {
    Result r = run("cat", "--bucket", BUCKET, "--key", "rsa/data.bin");
    assertThat(r.code()).isEqualTo(ExitCodes.KEY);
    assertThat(r.err())
        .contains("oss://" + BUCKET + "/rsa/data.bin")
        .contains("x-oss-meta-client-side-encryption-wrap-alg")
        .contains("--rsa-private");
  }

  @Test
  void get_wrongKey_exits4_andVerboseAddsCauseChain() {
    Result r =
        run(
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "rsa/data.bin",
            "--rsa-private",
            otherPrivate.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.KEY);
    assertThat(r.err()).contains("unwrap failed").doesNotContain("caused by");
    assertThat(r.out()).isEmpty();
    Result v =
        run(
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "rsa/data.bin",
            "--rsa-private",
            otherPrivate.toString(),
            "--verbose");
    assertThat(v.code()).isEqualTo(ExitCodes.KEY);
    assertThat(v.err()).contains("caused by: java.security.InvalidKeyException");
  }

  @Test
  void get_noSuchObject_exits3() {
    Result r =
        run(
            withRsa(
                "get",
                "--bucket",
                BUCKET,
                "--key",
                "missing.bin",
                "--out",
                tmp.resolve("x").toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("oss://" + BUCKET + "/missing.bin: no such object (NoSuchKey");
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void get_noSuchBucket_exits3() {
    Result r = run(withRsa("cat", "--bucket", "no-such-bucket", "--key", "a"));
    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("no such bucket (NoSuchBucket");
  }

  @Test
  void get_badRangeSyntax_exits2() {
    for (String bad : List.of("5-2", "abc", "1-2-3", "-", "0-1,5-6")) {
      Result r = run(withRsa("cat", "--bucket", BUCKET, "--key", "rsa/data.bin", "--range", bad));
      assertThat(r.code()).as(bad).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(bad).startsWith("oss-cse: error: --range: ");
    }
  }

  @Test
  void get_rangePastTheEnd_exits2() {
    Result r =
        run(withRsa("cat", "--bucket", BUCKET, "--key", "rsa/data.bin", "--range", "300001-"));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("InvalidRange");
  }

  @Test
  void badPem_exits4NamingTheFile() throws Exception {
    Path bad = tmp.resolve("bad.pem");
    Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
    Result r =
        run("cat", "--bucket", BUCKET, "--key", "rsa/data.bin", "--rsa-private", bad.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.KEY);
    assertThat(r.err()).contains("--rsa-private " + bad).contains("not a usable RSA private key");
    Result pub =
        run(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "x",
            "--file",
            data.toString(),
            "--rsa-public",
            bad.toString());
    assertThat(pub.code()).isEqualTo(ExitCodes.KEY);
    assertThat(pub.err()).contains("--rsa-public " + bad);
  }

  @Test
  void missingKeyFile_exits3() {
    Result r =
        run(
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "rsa/data.bin",
            "--rsa-private",
            tmp.resolve("nope.pem").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("nope.pem: no such file");
  }

  @Test
  void put_missingInputFile_exits3() {
    Result r =
        run(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "x",
            "--file",
            tmp.resolve("none").toString(),
            "--rsa-public",
            rsaPublic.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("--file").contains("no such file");
  }

  @Test
  void usageErrors_exit2WithOneLineAndHelpHint() {
    List<String[]> cases =
        List.of(
            new String[] {"put", "--key", "k", "--file", "f", "--rsa-public", "p"},
            new String[] {"put", "--bucket", "b", "--key", "k", "--file", "f"},
            new String[] {
              "put",
              "--bucket",
              "b",
              "--key",
              "k",
              "--file",
              "f",
              "--rsa-public",
              "p",
              "--kms-key-id",
              "id"
            },
            new String[] {"get", "--bucket", "b", "--key", "k"},
            new String[] {"cat", "--bucket", "b", "--key", "k", "--no-such-option"},
            new String[] {"no-such-command"},
            new String[] {
              "put",
              "--bucket",
              "b",
              "--key",
              "k",
              "--file",
              "f",
              "--rsa-public",
              "p",
              "--part-size",
              "12x"
            },
            new String[] {"keygen", "rsa", "--bits", "1000", "--out", "x"});
    for (String[] args : cases) {
      Result r = run(args);
      assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(String.join(" ", args)).startsWith("oss-cse: ");
    }
  }

  @Test
  void put_badMatdesc_exits2() {
    Result r =
        run(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "x",
            "--file",
            data.toString(),
            "--rsa-public",
            rsaPublic.toString(),
            "--matdesc",
            "{\"a\":1}");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--matdesc value of \"a\" must be a JSON string");
  }

  @Test
  void noCredentials_exits2() {
    Map<String, String> none = new HashMap<>(env);
    none.remove("OSS_ACCESS_KEY_ID");
    Result r = run(none, "inspect", "--bucket", BUCKET, "--key", "rsa/data.bin");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("OSS_ACCESS_KEY_ID");
  }

  @Test
  void wrongSecret_exits6WithoutPrintingIt() {
    Map<String, String> wrong = new HashMap<>(env);
    wrong.put("OSS_ACCESS_KEY_SECRET", "not-the-secret-0123456789");
    Result r = run(wrong, "inspect", "--bucket", BUCKET, "--key", "rsa/data.bin", "--verbose");
    assertThat(r.code()).isEqualTo(ExitCodes.SERVICE);
    assertThat(r.err()).contains("SignatureDoesNotMatch").doesNotContain("not-the-secret");
  }

  @Test
  void unreachableEndpoint_exits6() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r =
        run("inspect", "--bucket", BUCKET, "--key", "a", "--endpoint", "http://127.0.0.1:" + port);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.SERVICE);
    assertThat(r.err()).contains("oss://" + BUCKET + "/a").contains("endpoint");
  }

  @Test
  void get_severalPrivateKeys_usesTheOneThatUnwraps() {
    Result r =
        ok(
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "rsa/data.bin",
            "--rsa-private",
            otherPrivate.toString(),
            "--rsa-private",
            rsaPrivate.toString());
    assertThat(r.outBytes()).isEqualTo(dataBytes);
    Result none =
        run(
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "rsa/data.bin",
            "--rsa-private",
            otherPrivate.toString(),
            "--rsa-private",
            otherPrivate.toString());
    assertThat(none.code()).isEqualTo(ExitCodes.KEY);
    assertThat(none.err()).contains("unwrap failed with each of the 2 --rsa-private keys");
  }

  @Test
  void inspect_noSuchObject_exits3() {
    Result r = run("inspect", "--bucket", BUCKET, "--key", "missing/inspect.bin");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("oss://" + BUCKET + "/missing/inspect.bin");
  }

  @Test
  void rewrap_wrongOldKey_exits4_andLeavesTheObjectReadable() {
    Result r =
        run(
            "rewrap",
            "--bucket",
            BUCKET,
            "--key",
            "rsa/data.bin",
            "--rsa-private",
            otherPrivate.toString(),
            "--new-kms-key-id",
            kmsKeyId);
    assertThat(r.code()).isEqualTo(ExitCodes.KEY);
    assertThat(r.err()).contains("unwrap failed");
    assertThat(ok(withRsa("cat", "--bucket", BUCKET, "--key", "rsa/data.bin")).outBytes())
        .isEqualTo(dataBytes);
  }

  @Test
  void unreachableKms_exits6() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r =
        run(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "kms/unreachable.bin",
            "--file",
            data.toString(),
            "--kms-key-id",
            kmsKeyId,
            "--kms-endpoint",
            "http://127.0.0.1:" + port);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.SERVICE);
    assertThat(r.err()).contains("KMS").contains("--kms-endpoint");
  }

  @Test
  void get_outIsADirectory_exits2() {
    Result r =
        run(withRsa("get", "--bucket", BUCKET, "--key", "rsa/data.bin", "--out", tmp.toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("is a directory");
  }

  @Test
  void keygenKms_printsANewKeyId_thatPutAndGetRoundTripWith() throws Exception {
    Result r = ok("keygen", "kms", "--description", "cli keygen test");
    String id = r.out().trim();
    assertThat(r.out()).isEqualTo(id + System.lineSeparator());
    assertThat(id).isNotBlank().doesNotContainAnyWhitespaces().isNotEqualTo(kmsKeyId);
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "kms/keygen.bin",
        "--file",
        data.toString(),
        "--kms-key-id",
        id);
    assertThat(ok("inspect", "--bucket", BUCKET, "--key", "kms/keygen.bin").out())
        .contains("kms-key-id:       " + id);
    Path out = tmp.resolve("keygen-get.bin");
    ok("get", "--bucket", BUCKET, "--key", "kms/keygen.bin", "--out", out.toString(), "--kms");
    assertThat(Files.readAllBytes(out)).isEqualTo(dataBytes);
    String second = ok("keygen", "kms").out().trim();
    assertThat(second).isNotBlank().isNotEqualTo(id).isNotEqualTo(kmsKeyId);
  }

  @Test
  void noOutputEverContainsASecret() throws Exception {
    ok(withRsa("cat", "--bucket", BUCKET, "--key", "rsa/data.bin", "--range", "0-9"));
    run(
        "cat",
        "--bucket",
        BUCKET,
        "--key",
        "rsa/data.bin",
        "--rsa-private",
        otherPrivate.toString(),
        "--verbose");
    String all = bed.transcript();
    assertThat(all)
        .doesNotContain(env.get("OSS_ACCESS_KEY_SECRET"))
        .doesNotContain(env.get("KMS_TRUSTSTORE_PASSWORD"));
    String pem = Files.readString(rsaPrivate);
    String body = pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    assertThat(all).doesNotContain(body);
  }

  private OSS plainOss() {
    return new OSSClientBuilder()
        .build(
            env.get("OSS_ENDPOINT"),
            env.get("OSS_ACCESS_KEY_ID"),
            env.get("OSS_ACCESS_KEY_SECRET"));
  }
}
