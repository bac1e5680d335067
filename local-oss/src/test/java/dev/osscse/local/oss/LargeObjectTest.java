package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A 200 MiB object through the real SDK, server and client in one forked JVM with -Xmx64m: proof
 * that bodies are streamed, not buffered.
 */
class LargeObjectTest {
  static final long SIZE = 200L * 1024 * 1024;

  @Test
  void putGet_200MiB_underSmallHeap_streams() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx64m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LargeObjectProbe.class.getName(),
                    Long.toString(SIZE)))
            .redirectErrorStream(true)
            .start();
    String out;
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new IOException("probe did not finish in 120 s");
      }
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
    String last =
        out.lines().filter(l -> l.startsWith("OK") || l.startsWith("FAIL")).findFirst().orElse(out);
    System.out.println("large object probe: " + last);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(last).as(out).startsWith("OK size=" + SIZE + " read=" + SIZE + " mismatch=-1");
  }
}
