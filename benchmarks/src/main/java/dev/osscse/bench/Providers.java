package dev.osscse.bench;

import dev.osscse.provider.OssCseProviders;
import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Resolves the provider names used as {@code @Param} values to {@link Provider} instances.
 *
 * <p>No provider is registered globally: {@code OssCse} (the shared {@link
 * OssCseProviders#provider()} instance) and {@code BC} (a fresh instance) are handed to {@code
 * getInstance(String, Provider)}; {@code SunJCE} is the JDK's installed instance.
 */
public final class Providers {
  /** The provider under test. */
  public static final String OSS_CSE = "OssCse";

  /** The JDK baseline. */
  public static final String SUN_JCE = "SunJCE";

  /** The Bouncy Castle baseline. */
  public static final String BC = "BC";

  private Providers() {}

  /**
   * Returns the provider for a benchmark parameter value.
   *
   * @param name {@code OssCse}, {@code SunJCE} or {@code BC}
   * @throws IllegalArgumentException if the name is unknown or the provider cannot be loaded
   */
  public static Provider named(String name) {
    return switch (name) {
      case OSS_CSE -> OssCseProviders.provider();
      case SUN_JCE -> {
        Provider sun = Security.getProvider(SUN_JCE);
        if (sun == null) {
          throw new IllegalArgumentException("provider SunJCE is not installed in this JDK");
        }
        yield sun;
      }
      case BC -> new BouncyCastleProvider();
      default ->
          throw new IllegalArgumentException(
              "provider must be one of OssCse, SunJCE, BC, got " + name);
    };
  }

  /** Returns the RSA PKCS#1 v1.5 transformation each provider names. */
  public static String rsaPkcs1Transformation(String name) {
    return SUN_JCE.equals(name) ? "RSA/ECB/PKCS1Padding" : "RSA/NONE/PKCS1Padding";
  }
}
