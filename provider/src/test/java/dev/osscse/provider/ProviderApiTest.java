package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osscse.provider.testing.ApiDump;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The provider's public API (the exported package {@code dev.osscse.provider}) equals the committed
 * baseline {@code provider/api/provider.api}; see {@link ApiDump} for how to regenerate it.
 */
class ProviderApiTest {
  @Test
  void publicApi_matchesTheCommittedBaseline() throws IOException {
    ApiDump.assertMatchesBaseline("provider", OssCseProviders.class);
  }

  @Test
  void dump_coversTheExportedPackageOnly_andDiffNamesEachChange() throws IOException {
    Path classes = ApiDump.classesDirectory(OssCseProviders.class);
    String dump =
        ApiDump.dump(
            classes, ApiDump.exportedPackages(classes), OssCseProviders.class.getClassLoader());
    assertThat(dump)
        .contains("public final class dev.osscse.provider.OssCseProviders")
        .contains(
            "  public static dev.osscse.provider.OssCseProvider dev.osscse.provider.OssCseProviders.provider()")
        .doesNotContain(".internal.");
    String diff =
        ApiDump.diff(
            "public final class p.A\n  public void p.A.x()\n",
            "public final class p.A\n  public void p.A.y()\n");
    assertThat(diff)
        .contains("- public final class p.A ::public void p.A.x()")
        .contains("+ public final class p.A ::public void p.A.y()");
  }
}
