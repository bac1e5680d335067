package dev.osscse.provider;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.Slices;
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
    // The rule can fail: the SPI shells (in the API package) extend CipherSpi.
    assertThatThrownBy(() -> pureCore("dev.osscse.provider").check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("CipherSpi");
  }

  /**
   * One slice per package of the provider, the root package ({@code dev.osscse.provider}: API,
   * provider class and SPI shells) included, and one per top-level internal package.
   */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String p = c.getPackageName();
          if (p.equals("dev.osscse.provider")) {
            return SliceIdentifier.of("dev.osscse.provider");
          }
          String internal = "dev.osscse.provider.internal.";
          if (p.startsWith(internal)) {
            return SliceIdentifier.of(internal + p.substring(internal.length()).split("\\.")[0]);
          }
          return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the provider's packages, root package included";
        }
      };

  @Test
  void packages_rootIncluded_areFreeOfCycles() {
    Set<String> sliced =
        Slices.assignedFrom(PACKAGES).transform(classes).stream()
            .map(slice -> slice.getNamePart(1))
            .collect(Collectors.toSet());
    // The rule below is not vacuous: the root package and the internal packages are all sliced.
    assertThat(sliced)
        .contains(
            "dev.osscse.provider",
            "dev.osscse.provider.internal.ctr",
            "dev.osscse.provider.internal.wrap",
            "dev.osscse.provider.internal.selftest");
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(classes);
  }

  @Test
  void internalPackages_doNotDependOnTheRootPackage() {
    // The root package (API, provider, SPI shells) builds on the internal engines, never back.
    noClasses()
        .that()
        .resideInAPackage("dev.osscse.provider.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.osscse.provider")
        .check(classes);
  }

  @Test
  void provider_dependsOnTheJdkAlone() throws Exception {
    noClasses()
        .that()
        .resideInAPackage("dev.osscse.provider..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages(
            "java..", "javax..", "dev.osscse.provider..", "com.google.errorprone.annotations..")
        .because("the JCA provider depends on the JDK alone (PEM keys live in dev.osscse.keys)")
        .check(classes);
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(mainClasses.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(
            d.requires().stream()
                .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name))
        .containsExactly("java.base");
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
