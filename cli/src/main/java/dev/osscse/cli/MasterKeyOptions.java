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
}
