package dev.osscse.hadoop.bulk;

import dev.osscse.hadoop.OssCseFsSettings;
import dev.osscse.keys.PemKeys;
import dev.osscse.oss.MasterKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The {@code fs.osscse.rewrap.*} and {@code fs.osscse.encrypt.*} keys of the bulk jobs. */
public final class BulkSettings {
  private static final String P = OssCseFsSettings.PREFIX;

  /** Local PEM file of the new RSA public key (rewrap target). */
  public static final String NEW_RSA_PUBLIC_KEY_FILE = P + "rewrap.new.rsa.public.key.file";

  /**
   * Local PEM file of the new RSA private key: optional; with it the job recognises objects already
   * under the new key and skips them without writing.
   */
  public static final String NEW_RSA_PRIVATE_KEY_FILE = P + "rewrap.new.rsa.private.key.file";

  /** New KMS key id (rewrap target when no new RSA public key is set). */
  public static final String NEW_KMS_KEY_ID = P + "rewrap.new.kms.key.id";

  /** Material description of the new key, {@code k=v,k2=v2}. */
  public static final String NEW_MATDESC = P + "rewrap.new.matdesc";

  /** Objects above this size are rewrapped by a multipart re-upload (default 64 MiB). */
  public static final String REWRAP_MULTIPART_THRESHOLD = P + "rewrap.multipart.threshold";

  /**
   * Where in-place encryption stages ciphertext before the swap (default {@code .osscse-staging/}).
   */
  public static final String STAGING_PREFIX = P + "encrypt.staging.prefix";

  private BulkSettings() {}

  static Map<String, String> parseDesc(String value) {
    Map<String, String> desc = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return desc;
    }
    for (String pair : value.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(NEW_MATDESC + " entries must be key=value");
      }
      desc.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return desc;
  }

  /** The new master key of a rewrap (public, and private when its file is set). */
  static MasterKey newRsaKey(Configuration conf) throws IOException, GeneralSecurityException {
    String pub = conf.getTrimmed(NEW_RSA_PUBLIC_KEY_FILE);
    if (pub == null || pub.isEmpty()) {
      return null;
    }
    RSAPublicKey publicKey = PemKeys.readPublicKey(Path.of(pub));
    String priv = conf.getTrimmed(NEW_RSA_PRIVATE_KEY_FILE);
    RSAPrivateKey privateKey =
        priv == null || priv.isEmpty() ? null : PemKeys.readPrivateKey(Path.of(priv));
    if (privateKey != null && !privateKey.getModulus().equals(publicKey.getModulus())) {
      throw new IllegalArgumentException(
          NEW_RSA_PRIVATE_KEY_FILE + " does not belong to " + NEW_RSA_PUBLIC_KEY_FILE);
    }
    return MasterKey.rsa(publicKey, privateKey, parseDesc(conf.get(NEW_MATDESC)));
  }
}
