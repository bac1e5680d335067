package dev.osscse.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration table and the four ways the provider gets installed. */
class OssCseProviderTest {

  @AfterEach
  void uninstall() {
    Security.removeProvider(OssCseProvider.NAME);
  }

  @Test
  void table_registersCtrServicesWithAttributes() {
    OssCseProvider p = new OssCseProvider();
    assertThat(p.getName()).isEqualTo("OssCse");
    for (String name :
        List.of(
            "AES/CTR/NoPadding",
            "AES_128/CTR/NoPadding",
            "AES_192/CTR/NoPadding",
            "AES_256/CTR/NoPadding")) {
      Provider.Service s = p.getService("Cipher", name);
      assertThat(s).as(name).isNotNull();
      assertThat(s.getAttribute("SupportedKeyFormats")).isEqualTo("RAW");
    }
    assertThat(p.getService("AlgorithmParameters", "AES-CTR-Seek")).isNotNull();
  }

  @Test
  void ctrCipher_usesTheProviderInstanceThatMadeIt_notTheSharedOne() throws Exception {
    OssCseProvider own = new OssCseProvider();
    assertThat(own).isNotSameAs(OssCseProviders.provider());
    for (String name : List.of("AES/CTR/NoPadding", "AES_256/CTR/NoPadding")) {
      Cipher c = Cipher.getInstance(name, own);
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(new byte[32], "AES"),
          new CtrParameterSpec(new byte[16], 1_000_003L));
      // The seek parameters come from the owning instance, not from the shared singleton.
      assertThat(c.getParameters().getProvider()).as(name).isSameAs(own);
      assertThat(c.getParameters().getParameterSpec(CtrParameterSpec.class).getByteOffset())
          .isEqualTo(1_000_003L);
    }
  }

  @Test
  void table_registeringAKeyTwice_throws() {
    OssCseProvider p = new OssCseProvider();
    assertThatThrownBy(
            () -> p.service("cipher", "aes/ctr/nopadding", () -> null, List.of(), new String[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("duplicate service registration: cipher.aes/ctr/nopadding");
  }

  @Test
  void install_isIdempotentAndWorksByName() throws Exception {
    Provider first = OssCseProviders.install();
    Provider second = OssCseProviders.install();
    assertThat(second).isSameAs(first).isSameAs(OssCseProviders.provider());
    long count =
        Arrays.stream(Security.getProviders()).filter(p -> p.getName().equals("OssCse")).count();
    assertThat(count).isEqualTo(1);
    assertThat(roundTrip(Cipher.getInstance("AES/CTR/NoPadding", "OssCse"))).isTrue();
  }

  @Test
  void insertProviderAt_firstPosition_isChosenWithoutAProviderName() throws Exception {
    assertThat(Security.insertProviderAt(new OssCseProvider(), 1)).isEqualTo(1);
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
    assertThat(roundTrip(c)).isTrue();
    assertThat(c.getProvider().getName()).isEqualTo("OssCse");
    assertThat(Cipher.getInstance("AES_256/CTR/NoPadding").getProvider().getName())
        .isEqualTo("OssCse");
  }

  @Test
  void serviceLoader_findsTheProvider() throws Exception {
    // Under JPMS the test code runs inside the provider module, which does not itself declare
    // "uses java.security.Provider"; add it at run time (a no-op on the class path).
    getClass().getModule().addUses(Provider.class);
    List<Provider> found =
        ServiceLoader.load(Provider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.getName().equals("OssCse"))
            .collect(Collectors.toList());
    assertThat(found).hasSize(1);
    assertThat(roundTrip(Cipher.getInstance("AES/CTR/NoPadding", found.get(0)))).isTrue();
  }

  @Test
  void javaSecurityFile_classPath_loadsProviderByClassName(@TempDir Path dir) throws Exception {
    Path props = dir.resolve("java.security");
    Files.writeString(props, "security.provider.13=dev.osscse.provider.OssCseProvider\n");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.add("-Djava.security.properties=" + props);
    cmd.add("-cp");
    cmd.add(allPathEntries());
    cmd.add(writeChild(dir).toString());
    assertThat(runChild(cmd)).contains("OK OssCse");
  }

  @Test
  void javaSecurityFile_modulePath_loadsProviderByName(@TempDir Path dir) throws Exception {
    String modulePath = System.getProperty("jdk.module.path");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        modulePath != null && !modulePath.isEmpty(),
        "tests are not running on the module path; the class-path form is tested instead");
    Path props = dir.resolve("java.security");
    Files.writeString(props, "security.provider.13=OssCse\n");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin());
    cmd.add("-Djava.security.properties=" + props);
    cmd.add("--module-path");
    cmd.add(mainModulePath(modulePath));
    cmd.add("--add-modules");
    cmd.add("dev.osscse.provider");
    cmd.add(writeChild(dir).toString());
    assertThat(runChild(cmd)).contains("OK OssCse");
  }

  private static boolean roundTrip(Cipher c) throws Exception {
    SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
    c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(new byte[16]));
    byte[] ct = c.doFinal(new byte[33]);
    c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(new byte[16]));
    return Arrays.equals(c.doFinal(ct), new byte[33]);
  }

  /** A single-file program run by the child JVM's source launcher. */
  private static Path writeChild(Path dir) throws IOException {
    Path src = dir.resolve("InstallCheck.java");
    Files.writeString(
        src,
        String.join(
            "\n",
            "import javax.crypto.Cipher;",
            "import javax.crypto.spec.*;",
            "public class InstallCheck {",
            "  public static void main(String[] a) throws Exception {",
            "    java.security.Provider p = java.security.Security.getProvider(\"OssCse\");",
            "    if (p == null) { System.out.println(\"MISSING\"); System.exit(2); }",
            "    Cipher c = Cipher.getInstance(\"AES/CTR/NoPadding\", \"OssCse\");",
            "    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], \"AES\"),",
            "        new IvParameterSpec(new byte[16]));",
            "    System.out.println(\"OK \" + c.getProvider().getName() + \" \" + c.doFinal(new"
                + " byte[3]).length);",
            "  }",
            "}",
            ""),
        StandardCharsets.UTF_8);
    return src;
  }

  private static String runChild(List<String> cmd) throws Exception {
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!proc.waitFor(60, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      throw new AssertionError("child JVM did not finish: " + cmd);
    }
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(proc.exitValue()).as(out).isZero();
    return out;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String allPathEntries() {
    List<String> entries = new ArrayList<>();
    for (String prop : List.of("jdk.module.path", "java.class.path")) {
      String v = System.getProperty(prop);
      if (v != null && !v.isEmpty()) {
        entries.addAll(Arrays.asList(v.split(File.pathSeparator)));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The module path minus anything that is not a module the provider needs. */
  private static String mainModulePath(String modulePath) {
    return Arrays.stream(modulePath.split(File.pathSeparator))
        .filter(e -> e.contains("classes") || e.contains("bcprov") || e.contains("error_prone"))
        .filter(e -> !e.contains("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
