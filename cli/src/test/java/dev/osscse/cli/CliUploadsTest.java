package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.MultipartUpload;
import dev.osscse.cli.CliRunner.Result;
import dev.osscse.local.oss.LocalOssServer;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oss-cse uploads list|abort|resume} and what {@code put} leaves when it is interrupted,
 * through the real entry point against {@code serve-local} in a separate process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliUploadsTest {
  private static final String BUCKET = "cli-uploads";

  @TempDir static Path tmp;

  private ServeLocalBed bed;
  private Map<String, String> env;
  private Path rsaPrivate;
  private Path rsaPublic;
  private Path data;

  @BeforeAll
  void start() throws Exception {
    bed = ServeLocalBed.start(tmp.resolve("serve"), BUCKET);
    env = bed.env();
    env.put("XDG_STATE_HOME", Files.createDirectories(tmp.resolve("state")).toString());
    ServeLocalBed.RsaKeyFiles keys = bed.rsaKeys(tmp.resolve("keys"), "k");
    rsaPrivate = keys.privatePem();
    rsaPublic = keys.publicPem();
    data = tmp.resolve("data.bin");
    ServeLocalBed.writeRandom(data, 1_000_000, 5);
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

  private Result ok(String... args) {
    return bed.ok(args);
  }

  private OSS plainOss() {
    return bed.plainOss();
  }

  private List<MultipartUpload> uploadsUnder(String prefix) {
    OSS oss = plainOss();
    try {
      ListMultipartUploadsRequest r = new ListMultipartUploadsRequest(BUCKET);
      r.setPrefix(prefix);
      return oss.listMultipartUploads(r).getMultipartUploads();
    } finally {
      oss.shutdown();
    }
  }

  @Test
  void list_showsAnUnfinishedUpload_andAbortRemovesIt() {
    String id;
    OSS oss = plainOss();
    try {
      id =
          oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, "orphan/a.bin"))
              .getUploadId();
    } finally {
      oss.shutdown();
    }
    Result list = ok("uploads", "list", "--bucket", BUCKET, "--prefix", "orphan/");
    assertThat(list.out().lines())
        .singleElement()
        .asString()
        .startsWith(id + "  ")
        .contains("  oss://" + BUCKET + "/orphan/a.bin  ")
        .endsWith("  -");
    assertThat(list.err())
        .contains("1 unfinished multipart upload in oss://" + BUCKET + "/orphan/")
        .contains("billed");
    Result abort =
        ok("uploads", "abort", "--bucket", BUCKET, "--key", "orphan/a.bin", "--upload-id", id);
    assertThat(abort.err()).contains("aborted multipart upload " + id);
    assertThat(uploadsUnder("orphan/")).isEmpty();
    Result empty = ok("uploads", "list", "--bucket", BUCKET, "--prefix", "orphan/");
    assertThat(empty.out()).isEmpty();
    assertThat(empty.err()).contains("no unfinished multipart upload");
    Result again =
        run("uploads", "abort", "--bucket", BUCKET, "--key", "orphan/a.bin", "--upload-id", id);
    assertThat(again.code()).as(again.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(again.err()).contains("NoSuchUpload");
  }

  /** A local OSS endpoint in this JVM that takes request bodies at 512 KiB/s. */
  private LocalOssServer slowOss(String name) throws Exception {
    LocalOssServer s =
        LocalOssServer.builder()
            .dataDirectory(tmp.resolve(name))
            .port(0)
            .credentials(env.get("OSS_ACCESS_KEY_ID"), env.get("OSS_ACCESS_KEY_SECRET"))
            .requestBodyRate(512 * 1024)
            .build()
            .start();
    s.createBucket(BUCKET);
    return s;
  }

  /**
   * Starts {@code put} of a 3 MiB file in 512 KiB parts, one at a time, as a child process against
   * {@code endpoint}, and returns once the server holds its first part.
   */
  private Process putUntilFirstPart(Map<String, String> childEnv, String key, Path big)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                CliRunner.javaCommand(
                    "put",
                    "--bucket",
                    BUCKET,
                    "--key",
                    key,
                    "--file",
                    big.toString(),
                    "--rsa-public",
                    rsaPublic.toString(),
                    "--part-size",
                    "512K",
                    "--parallel",
                    "1"))
            .directory(tmp.toFile())
            .redirectErrorStream(false);
    pb.environment().keySet().removeIf(k -> k.startsWith("OSS_") || k.startsWith("KMS_"));
    pb.environment().putAll(childEnv);
    pb.redirectOutput(tmp.resolve(key.replace('/', '_') + ".out").toFile());
    pb.redirectError(tmp.resolve(key.replace('/', '_') + ".err").toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    OSS oss =
        new OSSClientBuilder()
            .build(
                childEnv.get("OSS_ENDPOINT"),
                childEnv.get("OSS_ACCESS_KEY_ID"),
                childEnv.get("OSS_ACCESS_KEY_SECRET"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && p.isAlive()) {
        ListMultipartUploadsRequest r = new ListMultipartUploadsRequest(BUCKET);
        r.setPrefix(key);
        List<MultipartUpload> ups = oss.listMultipartUploads(r).getMultipartUploads();
        if (!ups.isEmpty()
            && !oss.listParts(new ListPartsRequest(BUCKET, key, ups.get(0).getUploadId()))
                .getParts()
                .isEmpty()) {
          return p;
        }
        Thread.sleep(50);
      }
    } finally {
      oss.shutdown();
    }
    p.destroyForcibly();
    throw new AssertionError(
        "put did not store a part: "
            + Files.readString(tmp.resolve(key.replace('/', '_') + ".err")));
  }

  private Path bigFile() throws Exception {
    Path big = tmp.resolve("big-3m.bin");
    if (!Files.exists(big)) {
      byte[] b = new byte[3 << 20];
      new SplittableRandom(17).nextBytes(b);
      Files.write(big, b);
    }
    return big;
  }

  @Test
  void putInterruptedBySigterm_abortsItsUpload_andSaysSo() throws Exception {
    try (LocalOssServer slow = slowOss("slow-term")) {
      Map<String, String> childEnv = new HashMap<>(env);
      childEnv.put("OSS_ENDPOINT", slow.endpoint());
      Process p = putUntilFirstPart(childEnv, "term/big.bin", bigFile());
      p.destroy(); // SIGTERM, as kill or a closing terminal sends it
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(tmp.resolve("term_big.bin.err"));
      assertThat(p.exitValue()).as(err).isNotZero();
      OSS oss =
          new OSSClientBuilder()
              .build(
                  slow.endpoint(), env.get("OSS_ACCESS_KEY_ID"), env.get("OSS_ACCESS_KEY_SECRET"));
      List<MultipartUpload> left;
      try {
        ListMultipartUploadsRequest r = new ListMultipartUploadsRequest(BUCKET);
        left = oss.listMultipartUploads(r).getMultipartUploads();
        assertThat(oss.doesObjectExist(BUCKET, "term/big.bin")).isFalse();
      } finally {
        oss.shutdown();
      }
      assertThat(left).as(err).isEmpty();
      assertThat(err)
          .containsPattern("multipart upload \\S+ started; recorded in ")
          .containsPattern(
              "oss-cse: put oss://"
                  + BUCKET
                  + "/term/big.bin interrupted: multipart upload \\S+"
                  + " aborted, no part left on the server");
      assertThat(recordsIn(env.get("XDG_STATE_HOME"))).as("records left").isEmpty();
    }
  }

  @Test
  void putKilledHard_thenAbort_removesTheUploadAndItsRecord() throws Exception {
    try (LocalOssServer slow = slowOss("slow-kill-abort")) {
      Map<String, String> childEnv = new HashMap<>(env);
      childEnv.put("OSS_ENDPOINT", slow.endpoint());
      Path state = Files.createDirectories(tmp.resolve("kill-abort-state"));
      childEnv.put("XDG_STATE_HOME", state.toString());
      Process p = putUntilFirstPart(childEnv, "killabort/big.bin", bigFile());
      p.destroyForcibly();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<Path> records = recordsIn(state.toString());
      assertThat(records).hasSize(1);
      Path record = records.get(0);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record.getParent())))
          .isEqualTo("rwx------");
      assertThat(Files.readString(tmp.resolve("killabort_big.bin.err")))
          .contains("recorded in " + record);
      String line =
          CliRunner.inProcess(childEnv, "uploads", "list", "--bucket", BUCKET)
              .out()
              .lines()
              .filter(l -> l.contains("/killabort/big.bin"))
              .findFirst()
              .orElseThrow();
      assertThat(line).endsWith("  " + record);
      String id = line.substring(0, line.indexOf(' '));
      Result abort =
          CliRunner.inProcess(
              childEnv,
              "uploads",
              "abort",
              "--bucket",
              BUCKET,
              "--key",
              "killabort/big.bin",
              "--upload-id",
              id);
      assertThat(abort.code()).as(abort.toString()).isZero();
      assertThat(abort.err()).contains("removed its record");
      assertThat(recordsIn(state.toString())).isEmpty();
      assertThat(CliRunner.inProcess(childEnv, "uploads", "list", "--bucket", BUCKET).out())
          .doesNotContain("killabort/big.bin");
    }
  }

  @Test
  void putKilledHard_leavesARecord_thatListShows_andResumeCompletes() throws Exception {
    try (LocalOssServer slow = slowOss("slow-kill")) {
      Map<String, String> childEnv = new HashMap<>(env);
      childEnv.put("OSS_ENDPOINT", slow.endpoint());
      Path state = Files.createDirectories(tmp.resolve("kill-state"));
      childEnv.put("XDG_STATE_HOME", state.toString());
      Path big = bigFile();
      Process p = putUntilFirstPart(childEnv, "kill/big.bin", big);
      p.destroyForcibly(); // SIGKILL: no hook runs
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<Path> records = recordsIn(state.toString());
      assertThat(records).hasSize(1);
      Path record = records.get(0);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record.getParent())))
          .isEqualTo("rwx------");
      assertThat(Files.readString(record))
          .contains("osscse-resume-1.")
          .doesNotContain(Files.readString(rsaPrivate).lines().skip(1).findFirst().orElseThrow());
      String err = Files.readString(tmp.resolve("kill_big.bin.err"));
      assertThat(err).contains("recorded in " + record);
      Result list = CliRunner.inProcess(childEnv, "uploads", "list", "--bucket", BUCKET);
      assertThat(list.code()).as(list.toString()).isZero();
      String line =
          list.out().lines().filter(l -> l.contains("/kill/big.bin")).findFirst().orElseThrow();
      assertThat(line).endsWith("  " + record);
      String id = line.substring(0, line.indexOf(' '));
      String recordJson = Files.readString(record);
      Result resume =
          CliRunner.inProcess(
              childEnv,
              "uploads",
              "resume",
              "--bucket",
              BUCKET,
              "--key",
              "kill/big.bin",
              "--upload-id",
              id,
              "--rsa-private",
              rsaPrivate.toString());
      assertThat(resume.code()).as(resume.toString()).isZero();
      assertThat(resume.err())
          .containsPattern("multipart upload \\S+ completed, 6 parts \\([1-5] were already on");
      assertThat(recordsIn(state.toString())).isEmpty();
      Result cat =
          CliRunner.inProcess(
              childEnv,
              "cat",
              "--bucket",
              BUCKET,
              "--key",
              "kill/big.bin",
              "--rsa-private",
              rsaPrivate.toString());
      assertThat(cat.outBytes()).isEqualTo(Files.readAllBytes(big));
      assertThat(CliRunner.inProcess(childEnv, "uploads", "list", "--bucket", BUCKET).out())
          .doesNotContain("kill/big.bin");

      // A planted upload of the same object, with a record carrying the token of the upload above
      // (as if the upload id in a record were swapped): resume refuses it and sends nothing.
      OSS oss =
          new OSSClientBuilder()
              .build(
                  slow.endpoint(), env.get("OSS_ACCESS_KEY_ID"), env.get("OSS_ACCESS_KEY_SECRET"));
      String planted;
      try {
        planted =
            oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, "kill/big.bin"))
                .getUploadId();
      } finally {
        oss.shutdown();
      }
      UploadStateStore store = new UploadStateStore(state.resolve("oss-cse").resolve("uploads"));
      Files.writeString(
          store.fileOf(slow.endpoint(), BUCKET, "kill/big.bin", planted),
          recordJson.replace(id, planted));
      Result refused =
          CliRunner.inProcess(
              childEnv,
              "uploads",
              "resume",
              "--bucket",
              BUCKET,
              "--key",
              "kill/big.bin",
              "--upload-id",
              planted,
              "--rsa-private",
              rsaPrivate.toString());
      assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.KEY);
      assertThat(refused.err()).contains("resume token").contains("not resumed");
      Result still =
          CliRunner.inProcess(
              childEnv,
              "cat",
              "--bucket",
              BUCKET,
              "--key",
              "kill/big.bin",
              "--rsa-private",
              rsaPrivate.toString());
      assertThat(still.outBytes()).isEqualTo(Files.readAllBytes(big));
    }
  }

  @Test
  void resumeOfAnUploadWithoutRecord_isRefused_exit3() {
    String id;
    OSS oss = plainOss();
    try {
      id =
          oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(BUCKET, "norecord/a.bin"))
              .getUploadId();
    } finally {
      oss.shutdown();
    }
    Result r =
        run(
            "uploads",
            "resume",
            "--bucket",
            BUCKET,
            "--key",
            "norecord/a.bin",
            "--upload-id",
            id,
            "--file",
            data.toString(),
            "--rsa-private",
            rsaPrivate.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err())
        .contains("no record of multipart upload " + id)
        .contains("oss-cse uploads abort --bucket " + BUCKET);
    assertThat(uploadsUnder("norecord/")).hasSize(1); // neither used nor aborted
  }

  private static List<Path> recordsIn(String stateHome) throws Exception {
    Path dir = Path.of(stateHome, "oss-cse", "uploads");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
    }
  }

  @Test
  void uploads_withoutSubcommand_printsUsage_andExits2() {
    Result r = run("uploads");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("list").contains("abort");
  }
}
