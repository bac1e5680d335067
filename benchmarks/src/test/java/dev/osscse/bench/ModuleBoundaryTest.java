package dev.osscse.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure the libraries through their public API only: no class of this module uses
 * an internal package ({@code dev.osscse..internal..}) of the provider or the binding. The same
 * rule for the other modules is the command line's {@code ModuleBoundaryTest}.
 */
class ModuleBoundaryTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.osscse.bench");

  @Test
  void importer_seesTheBenchmarks() {
    assertThat(CLASSES.containPackage("dev.osscse.bench")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.bench.oss")).isTrue();
  }

  @Test
  void benchmarks_useNoInternalPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.osscse.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.osscse..internal..")
        .check(CLASSES);
  }
}
