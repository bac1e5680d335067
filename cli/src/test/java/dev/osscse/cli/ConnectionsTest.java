package dev.osscse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionsTest {
  private static String endpoint(String value, boolean allowInsecure) {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    CliContext ctx =
        new CliContext(
            sink, sink, InputStream.nullInputStream(), Map.of("OSS_ENDPOINT", value), false);
    ConnectionOptions o = new ConnectionOptions();
    o.allowInsecureHttp = allowInsecure;
    try (Connections c = new Connections(ctx, o)) {
      return c.ossEndpoint();
    }
  }

  @Test
  void isLoopback_onlyNamesThisMachine() {
    for (String h :
        new String[] {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "[::1]", "::1"}) {
      assertThat(Connections.isLoopback(h)).as(h).isTrue();
    }
    for (String h :
        new String[] {
          "10.0.0.1",
          "128.0.0.1",
          "127.0.0.1.evil.com",
          "localhost.evil.com",
          "127.0.0.256",
          "oss-cn-hangzhou.aliyuncs.com",
          "[::2]",
          "127.0.0"
        }) {
      assertThat(Connections.isLoopback(h)).as(h).isFalse();
    }
  }

  @Test
  void endpointWithoutScheme_isHttps_unlessLoopback() {
    assertThat(endpoint("oss-cn-hangzhou.aliyuncs.com", false))
        .isEqualTo("https://oss-cn-hangzhou.aliyuncs.com");
    assertThat(endpoint("127.0.0.1:9000", false)).isEqualTo("http://127.0.0.1:9000");
    assertThat(endpoint("http://localhost:9000", false)).isEqualTo("http://localhost:9000");
    assertThat(endpoint("https://oss.example.com", false)).isEqualTo("https://oss.example.com");
  }

  @Test
  void plainHttpToALookalikeOfLoopback_isRefused_unlessAllowed() {
    assertThatThrownBy(() -> endpoint("http://127.0.0.1.evil.com", false))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--allow-insecure-http")
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
    assertThat(endpoint("http://127.0.0.1.evil.com", true)).isEqualTo("http://127.0.0.1.evil.com");
    assertThatThrownBy(() -> endpoint("ftp://oss.example.com", true))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("not an OSS endpoint URL");
  }
}
