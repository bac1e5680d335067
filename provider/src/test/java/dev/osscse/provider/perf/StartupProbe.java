package dev.osscse.provider.perf;

import dev.osscse.provider.OssCseProvider;
import java.security.Provider;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Start-up probe, not a test: run once per fresh JVM; prints the microseconds from provider
 * creation through the first {@code AES/CTR/NoPadding} {@code getInstance} and {@code init}, and
 * each phase.
 *
 * <p>{@code java -cp provider/target/classes:provider/target/test-classes
 * dev.osscse.provider.perf.StartupProbe [OssCse|SunJCE]}
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) throws Exception {
    boolean sun = args.length > 0 && args[0].equals("SunJCE");
    SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
    IvParameterSpec iv = new IvParameterSpec(new byte[16]);
    long t0 = System.nanoTime();
    Provider p = sun ? Security.getProvider("SunJCE") : new OssCseProvider();
    long t1 = System.nanoTime();
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", p);
    long t2 = System.nanoTime();
    c.init(Cipher.ENCRYPT_MODE, key, iv);
    long t3 = System.nanoTime();
    System.out.printf(
        "total_us=%d new_us=%d getInstance_us=%d init_us=%d%n",
        (t3 - t0) / 1000, (t1 - t0) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000);
  }
}
