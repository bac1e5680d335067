package dev.osscse.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No module uses an internal package ({@code dev.osscse..internal..}) of another module. The
 * command line's class path holds the main classes of every library module (provider, oss-binding,
 * kms-aliyun, local-oss, local-kms) beside its own, so this one rule covers them all; a class's
 * module is the jar or classes directory it was loaded from. The benchmarks and samples modules,
 * which come later in the build, have the same rule in their own tests.
 */
class ModuleBoundaryTest {
  /** Main classes only: no test-classes directories and no test jars. */
  private static final ImportOption MAIN_ONLY =
      location ->
          ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
              && !location.contains("-tests.jar");

  private static final JavaClasses CLASSES =
      new ClassFileImporter().withImportOption(MAIN_ONLY).importPackages("dev.osscse");

  static String moduleOf(JavaClass c) {
    Optional<URI> uri = c.getSource().map(s -> s.getUri());
    if (uri.isEmpty()) {
      return "?";
    }
    String u = uri.get().toString();
    // jar:file:/.../x.jar!/dev/... or file:/.../target/classes/dev/...
    int bang = u.indexOf("!/");
    if (bang >= 0) {
      return u.substring(0, bang);
    }
    int pkg = u.indexOf("/dev/osscse/");
    return pkg >= 0 ? u.substring(0, pkg) : u;
  }

  static boolean isInternal(JavaClass c) {
    return c.getPackageName().startsWith("dev.osscse.")
        && Set.of(c.getPackageName().split("\\.")).contains("internal");
  }

  static final ArchCondition<JavaClass> NOT_USE_ANOTHER_MODULES_INTERNALS =
      new ArchCondition<>("not use an internal package of another module") {
        @Override
        public void check(JavaClass origin, ConditionEvents events) {
          for (Dependency d : origin.getDirectDependenciesFromSelf()) {
            // An array type has no location of its own: judge its element type.
            JavaClass target = d.getTargetClass().getBaseComponentType();
            if (isInternal(target) && !moduleOf(target).equals(moduleOf(origin))) {
              events.add(SimpleConditionEvent.violated(d, d.getDescription()));
            }
          }
        }
      };

  @Test
  void importer_seesEveryLibraryModule_andItsInternalPackages() {
    Set<String> modules =
        CLASSES.stream().map(ModuleBoundaryTest::moduleOf).collect(Collectors.toSet());
    // cli, provider, oss-binding, kms-aliyun, local-oss, local-kms: the rule below would pass
    // vacuously over a partial import.
    assertThat(modules).hasSizeGreaterThanOrEqualTo(6);
    assertThat(CLASSES.containPackage("dev.osscse.aliyun.kms")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.provider.internal.ctr")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.oss.internal")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.local.oss")).isTrue();
    assertThat(CLASSES.containPackage("dev.osscse.local.kms")).isTrue();
    assertThat(CLASSES.contain(Main.class)).isTrue();
    assertThat(CLASSES.stream().map(c -> c.getSource().map(s -> s.getUri().toString()).orElse("")))
        .noneMatch(u -> u.contains("test-classes") || u.contains("-tests.jar"));
  }

  @Test
  void noModule_usesAnInternalPackageOfAnother() {
    classes().should(NOT_USE_ANOTHER_MODULES_INTERNALS).check(CLASSES);
  }

  @Test
  void rule_flagsACrossModuleInternalUse() {
    // The condition over a class of this test's own location that uses the binding's internals.
    JavaClasses planted =
        new ClassFileImporter()
            .importClasses(PlantedInternalUse.class, dev.osscse.oss.internal.ContentRange.class);
    assertThat(
            classes()
                .that()
                .haveFullyQualifiedName(PlantedInternalUse.class.getName())
                .should(NOT_USE_ANOTHER_MODULES_INTERNALS)
                .evaluate(planted)
                .hasViolation())
        .isTrue();
  }

  /** Test-only class (never imported by the main rule) that uses an internal package. */
  static final class PlantedInternalUse {
    dev.osscse.oss.internal.ContentRange range;
  }
}
