package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import dev.osscse.cli.CliRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve-local} never prints nor adopts credentials exported for real OSS, takes given ones
 * only from a file, and writes its variables to an owner-only env file.
 */
class ServeLocalCredentialsTest {
  private static final String REAL_ID = "LTAI5tRealAccountKeyId01";
  private static final String REAL_SECRET = "RealAccountSecret0123456789abcdef";

  private static OSS client(String endpoint, String id, String secret) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setMaxErrorRetry(0);
    return new OSSClientBuilder().build(endpoint, id, secret, conf);
  }

  @Test
  void serveLocal_realSecretInEnvironment_isNeitherPrintedNorAdopted(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("serve");
    try (ServeLocalProcess server =
        ServeLocalProcess.start(
            dir,
            Map.of("OSS_ACCESS_KEY_ID", REAL_ID, "OSS_ACCESS_KEY_SECRET", REAL_SECRET),
            "--bucket",
            "bkt")) {
      Map<String, String> vars = server.variables();
      assertThat(String.join("\n", server.lines()))
          .doesNotContain(REAL_SECRET)
          .doesNotContain(REAL_ID);
      assertThat(vars.get("OSS_ACCESS_KEY_SECRET")).isNotEqualTo(REAL_SECRET).isNotEmpty();
      assertThat(vars.get("OSS_ACCESS_KEY_ID")).isNotEqualTo(REAL_ID);
      Path env = dir.resolve(ServeLocalCommand.ENV_FILE);
      assertThat(Files.readString(env, StandardCharsets.UTF_8))
          .doesNotContain(REAL_SECRET)
          .contains("OSS_ACCESS_KEY_SECRET=" + vars.get("OSS_ACCESS_KEY_SECRET"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env)))
          .isEqualTo("rw-------");
      // the real pair is not the server's: refused; the printed local pair works
      OSS real = client(vars.get("OSS_ENDPOINT"), REAL_ID, REAL_SECRET);
      OSS local =
          client(
              vars.get("OSS_ENDPOINT"),
              vars.get("OSS_ACCESS_KEY_ID"),
              vars.get("OSS_ACCESS_KEY_SECRET"));
      try {
        assertThatThrownBy(() -> real.listObjects("bkt"))
            .isInstanceOfSatisfying(
                OSSException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo("InvalidAccessKeyId"));
        assertThat(local.listObjects("bkt").getObjectSummaries()).isEmpty();
      } finally {
        real.shutdown();
        local.shutdown();
      }
    }
    assertThat(Files.readString(dir.resolveSibling("serve.serve-local.err")))
        .doesNotContain(REAL_SECRET)
        .doesNotContain(REAL_ID);
  }

  @Test
  void serveLocal_credentialsFile_isUsed_andItsSecretIsNotPrinted(@TempDir Path tmp)
      throws Exception {
    Path creds = tmp.resolve("creds.env");
    Files.writeString(
        creds,
        "OSS_ACCESS_KEY_ID=LTAIgivenLocalId\nOSS_ACCESS_KEY_SECRET=given-local-secret-42\n",
        StandardCharsets.UTF_8);
    Path dir = tmp.resolve("serve");
    try (ServeLocalProcess server =
        ServeLocalProcess.start(
            dir,
            Map.of("OSS_ACCESS_KEY_SECRET", REAL_SECRET),
            "--bucket",
            "bkt",
            "--credentials-file",
            creds.toString())) {
      Map<String, String> vars = server.variables();
      assertThat(vars).containsEntry("OSS_ACCESS_KEY_ID", "LTAIgivenLocalId");
      assertThat(String.join("\n", server.lines()))
          .doesNotContain("given-local-secret-42")
          .doesNotContain(REAL_SECRET);
      assertThat(Files.readString(dir.resolve(ServeLocalCommand.ENV_FILE)))
          .contains("OSS_ACCESS_KEY_SECRET=given-local-secret-42");
      OSS local = client(vars.get("OSS_ENDPOINT"), "LTAIgivenLocalId", "given-local-secret-42");
      try {
        assertThat(local.listObjects("bkt").getObjectSummaries()).isEmpty();
      } finally {
        local.shutdown();
      }
    }
  }

  @Test
  void serveLocal_credentialsFileWithoutSecret_exits2NamingTheFileNotAValue(@TempDir Path tmp)
      throws Exception {
    Path creds = tmp.resolve("creds.env");
    Files.writeString(creds, "OSS_ACCESS_KEY_ID=only-an-id\n", StandardCharsets.UTF_8);
    Result r =
        CliRunner.inProcess(
            Map.of("OSS_ACCESS_KEY_SECRET", REAL_SECRET),
            "serve-local",
            "--dir",
            tmp.resolve("serve").toString(),
            "--credentials-file",
            creds.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--credentials-file").doesNotContain("only-an-id");
    assertThat(r.out() + r.err()).doesNotContain(REAL_SECRET);
  }
}
