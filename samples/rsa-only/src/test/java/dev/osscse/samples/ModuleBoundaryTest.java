package dev.osscse.samples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The sample shows the binding through its public API only: no class of this module uses an
 * internal package ({@code dev.osscse..internal..}) of the provider or the binding. The same rule
 * for the other modules is the command line's {@code ModuleBoundaryTest}.
 */
class ModuleBoundaryTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.osscse.samples");

  @Test
  void importer_seesTheSample() {
    assertThat(CLASSES.contain(RsaOnlyExample.class)).isTrue();
  }

  @Test
  void sample_usesNoInternalPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.osscse.samples..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.osscse..internal..")
        .check(CLASSES);
  }
}
