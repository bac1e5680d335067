package dev.osscse.cli;

import dev.osscse.oss.MasterKey;
import dev.osscse.provider.KmsKeyReference;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Exactly one master key for writing: {@code --rsa-public PEM} or {@code --kms-key-id ID}. */
final class MasterKeyOptions {
  @Option(
      names = "--rsa-public",
      paramLabel = "PEM",
      required = true,
      description = "RSA public key file (X.509 or PKCS#1 PEM) to wrap the content key with.")
  Path rsaPublic;

  @Option(
      names = "--kms-key-id",
      paramLabel = "ID",
      required = true,
      description = "KMS master key id, alias or ARN to wrap the content key with.")
  String kmsKeyId;

  /** Builds the master key (reading the PEM or binding the KMS key to the connection's KMS). */
  MasterKey masterKey(Connections c, Map<String, String> matDesc) {
    if (rsaPublic != null) {
      return MasterKey.rsa(Keys.readPublic(rsaPublic, "--rsa-public"), null, matDesc);
    }
    return MasterKey.kms(KmsKeyReference.of(c.kms(), kmsKeyId), matDesc);
  }

  /** A short description for notes, e.g. {@code RSA key rsa.pub.pem}. */
  String describe() {
    return rsaPublic != null ? "RSA public key " + rsaPublic : "KMS key " + kmsKeyId;
  }

  /**
   * The options that give {@code uploads resume} the key to unwrap what this key wrapped: the
   * private half of the RSA pair ({@code X-private.pem} next to an {@code X-public.pem} as {@code
   * keygen rsa} names them, else a placeholder), or the same KMS key.
   */
  String resumeOptions() {
    if (rsaPublic != null) {
      String name = rsaPublic.getFileName().toString();
      String priv =
          name.endsWith("-public.pem")
              ? rsaPublic
                  .resolveSibling(
                      name.substring(0, name.length() - "-public.pem".length()) + "-private.pem")
                  .toString()
              : "PRIVATE-KEY.pem";
      return "--rsa-private " + UploadsCommand.Shell.quote(priv);
    }
    return "--kms-key-id " + UploadsCommand.Shell.quote(kmsKeyId);
  }
}
