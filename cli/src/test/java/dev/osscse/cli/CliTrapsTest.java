package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import dev.osscse.cli.CliRunner.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's guards and the traps a newcomer fell into, each through the real entry point
 * against {@code serve-local} in a separate process: plain http to a remote endpoint, part sizes
 * OSS would refuse, a port in use, a second server on one directory, {@code cat | head}, tiny
 * transfers, plaintext objects, rewrap of a plaintext object and DNS failures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTrapsTest {
  private static final String BUCKET = "cli-traps";

  @TempDir static Path tmp;

  private ServeLocalBed bed;
  private ServeLocalProcess server;
  private Path serverDir;
  private Map<String, String> env;
  private Path rsaPrivate;
  private Path rsaPublic;
  private Path data;
  private byte[] dataBytes;

  @BeforeAll
  void start() throws Exception {
    serverDir = tmp.resolve("serve");
    bed = ServeLocalBed.start(serverDir, BUCKET);
    server = bed.server();
    env = bed.env();
    ServeLocalBed.RsaKeyFiles keys = bed.rsaKeys(tmp.resolve("keys"), "k");
    rsaPrivate = keys.privatePem();
    rsaPublic = keys.publicPem();
    data = tmp.resolve("data.bin");
    dataBytes = ServeLocalBed.writeRandom(data, 300_001, 11);
  }

  @AfterAll
  void stop() throws Exception {
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

  private OSS plainOss() {
    return bed.plainOss();
  }

  /** Uploads in progress or objects under {@code prefix}: what a refused put must not leave. */
  private void assertNothingSentUnder(String prefix) {
    OSS oss = plainOss();
    try {
      ListMultipartUploadsRequest list = new ListMultipartUploadsRequest(BUCKET);
      list.setPrefix(prefix);
      assertThat(oss.listMultipartUploads(list).getMultipartUploads()).as("uploads").isEmpty();
      assertThat(oss.listObjects(BUCKET, prefix).getObjectSummaries()).as("objects").isEmpty();
    } finally {
      oss.shutdown();
    }
  }

  // ---------------------------------------------------------------- plain http to a remote host

  @Test
  void plainHttpToRemoteEndpointIsRefused() {
    Result option =
        run(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "http/a.bin",
            "--file",
            data.toString(),
            "--rsa-public",
            rsaPublic.toString(),
            "--endpoint",
            "http://oss-cn-hangzhou.aliyuncs.com");
    assertThat(option.code()).as(option.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(option.err())
        .startsWith("oss-cse: error: --endpoint http://oss-cn-hangzhou.aliyuncs.com: plain http")
        .contains("use https://oss-cn-hangzhou.aliyuncs.com")
        .contains("--allow-insecure-http");
    Map<String, String> viaEnv = new HashMap<>(env);
    viaEnv.put("OSS_ENDPOINT", "http://10.0.0.8:8080");
    Result variable = run(viaEnv, "inspect", "--bucket", BUCKET, "--key", "a");
    assertThat(variable.code()).as(variable.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(variable.err())
        .startsWith("oss-cse: error: OSS_ENDPOINT http://10.0.0.8:8080: plain http")
        .contains("--allow-insecure-http");
  }

  @Test
  void plainHttp_withAllowInsecureHttp_isAttempted_andAnUnknownHostSaysSo() {
    Result r =
        run(
            "inspect",
            "--bucket",
            BUCKET,
            "--key",
            "a",
            "--endpoint",
            "http://no-such-host.invalid",
            "--allow-insecure-http");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.SERVICE);
    assertThat(r.err())
        .startsWith("oss-cse: error: oss://" + BUCKET + "/a: OSS: unknown host ")
        .contains("no-such-host.invalid")
        .contains("--endpoint / OSS_ENDPOINT")
        .doesNotContain("plain http");
  }

  @Test
  void dnsFailure_httpsEndpoint_saysUnknownHost() {
    Result r =
        run(
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "a",
            "--rsa-private",
            rsaPrivate.toString(),
            "--endpoint",
            "https://no-such-host.invalid");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.SERVICE);
    assertThat(r.err()).contains("unknown host").contains("no-such-host.invalid");
    assertThat(r.err()).doesNotContain("unexpected");
  }

  // ---------------------------------------------------------------- part sizes

  @Test
  void partSize_belowMinimum_orNotAMultipleOf16_isRefusedBeforeAnyUpload() {
    for (String size : List.of("64K", "102401", "1000008", "16")) {
      String key = "ps/" + size + ".bin";
      Result r =
          run(
              "put",
              "--bucket",
              BUCKET,
              "--key",
              key,
              "--file",
              data.toString(),
              "--rsa-public",
              rsaPublic.toString(),
              "--part-size",
              size);
      assertThat(r.code()).as(size + "\n" + r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err())
          .as(size)
          .startsWith("oss-cse: error: oss://" + BUCKET + "/" + key + ": --part-size ");
      assertThat(r.err())
          .as(size)
          .containsAnyOf("is below OSS's minimum part size of 100 KiB", "not a multiple of 16");
    }
    assertNothingSentUnder("ps/");
  }

  @Test
  void partSize_aboveFiveGib_isRefused() {
    Result r =
        run(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "ps/huge.bin",
            "--file",
            data.toString(),
            "--rsa-public",
            rsaPublic.toString(),
            "--part-size",
            "6G");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("above OSS's maximum part size of 5 GiB");
    assertNothingSentUnder("ps/huge");
  }

  @Test
  void partSize_moreThan10000Parts_isRefusedBeforeAnyUpload() throws Exception {
    Path big = tmp.resolve("sparse-1GB.bin");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(10_000L * 102_400 + 1); // sparse: no byte is written or read
    }
    Result r =
        run(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "parts/too-many.bin",
            "--file",
            big.toString(),
            "--rsa-public",
            rsaPublic.toString(),
            "--part-size",
            "100K");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("--part-size 102400 would cut the 1024000001-byte file into 10001 parts")
        .contains("more than OSS's 10000")
        .contains("use at least 102416 bytes");
    assertNothingSentUnder("parts/");
  }

  @Test
  void partSize_exactlyTheMinimum_isAccepted() {
    Result r =
        ok(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "min-part.bin",
            "--file",
            data.toString(),
            "--rsa-public",
            rsaPublic.toString(),
            "--part-size",
            "100K");
    assertThat(r.err()).contains("(multipart)");
    assertThat(
            ok(
                    "cat",
                    "--bucket",
                    BUCKET,
                    "--key",
                    "min-part.bin",
                    "--rsa-private",
                    rsaPrivate.toString())
                .outBytes())
        .isEqualTo(dataBytes);
  }

  // ---------------------------------------------------------------- serve-local

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void serveLocal_portInUse_saysWhichPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      for (String option : List.of("--port", "--kms-port", "--kms-tls-port")) {
        Path dir = tmp.resolve("port-" + option.substring(2));
        Result r =
            CliRunner.inProcess(
                Map.of(), "serve-local", "--dir", dir.toString(), option, String.valueOf(port));
        assertThat(r.code()).as(option + "\n" + r).isEqualTo(ExitCodes.GENERIC);
        assertThat(r.err())
            .as(option)
            .startsWith("oss-cse: error: port " + port + " is in use")
            .doesNotContain("unexpected")
            .doesNotContain("IllegalStateException");
        assertThat(r.out()).as(option).isEmpty();
        // the failed start released the directory's lock
        DataDirectoryLock.acquire(dir).close();
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void serveLocal_secondServerOnTheSameDirectory_isRefused_andTheFirstKeepsWorking()
      throws Exception {
    Path store = Path.of(env.get("KMS_TRUSTSTORE"));
    byte[] before = Files.readAllBytes(store);
    FileTime modified = Files.getLastModifiedTime(store);
    Result r = CliRunner.inProcess(Map.of(), "serve-local", "--dir", serverDir.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.GENERIC);
    assertThat(r.err())
        .startsWith("oss-cse: error: --dir " + serverDir + " is in use by another serve-local")
        .contains("pid " + server.pid())
        .contains("pass another --dir");
    assertThat(r.out()).isEmpty();
    assertThat(Files.readAllBytes(store)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(store)).isEqualTo(modified);
    // the first server's HTTPS KMS still works with the trust store it printed
    String kmsKey = ok("keygen", "kms").out().trim();
    Map<String, String> tls = new HashMap<>(env);
    tls.put("KMS_ENDPOINT", env.get("KMS_TLS_ENDPOINT"));
    Result put =
        run(
            tls,
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "second/kms.bin",
            "--file",
            data.toString(),
            "--kms-key-id",
            kmsKey);
    assertThat(put.code()).as(put.toString()).isZero();
  }

  // ---------------------------------------------------------------- output

  @Test
  void catIntoAReaderThatStopsEarly_exits0Quietly() throws Exception {
    byte[] big = new byte[4 << 20];
    new SplittableRandom(3).nextBytes(big);
    Path file = tmp.resolve("big.bin");
    Files.write(file, big);
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "pipe/big.bin",
        "--file",
        file.toString(),
        "--rsa-public",
        rsaPublic.toString());
    ProcessBuilder pb =
        new ProcessBuilder(
                CliRunner.javaCommand(
                    "cat",
                    "--bucket",
                    BUCKET,
                    "--key",
                    "pipe/big.bin",
                    "--rsa-private",
                    rsaPrivate.toString()))
            .directory(tmp.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OSS_") || k.startsWith("KMS_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain =
        new Thread(
            () -> {
              try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
              } catch (java.io.IOException ignored) {
                // the process is gone
              }
            });
    drain.start();
    byte[] head = new byte[10];
    try (InputStream out = p.getInputStream()) {
      int n = 0;
      while (n < head.length) {
        int k = out.read(head, n, head.length - n);
        assertThat(k).as("cat ended before 10 bytes").isPositive();
        n += k;
      }
    } // like `head -c 10`: the reader closes the pipe and goes away
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    drain.join();
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stderr).isZero();
    assertThat(stderr).isEmpty();
    assertThat(head).isEqualTo(java.util.Arrays.copyOf(big, 10));
  }

  @Test
  void tinyTransfers_neverPrintAZeroRate() throws Exception {
    Path tiny = tmp.resolve("tiny.txt");
    Files.writeString(tiny, "hello");
    Result put =
        ok(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "tiny.txt",
            "--file",
            tiny.toString(),
            "--rsa-public",
            rsaPublic.toString());
    Result cat =
        ok("cat", "--bucket", BUCKET, "--key", "tiny.txt", "--rsa-private", rsaPrivate.toString());
    assertThat(cat.out()).isEqualTo("hello");
    Path empty = Files.createFile(tmp.resolve("empty.txt"));
    Result putEmpty =
        ok(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "empty.txt",
            "--file",
            empty.toString(),
            "--rsa-public",
            rsaPublic.toString());
    for (Result r : List.of(put, cat, putEmpty)) {
      assertThat(r.err())
          .as(r.toString())
          .doesNotContain("0.0 MiB/s")
          .doesNotContain(" 0 B/s")
          .doesNotContain("(-)")
          .matches("(?s).* in \\d+\\.\\d{3} s( \\(\\d+(\\.\\d)? (B|KiB|MiB|GiB)/s\\))?\\R");
    }
    assertThat(put.err()).contains("5 B encrypted");
    assertThat(putEmpty.err()).doesNotContain("/s");
  }

  @Test
  void plaintextObjectReadWithAllowPlaintext_isNotReportedAsDecrypted() throws Exception {
    OSS oss = plainOss();
    try {
      oss.putObject(
          BUCKET, "plain.txt", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
    } finally {
      oss.shutdown();
    }
    Result cat = ok("cat", "--bucket", BUCKET, "--key", "plain.txt", "--allow-plaintext");
    assertThat(cat.out()).isEqualTo("hello");
    Path out = tmp.resolve("plain-copy.txt");
    Result get =
        ok(
            "get",
            "--bucket",
            BUCKET,
            "--key",
            "plain.txt",
            "--out",
            out.toString(),
            "--allow-plaintext");
    assertThat(Files.readString(out)).isEqualTo("hello");
    for (Result r : List.of(cat, get)) {
      assertThat(r.err())
          .doesNotContain("decrypted")
          .contains("read as stored (plaintext object, no client-side encryption headers)");
    }
    Result encrypted =
        ok(
            "put",
            "--bucket",
            BUCKET,
            "--key",
            "enc.bin",
            "--file",
            data.toString(),
            "--rsa-public",
            rsaPublic.toString());
    assertThat(encrypted.code()).isZero();
    Result both =
        ok(
            "cat",
            "--bucket",
            BUCKET,
            "--key",
            "enc.bin",
            "--allow-plaintext",
            "--rsa-private",
            rsaPrivate.toString());
    assertThat(both.err()).contains("decrypted").doesNotContain("plaintext object");
  }

  @Test
  void get_outputFile_isOwnerOnly_evenOverAnExistingFile() throws Exception {
    ok(
        "put",
        "--bucket",
        BUCKET,
        "--key",
        "mode.bin",
        "--file",
        data.toString(),
        "--rsa-public",
        rsaPublic.toString());
    Path fresh = tmp.resolve("mode-fresh.bin");
    Path existing = tmp.resolve("mode-existing.bin");
    Files.writeString(existing, "old");
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
    for (Path out : List.of(fresh, existing)) {
      ok(
          "get",
          "--bucket",
          BUCKET,
          "--key",
          "mode.bin",
          "--out",
          out.toString(),
          "--rsa-private",
          rsaPrivate.toString());
      assertThat(Files.readAllBytes(out)).isEqualTo(dataBytes);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
          .as(out.toString())
          .isEqualTo("rw-------");
    }
  }

  @Test
  void rewrapOfAPlaintextObject_doesNotSuggestAFlagItRefuses() throws Exception {
    OSS oss = plainOss();
    try {
      oss.putObject(
          BUCKET, "plain-rw.txt", new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)));
    } finally {
      oss.shutdown();
    }
    Result r =
        run(
            "rewrap",
            "--bucket",
            BUCKET,
            "--key",
            "plain-rw.txt",
            "--rsa-private",
            rsaPrivate.toString(),
            "--new-rsa-public",
            rsaPublic.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.KEY);
    assertThat(r.err())
        .startsWith("oss-cse: error: oss://" + BUCKET + "/plain-rw.txt: ")
        .contains("stored in plaintext")
        .contains("encrypt it with put")
        .doesNotContain("--allow-plaintext");
    Result flag =
        run(
            "rewrap",
            "--bucket",
            BUCKET,
            "--key",
            "plain-rw.txt",
            "--allow-plaintext",
            "--new-rsa-public",
            rsaPublic.toString());
    assertThat(flag.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(flag.err()).contains("encrypt it with put");
  }
}
