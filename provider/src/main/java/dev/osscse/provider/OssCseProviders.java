package dev.osscse.provider;

import java.security.Provider;
import java.security.Security;

/**
 * Entry points for obtaining and installing the {@link OssCseProvider}.
 *
 * <p><b>What it is.</b> A holder of one shared provider instance, the JPMS service factory ({@code
 * provides java.security.Provider with dev.osscse.provider.OssCseProviders}, which {@link
 * java.util.ServiceLoader} calls through {@link #provider()}), and the health checks.
 *
 * <p><b>Security guarantees.</b> {@link #install()} only ever adds the shared instance, once.
 * {@link #assertHealthy()} lets an application fail at startup rather than at first use (it runs
 * every self-test; otherwise each runs at the first use of its service).
 *
 * <p><b>Restrictions / failure behaviour.</b> If a self-test fails, the provider stays installed
 * but hands out none of the services that test gates; {@link #getLoadingError()} says why.
 *
 * <pre>{@code
 * OssCseProviders.install();
 * OssCseProviders.assertHealthy();
 * Cipher c = Cipher.getInstance("AES/CTR/NoPadding", OssCseProvider.NAME);
 * }</pre>
 */
public final class OssCseProviders {
  private OssCseProviders() {}

  private static final class Holder {
    static final OssCseProvider INSTANCE = new OssCseProvider();
  }

  /** Returns the shared provider instance; also the {@link java.util.ServiceLoader} factory. */
  public static OssCseProvider provider() {
    return Holder.INSTANCE;
  }

  /**
   * Adds the shared provider at the lowest priority with {@link Security#addProvider} unless a
   * provider named {@value OssCseProvider#NAME} is already installed. Idempotent and thread-safe.
   *
   * @return the installed provider named {@value OssCseProvider#NAME} (the shared instance, or the
   *     one installed earlier by other means)
   */
  public static synchronized Provider install() {
    Provider existing = Security.getProvider(OssCseProvider.NAME);
    if (existing != null) {
      return existing;
    }
    Security.addProvider(provider());
    return provider();
  }

  /**
   * Runs the shared provider's self-tests if needed and throws if they failed.
   *
   * @throws IllegalStateException if a self-test failed; the cause is the failure
   */
  public static void assertHealthy() {
    provider().assertHealthy();
  }

  /** Runs the self-tests if needed and returns their outcome. */
  public static OssCseProvider.SelfTestStatus selfTestStatus() {
    return provider().runSelfTests();
  }

  /**
   * Returns why the shared provider is unusable, or {@code null} if it is healthy. Runs the
   * self-tests first if they have not run.
   */
  public static Throwable getLoadingError() {
    provider().runSelfTests();
    return provider().getLoadingError();
  }
}
