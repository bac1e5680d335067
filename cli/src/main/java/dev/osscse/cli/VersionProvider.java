package dev.osscse.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar's implementation version, or "development". */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "oss-cse " + (v == null ? "0.1.0-SNAPSHOT" : v), "Java " + System.getProperty("java.version")
    };
  }
}
