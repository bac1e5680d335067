package dev.osscse.provider.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipReasonPrinterTest {
  /** Run only through the launcher below (a static nested class is not run by its outer class). */
  static class Sample {
    @Test
    void aborts() {
      Assumptions.abort("needs a live endpoint");
    }

    @Test
    @Disabled("off on purpose")
    void disabled() {}

    @Test
    void passes() {}
  }

  @Test
  void abortedAndDisabledTests_printTheirReasons_passingTestsDoNot() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Launcher launcher =
        LauncherFactory.create(
            LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      launcher.execute(
          LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Sample.class)).build(),
          new SkipReasonPrinter(out));
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    String sample = Sample.class.getName();
    assertThat(printed)
        .contains("SKIPPED " + sample + ".aborts [aborts()]: needs a live endpoint")
        .contains("SKIPPED " + sample + ".disabled [disabled()]: off on purpose")
        .doesNotContain("passes");
  }
}
