package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osscse.cli.CliRunner.Result;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  @Test
  void demo_smallRun_passesEveryCheckAndExits0() {
    Result r = CliRunner.inProcess(Map.of(), "demo", "--size", "2M", "--ranges", "8");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("put (multipart, RSA)")
        .contains("official OSSEncryptionClient reads demo/multipart.bin")
        .contains("rewrap demo/single.bin to the KMS key")
        .contains("wrap-alg:         KMS/ALICLOUD")
        .contains(", 0 failed,")
        .doesNotContain("FAIL ");
  }
}
