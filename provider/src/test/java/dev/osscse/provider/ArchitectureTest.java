package dev.osscse.provider;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.CipherSpi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Layering rules of the provider module: API, SPIs, engines, no package cycles. */
class ArchitectureTest {
  private static Path mainClasses;
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() throws Exception {
    mainClasses =
        Path.of(OssCseProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    classes = new ClassFileImporter().importPath(mainClasses);
    assertThat(classes.contain(OssCseProvider.class)).isTrue();
  }

  private static ArchRule pureCore(String packagePattern) {
    return noClasses()
        .that()
        .resideInAPackage(packagePattern)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.io..", "java.nio.channels..")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(CipherSpi.class)
        .because("the CTR core is pure: counter arithmetic, seek and keystream XOR only");
  }

  @Test
  void ctrCore_knowsNoJcaSpiNoStreamsNoChannels() {
    pureCore("dev.osscse.provider.internal.ctr..").check(classes);
  }

  @Test
  void pureCoreRule_appliedToTheSpiShells_fails() {
    // The rule can fail: the SPI package extends CipherSpi and uses java.io.
    assertThatThrownBy(() -> pureCore("dev.osscse.provider.internal.spi..").check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("CipherSpi");
  }

  @Test
  void internalPackages_areFreeOfCycles() {
    slices()
        .matching("dev.osscse.provider.internal.(*)..")
        .should()
        .beFreeOfCycles()
        .check(classes);
  }

  @Test
  void moduleInfo_exportsOnlyTheApiPackageAndOpensNothing() throws Exception {
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(mainClasses.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("dev.osscse.provider");
    Set<String> exports =
        d.exports().stream()
            .peek(e -> assertThat(e.isQualified()).as(e.source()).isFalse())
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet());
    assertThat(exports).containsExactly("dev.osscse.provider");
    assertThat(d.opens()).isEmpty();
    assertThat(d.isOpen()).isFalse();
    assertThat(d.provides())
        .anySatisfy(
            p -> {
              assertThat(p.service()).isEqualTo("java.security.Provider");
              assertThat(p.providers()).containsExactly("dev.osscse.provider.OssCseProviders");
            });
  }

  @Test
  void classPathServiceFile_namesTheProviderClass() throws Exception {
    Path f = mainClasses.resolve("META-INF/services/java.security.Provider");
    assertThat(Files.readAllLines(f)).contains(OssCseProvider.class.getName());
  }
}
