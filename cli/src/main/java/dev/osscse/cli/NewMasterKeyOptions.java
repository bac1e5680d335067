package dev.osscse.cli;

import dev.osscse.oss.MasterKey;
import dev.osscse.provider.KmsKeyReference;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The new master key of {@code rewrap}: {@code --new-rsa-public} or {@code --new-kms-key-id}. */
final class NewMasterKeyOptions {
  @Option(
      names = "--new-rsa-public",
      paramLabel = "PEM",
      required = true,
      description = "RSA public key file to wrap the content key with from now on.")
  Path rsaPublic;

  @Option(
      names = "--new-kms-key-id",
      paramLabel = "ID",
      required = true,
      description = "KMS master key id to wrap the content key with from now on.")
  String kmsKeyId;

  MasterKey masterKey(Connections c, Map<String, String> matDesc) {
    if (rsaPublic != null) {
      return MasterKey.rsa(Keys.readPublic(rsaPublic, "--new-rsa-public"), null, matDesc);
    }
    return MasterKey.kms(KmsKeyReference.of(c.kms(), kmsKeyId), matDesc);
  }

  String describe() {
    return rsaPublic != null ? "RSA public key " + rsaPublic : "KMS key " + kmsKeyId;
  }
}
