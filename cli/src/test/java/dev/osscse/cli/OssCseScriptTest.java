package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code oss-cse} launcher at the repository root, run by {@code sh} in a copy of the layout it
 * expects, with stand-ins for {@code mvn} (which prints what Maven prints in batch mode) and {@code
 * java}: a first build shows its progress module by module instead of one line for minutes, and a
 * failed build shows Maven's errors.
 */
class OssCseScriptTest {
  private static final Path SCRIPT = Path.of("..", "oss-cse").toAbsolutePath().normalize();

  @TempDir Path root;

  record Run(int code, String out, String err) {}

  private Run launch(boolean failBuild) throws Exception {
    Files.copy(SCRIPT, root.resolve("oss-cse"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    for (String m : new String[] {"provider", "oss-binding", "local-oss", "local-kms", "cli"}) {
      Files.createDirectories(root.resolve(m).resolve("src/main/java"));
      Files.writeString(root.resolve(m).resolve("pom.xml"), "<project/>");
    }
    Path bin = Files.createDirectories(root.resolve("bin"));
    StringBuilder mvn = new StringBuilder("#!/bin/sh\n");
    mvn.append("echo '[INFO] Scanning for projects...'\n");
    mvn.append("i=0; while [ $i -lt 250 ]; do i=$((i+1));")
        .append(" echo \"[INFO] Downloaded from central: https://repo/x$i.jar (1 kB at 9 kB/s)\";")
        .append(" done\n");
    String[] modules = {
      "oss-cse", "oss-cse provider", "oss-cse OSS binding", "oss-cse command line"
    };
    for (int i = 0; i < modules.length; i++) {
      mvn.append("echo '[INFO] -----------------< dev.osscse:x >-----------------'\n")
          .append("echo '[INFO] Building ")
          .append(modules[i])
          .append(" 0.1.0-SNAPSHOT                              [")
          .append(i + 1)
          .append('/')
          .append(modules.length)
          .append("]'\n");
    }
    if (failBuild) {
      mvn.append("echo '[ERROR] COMPILATION ERROR : Foo.java:[3,1] boom'\n")
          .append("echo '[ERROR]     at org.apache.Whatever.run(Whatever.java:1)'\n")
          .append("exit 1\n");
    } else {
      mvn.append("mkdir -p cli/target && : > cli/target/oss-cse.jar\n");
    }
    executable(bin.resolve("mvn"), mvn.toString());
    executable(bin.resolve("java"), "#!/bin/sh\necho \"java ran: $*\"\n");
    ProcessBuilder pb = new ProcessBuilder("sh", root.resolve("oss-cse").toString(), "--version");
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("TMPDIR", Files.createDirectories(root.resolve("tmp")).toString());
    pb.environment().remove("OSS_CSE_JAVA_OPTS");
    pb.redirectError(root.resolve("err.txt").toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, Files.readString(root.resolve("err.txt")));
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void firstBuild_showsEachModuleAndTheDownloads_thenRunsTheJar() throws Exception {
    Run r = launch(false);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("java ran: -jar ")
        .endsWith("cli/target/oss-cse.jar --version\n");
    assertThat(r.err())
        .contains("oss-cse: building cli/target/oss-cse.jar")
        .contains("1 to 3 minutes")
        .containsPattern("oss-cse: \\[1/4\\] oss-cse 0.1.0-SNAPSHOT \\(\\d+ s so far\\)")
        .containsPattern(
            "oss-cse: \\[4/4\\] oss-cse command line 0.1.0-SNAPSHOT \\(\\d+ s so far\\)")
        .contains("oss-cse:   100 files downloaded by Maven so far")
        .contains("oss-cse:   200 files downloaded by Maven so far")
        .containsPattern("oss-cse: built in \\d+ s")
        .doesNotContain("Downloaded from central");
    try (var left = Files.list(root.resolve("tmp"))) {
      assertThat(left).as("build log removed").isEmpty();
    }
  }

  @Test
  void failedBuild_showsMavensErrors_andExits1() throws Exception {
    Run r = launch(true);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).doesNotContain("java ran");
    assertThat(r.err())
        .contains("[ERROR] COMPILATION ERROR : Foo.java:[3,1] boom")
        .doesNotContain("at org.apache.Whatever")
        .contains("oss-cse: the build failed (output above)");
  }
}
