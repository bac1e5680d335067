package dev.osscse.provider;

import dev.osscse.provider.internal.selftest.SelfTest;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Self-test cost probe, not a test: run once per fresh JVM, with and without the known answers, and
 * compare medians. Prints the microseconds from provider creation through the first use of one
 * service: {@code aes} (getInstance, init, 64-byte update) or {@code rsa} (getInstance, init and
 * one PKCS#1 v1.5 unwrap of a key wrapped beforehand).
 *
 * <p>{@code java -cp provider/target/classes:provider/target/test-classes
 * dev.osscse.provider.SelfTestCostProbe aes|rsa kat|nokat}
 */
public final class SelfTestCostProbe {
  private SelfTestCostProbe() {}

  public static void main(String[] args) throws Exception {
    boolean rsa = args[0].equals("rsa");
    boolean kat = args[1].equals("kat");
    byte[] wrapped = null;
    KeyPair pair = null;
    if (rsa) {
      // Untimed: a key pair and a wrapped key made with SunJCE before the provider exists.
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      pair = g.generateKeyPair();
      Cipher w = Cipher.getInstance("RSA/ECB/PKCS1Padding", "SunJCE");
      w.init(Cipher.WRAP_MODE, pair.getPublic());
      wrapped = w.wrap(new SecretKeySpec(new byte[32], "AES"));
    }
    List<SelfTest> none = List.of();
    long t0 = System.nanoTime();
    OssCseProvider p = kat ? new OssCseProvider() : new OssCseProvider(none, none, none, none);
    if (rsa) {
      Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding", p);
      c.init(Cipher.UNWRAP_MODE, pair.getPrivate());
      c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    } else {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding", p);
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(new byte[16], "AES"),
          new IvParameterSpec(new byte[16]));
      c.update(new byte[64]);
    }
    long t1 = System.nanoTime();
    System.out.printf("%s %s first_use_us=%d%n", args[0], args[1], (t1 - t0) / 1000);
  }
}
