package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osscse.cli.CliRunner.Result;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void execute_noCommand_printsUsageToStderrAndExits2() {
    Result r = CliRunner.inProcess(Map.of());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Usage: oss-cse").contains("serve-local").contains("demo");
  }

  @Test
  void execute_version_printsVersionAndExits0() {
    Result r = CliRunner.inProcess(Map.of(), "--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("oss-cse ");
  }

  @Test
  void execute_noEndpointConfigured_exits2NamingTheVariable() {
    Result r =
        CliRunner.inProcess(
            Map.of("OSS_ACCESS_KEY_ID", "id", "OSS_ACCESS_KEY_SECRET", "secret"),
            "inspect",
            "--bucket",
            "bkt",
            "--key",
            "k");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("OSS_ENDPOINT").contains("--endpoint").doesNotContain("secret");
  }

  @Test
  void serveLocal_badBucketName_exits2BeforeServing(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Result r =
        CliRunner.inProcess(Map.of(), "serve-local", "--dir", dir.toString(), "--bucket", "b");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--bucket").contains("3-63 characters");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void execute_keygenWithoutSubcommand_printsItsUsageAndExits2() {
    Result r = CliRunner.inProcess(Map.of(), "keygen");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("rsa").contains("kms");
  }
}
