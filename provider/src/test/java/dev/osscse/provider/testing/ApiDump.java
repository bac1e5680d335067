package dev.osscse.provider.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a module as text, one line per public or protected type and member, checked
 * against the committed baseline {@code <module>/api/<module>.api} so that the API does not change
 * silently.
 *
 * <p>The API is every public type (and its public and protected members) in the packages the module
 * exports: the unqualified {@code exports} of its {@code module-info}, or, for a module without
 * one, every package whose name has no {@code internal} segment. Types are read from the module's
 * compiled classes by reflection, without initialising them.
 *
 * <p>A mismatch fails with the lines removed ({@code -}) and added ({@code +}); after a deliberate
 * change, regenerate the baseline with {@code -Dapi.update=true} and commit it with the change.
 * Test-only; shared with other modules through the provider's test jar.
 */
public final class ApiDump {
  /** System property that rewrites the baseline instead of comparing. */
  public static final String UPDATE_PROPERTY = "api.update";

  private ApiDump() {}

  /**
   * Compares the API of the module holding {@code anchor} with its baseline, or rewrites the
   * baseline when {@value #UPDATE_PROPERTY} is {@code true}.
   *
   * @param module the module's directory name (also the baseline's file name)
   * @param anchor any class of the module's main code
   * @throws AssertionError naming the differences and how to regenerate
   */
  public static void assertMatchesBaseline(String module, Class<?> anchor) throws IOException {
    Path classes = classesDirectory(anchor);
    String actual = dump(classes, exportedPackages(classes), anchor.getClassLoader());
    Path baseDir = Path.of(System.getProperty("basedir", ""));
    Path baseline = baseDir.resolve("api").resolve(module + ".api");
    String regenerate =
        "regenerate with: mvn -B -pl "
            + module
            + " -am verify -Dtest='*ApiTest' -Dsurefire.failIfNoSpecifiedTests=false -D"
            + UPDATE_PROPERTY
            + "=true, and commit "
            + module
            + "/api/"
            + module
            + ".api with the change";
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(baseline.getParent());
      Files.writeString(baseline, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(baseline)) {
      throw new AssertionError(
          "no API baseline " + module + "/api/" + module + ".api; " + regenerate);
    }
    String expected = Files.readString(baseline, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      throw new AssertionError(
          "the public API of "
              + module
              + " differs from its baseline "
              + module
              + "/api/"
              + module
              + ".api:\n"
              + diff(expected, actual)
              + "If the change is intended, "
              + regenerate
              + ".");
    }
  }

  /** Lines of {@code expected} missing from {@code actual} ("-") and new in it ("+"). */
  public static String diff(String expected, String actual) {
    List<String> e = expected.lines().collect(Collectors.toList());
    List<String> a = actual.lines().collect(Collectors.toList());
    StringBuilder sb = new StringBuilder();
    // The dump is sorted within each type; a set difference per (type, line) pair is exact.
    Set<String> ek = keyed(e);
    Set<String> ak = keyed(a);
    for (String k : ek) {
      if (!ak.contains(k)) {
        sb.append("- ").append(k).append('\n');
      }
    }
    for (String k : ak) {
      if (!ek.contains(k)) {
        sb.append("+ ").append(k).append('\n');
      }
    }
    if (sb.length() == 0) {
      sb.append("(same lines, different order or blank lines)\n");
    }
    return sb.toString();
  }

  private static Set<String> keyed(List<String> lines) {
    Set<String> out = new LinkedHashSet<>();
    String type = "";
    for (String l : lines) {
      if (l.isBlank()) {
        continue;
      }
      if (!l.startsWith(" ")) {
        type = l;
        out.add(l);
      } else {
        out.add(type + " ::" + l.stripLeading());
      }
    }
    return out;
  }

  /** The directory (or jar) of compiled classes holding {@code anchor}. */
  public static Path classesDirectory(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The exported packages: from module-info.class, or every package without "internal". */
  public static Predicate<String> exportedPackages(Path classes) throws IOException {
    Path moduleInfo = classes.resolve("module-info.class");
    if (Files.exists(moduleInfo)) {
      try (InputStream in = Files.newInputStream(moduleInfo)) {
        Set<String> exported =
            ModuleDescriptor.read(in).exports().stream()
                .filter(x -> !x.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        return exported::contains;
      }
    }
    return p -> !List.of(p.split("\\.")).contains("internal");
  }

  /** The API text of the public types in {@code classes} whose package passes {@code exported}. */
  public static String dump(Path classes, Predicate<String> exported, ClassLoader loader)
      throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      files
          .filter(f -> f.toString().endsWith(".class"))
          .map(f -> classes.relativize(f).toString())
          .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .forEach(names::add);
    }
    TreeSet<String> sorted = new TreeSet<>(names);
    StringBuilder sb = new StringBuilder();
    for (String name : sorted) {
      int dot = name.lastIndexOf('.');
      String pkg = dot < 0 ? "" : name.substring(0, dot);
      if (!exported.test(pkg)) {
        continue;
      }
      Class<?> c;
      try {
        c = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("cannot load " + name, e);
      }
      if (!isApi(c)) {
        continue;
      }
      sb.append(header(c)).append('\n');
      for (String m : members(c)) {
        sb.append("  ").append(m).append('\n');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Public (or protected nested) types, not synthetic or anonymous, reachable from outside. */
  private static boolean isApi(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      int m = k.getModifiers();
      boolean visible =
          Modifier.isPublic(m) || (k.getDeclaringClass() != null && Modifier.isProtected(m));
      if (!visible || k.isSynthetic() || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static String header(Class<?> c) {
    StringBuilder sb = new StringBuilder(c.toGenericString());
    Type sup = c.getGenericSuperclass();
    if (sup != null && sup != Object.class && !c.isEnum() && !c.isRecord()) {
      sb.append(" extends ").append(sup.getTypeName());
    }
    Type[] interfaces = c.getGenericInterfaces();
    if (interfaces.length > 0) {
      sb.append(c.isInterface() ? " extends " : " implements ");
      List<String> names = new ArrayList<>();
      for (Type t : interfaces) {
        names.add(t.getTypeName());
      }
      sb.append(String.join(", ", names));
    }
    return sb.toString();
  }

  private static Set<String> members(Class<?> c) {
    TreeSet<String> out = new TreeSet<>();
    for (Field f : c.getDeclaredFields()) {
      if (visible(f)) {
        out.add(f.toGenericString());
      }
    }
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (visible(k)) {
        out.add(k.toGenericString());
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (visible(m) && !m.isBridge()) {
        out.add(m.toGenericString());
      }
    }
    return out;
  }

  private static boolean visible(Member m) {
    int mod = m.getModifiers();
    return !m.isSynthetic() && (Modifier.isPublic(mod) || Modifier.isProtected(mod));
  }
}
