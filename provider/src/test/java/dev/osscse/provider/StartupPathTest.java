package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provider creation and the first AES-CTR cipher link no lambda and no invokedynamic string
 * concatenation: in a fresh JVM the first of each costs milliseconds of bootstrap, and each lambda
 * spins a hidden class (docs/algorithms.md 1.2). The check reads the class files' constant pools
 * for the bootstrap classes.
 */
class StartupPathTest {
  private static final String LAMBDA_BOOTSTRAP = "java/lang/invoke/LambdaMetafactory";
  private static final String CONCAT_BOOTSTRAP = "java/lang/invoke/StringConcatFactory";

  /** Classes (and their nested classes) that provider creation and a first AES-CTR cipher load. */
  private static final List<String> STARTUP_PATH =
      List.of(
          "dev/osscse/provider/OssCseProvider",
          "dev/osscse/provider/OssCseProviders",
          "dev/osscse/provider/RsaKnownAnswers$Check",
          "dev/osscse/provider/AesCtrCipherSpi",
          "dev/osscse/provider/AesCtrSeekParametersSpi",
          "dev/osscse/provider/CtrParameterSpec",
          "dev/osscse/provider/internal/ctr/",
          "dev/osscse/provider/internal/selftest/");

  private static Path mainClasses;
  private static List<Path> classFiles;

  @BeforeAll
  static void findClassFiles() throws Exception {
    mainClasses =
        Path.of(OssCseProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(mainClasses)) {
      classFiles = files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList());
    }
    assertThat(classFiles).isNotEmpty();
  }

  private static String name(Path classFile) {
    String n = mainClasses.relativize(classFile).toString().replace('\\', '/');
    return n.substring(0, n.length() - ".class".length());
  }

  private static boolean onStartupPath(String name) {
    for (String p : STARTUP_PATH) {
      if (p.endsWith("/") ? name.startsWith(p) : name.equals(p) || name.startsWith(p + "$")) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentions(Path classFile, String bootstrap) throws IOException {
    return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
        .contains(bootstrap);
  }

  private static List<String> classesMentioning(String bootstrap, boolean startupPathOnly)
      throws IOException {
    List<String> found = new java.util.ArrayList<>();
    for (Path f : classFiles) {
      String n = name(f);
      if ((!startupPathOnly || onStartupPath(n)) && mentions(f, bootstrap)) {
        found.add(n);
      }
    }
    return found;
  }

  @Test
  void providerClasses_useNoIndyStringConcatenation() throws IOException {
    assertThat(classesMentioning(CONCAT_BOOTSTRAP, false)).isEmpty();
  }

  @Test
  void creationAndAesCtrPath_linkNoLambda() throws IOException {
    assertThat(
            classFiles.stream().map(StartupPathTest::name).filter(StartupPathTest::onStartupPath))
        .contains(
            "dev/osscse/provider/OssCseProvider",
            "dev/osscse/provider/internal/ctr/AesCtrEngine",
            "dev/osscse/provider/internal/selftest/SelfTests");
    assertThat(classesMentioning(LAMBDA_BOOTSTRAP, true)).isEmpty();
  }

  @Test
  void theCheck_findsTheLambdasOfClassesOffThePath() throws IOException {
    // The KMS data-key cache uses lambdas and is loaded only when a KMS cipher is used.
    assertThat(classesMentioning(LAMBDA_BOOTSTRAP, false))
        .contains("dev/osscse/provider/DataKeyCache");
  }
}
