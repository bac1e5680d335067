package dev.osscse.oss.v2;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The V2 module's main code speaks to the binding only through its exported packages ({@code
 * dev.osscse.oss}, the storage SPI {@code dev.osscse.oss.spi}) and never touches the V1 SDK ({@code
 * com.aliyun.oss}): a V2 user's code path does not load {@code aliyun-sdk-oss} classes.
 */
class OssV2ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.osscse.oss.v2");

  private static final ArchRule NO_V1_SDK_NO_INTERNALS =
      noClasses()
          .that()
          .resideInAPackage("dev.osscse.oss.v2..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "com.aliyun.oss..", "dev.osscse..internal..", "dev.osscse.oss.aliyun..");

  @Test
  void mainCode_usesNoV1SdkNoInternalAndNoAliyunAdapterPackage() {
    assertThat(MAIN.contain(OssCseV2Client.class)).isTrue();
    assertThat(MAIN.contain(OssV2ObjectStore.class)).isTrue();
    NO_V1_SDK_NO_INTERNALS.check(MAIN);
  }

  @Test
  void rule_flagsAPlantedV1SdkUse() {
    JavaClasses planted = new ClassFileImporter().importClasses(PlantedV1Use.class);
    assertThat(NO_V1_SDK_NO_INTERNALS.evaluate(planted).hasViolation()).isTrue();
  }

  /** Test-only class (never in the main import) that uses the V1 SDK. */
  static final class PlantedV1Use {
    com.aliyun.oss.OSS client;
  }
}
