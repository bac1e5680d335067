package dev.osscse.hadoop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The file system and the bulk jobs are built on the binding's public API only: no class of this
 * module uses an internal package ({@code dev.osscse..internal..}) of the provider or the binding.
 */
class ModuleBoundaryTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.osscse.hadoop");

  @Test
  void importer_seesTheModule() {
    assertThat(CLASSES.containPackage("dev.osscse.hadoop")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.hadoop.bulk")).isTrue();
  }

  @Test
  void hadoopModule_usesNoInternalPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.osscse.hadoop..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.osscse..internal..")
        .check(CLASSES);
  }
}
