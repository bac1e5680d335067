package dev.osscse.oss;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.osscse.oss.aliyun.OssCseClient;
import org.junit.jupiter.api.Test;

/** Layering of the binding's packages (docs/architecture.md). */
class BindingArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.osscse.oss");

  @Test
  void importer_seesEveryPackageTheRulesCover() {
    // The rules below would pass vacuously over an empty import.
    assertThat(CLASSES.containPackage("dev.osscse.oss")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.oss.internal")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.oss.aliyun")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.oss.spi")).isTrue();
    assertThat(CLASSES.contain(ReadPipeline.class)).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.aliyun.kms")).isFalse();
    assertThat(CLASSES.contain(OssCseClient.class)).isTrue();
    assertThat(CLASSES.contain(EncryptedStore.class)).isTrue();
  }

  @Test
  void internal_doesNotDependOnThePublicPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.osscse.oss.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.osscse.oss")
        .check(CLASSES);
  }

  @Test
  void storageSpi_namesNoSdkAndNoApiType() {
    // The SPI is what a second SDK's adapter implements: JDK types, its own and internal helpers.
    classes()
        .that()
        .resideInAPackage("dev.osscse.oss.spi..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "javax.xml..",
            "org.w3c.dom..",
            "org.xml.sax..",
            "dev.osscse.oss.spi..",
            "dev.osscse.oss.internal..")
        .check(CLASSES);
  }

  @Test
  void binding_usesNoKmsOrCoreSdkAndNoProviderInternals() {
    noClasses()
        .that()
        .resideInAPackage("dev.osscse.oss..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.aliyuncs..", "dev.osscse.provider.internal..")
        .check(CLASSES);
  }

  @Test
  void onlyTheAdapter_importsTheOssSdk() {
    noClasses()
        .that()
        .resideInAPackage("dev.osscse.oss..")
        .and()
        .resideOutsideOfPackage("dev.osscse.oss.aliyun..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.aliyun..")
        .check(CLASSES);
  }

  @Test
  void core_doesNotDependOnTheAdapter() {
    // The core (API, SPI, internals) knows no adapter; the adapter package builds on the core.
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.osscse.oss.aliyun..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.osscse.oss.aliyun..")
        .check(CLASSES);
  }

  @Test
  void everyExceptionOfTheBinding_isInTheFamily() {
    classes()
        .that()
        .resideInAnyPackage("dev.osscse.oss", "dev.osscse.oss.aliyun")
        .and()
        .haveSimpleNameEndingWith("Exception")
        .should()
        .beAssignableTo(OssCseFailure.class)
        .check(CLASSES);
  }

  @Test
  void packages_areFreeOfCycles() {
    slices().matching("dev.osscse.oss.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
