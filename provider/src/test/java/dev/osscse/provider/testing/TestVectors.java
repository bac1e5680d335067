package dev.osscse.provider.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's {@code test-vectors/} folder: objects written by the official OSS SDKs and the
 * Wycheproof files (see {@code test-vectors/README.md} for provenance and licenses).
 *
 * <p>The folder is part of every clone, so a missing folder fails the test, never skips it. Maven
 * passes its location as the system property {@value #PROPERTY} (root {@code pom.xml}); without the
 * property (a test started from an IDE) the folder is looked up from the working directory upwards.
 */
public final class TestVectors {
  /** System property naming the {@code test-vectors} folder. */
  public static final String PROPERTY = "osscse.vectors.dir";

  private static final String FOLDER = "test-vectors";

  private TestVectors() {}

  /** Returns {@code test-vectors/<sub>}; throws {@link AssertionError} if it is not a folder. */
  public static Path dir(String sub) {
    Path p = root().resolve(sub);
    if (!Files.isDirectory(p)) {
      throw new AssertionError(
          "test vector folder " + p + " is missing; it is part of the repository (" + FOLDER + ")");
    }
    return p;
  }

  private static Path root() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isEmpty()) {
      return Path.of(property);
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve(FOLDER);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        "system property "
            + PROPERTY
            + " is not set and no "
            + FOLDER
            + " folder was found above "
            + Path.of("").toAbsolutePath());
  }
}
