package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.MultipartUpload;
import dev.osscse.cli.CliRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

  private ServeLocalProcess server;
  private Map<String, String> env;
  private Path rsaPrivate;
  private Path rsaPublic;
  private Path data;
  private byte[] dataBytes;

  @BeforeAll
  void start() throws Exception {
    server = ServeLocalProcess.start(tmp.resolve("serve"), "--bucket", BUCKET);
    env = new HashMap<>(server.variables());
    env.put("XDG_STATE_HOME", Files.createDirectories(tmp.resolve("state")).toString());
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    ok("keygen", "rsa", "--bits", "2048", "--out", keys.resolve("k").toString());
    rsaPrivate = keys.resolve("k-private.pem");
    rsaPublic = keys.resolve("k-public.pem");
    dataBytes = new byte[1_000_000];
    new SplittableRandom(5).nextBytes(dataBytes);
    data = tmp.resolve("data.bin");
    Files.write(data, dataBytes);
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
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

  private OSS plainOss() {
    return new OSSClientBuilder()
        .build(
            env.get("OSS_ENDPOINT"),
            env.get("OSS_ACCESS_KEY_ID"),
            env.get("OSS_ACCESS_KEY_SECRET"));
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

  @Test
  void uploads_withoutSubcommand_printsUsage_andExits2() {
    Result r = run("uploads");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("list").contains("abort");
  }
}
