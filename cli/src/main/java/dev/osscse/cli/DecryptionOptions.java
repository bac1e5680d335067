package dev.osscse.cli;

import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.NoMatchingMasterKeyException;
import dev.osscse.oss.WrapAlgorithm;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.KeyServiceException;
import dev.osscse.provider.KmsKeyReference;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The master keys a reading command may use ({@code --rsa-private}, {@code --kms}) and {@code
 * --allow-plaintext}. The choice among them for an object is the library's ({@link
 * MasterKeyRing.Builder#tryEveryKey()}, {@link MasterKeyRing#none()}); this class only builds the
 * ring and words its failures for the command line.
 */
final class DecryptionOptions {

  @Option(
      names = "--rsa-private",
      paramLabel = "PEM",
      description = "RSA private key file (PKCS#1 or PKCS#8 PEM); repeatable.")
  List<Path> rsaPrivate = new ArrayList<>();

  @Option(
      names = "--kms",
      description =
          "Use KMS (--kms-endpoint / KMS_ENDPOINT) for objects wrapped with KMS/ALICLOUD.")
  boolean kms;

  @Option(
      names = "--kms-key-id",
      paramLabel = "ID",
      description =
          "Like --kms, but accept only objects wrapped under this KMS key UUID (a blob naming"
              + " another key is refused before any KMS call).")
  String kmsKeyId;

  @Option(
      names = "--allow-plaintext",
      description = "Read objects without client-side encryption headers as they are.")
  boolean allowPlaintext;

  /** True if no master key option was given. */
  boolean noKeys() {
    return rsaPrivate.isEmpty() && !kms && kmsKeyId == null;
  }

  /**
   * The reading client: every given key in one ring that the library tries in a fixed order (the
   * {@code --rsa-private} keys as given, then the KMS key), and {@code --allow-plaintext} as the
   * library's plaintext mode; without any key, a key-less client. It makes no request: the read
   * itself parses the envelope and unwraps once.
   */
  OssCseClient client(Connections c) throws GeneralSecurityException {
    return client(c, false);
  }

  /** As {@link #client(Connections)}, refusing objects that do not authenticate when asked. */
  OssCseClient client(Connections c, boolean requireAuthentication)
      throws GeneralSecurityException {
    if (requireAuthentication && allowPlaintext) {
      throw new CliException(
          ExitCodes.USAGE,
          "--require-authentication and --allow-plaintext exclude each other: a plaintext object"
              + " cannot be authenticated");
    }
    MasterKeyRing.Builder ring = MasterKeyRing.builder().tryEveryKey();
    for (Path p : rsaPrivate) {
      RSAPrivateKey k = Keys.readPrivate(p, "--rsa-private");
      ring.add(MasterKey.rsa(null, k, Map.of()));
    }
    if (kms || kmsKeyId != null) {
      KmsKeyReference ref =
          kmsKeyId != null
              ? KmsKeyReference.of(c.kms(), kmsKeyId)
              : KmsKeyReference.anyKey(c.kms());
      ring.add(MasterKey.kms(ref, Map.of()));
    }
    return OssCseClient.builder(c.oss())
        .decryptWith(noKeys() ? MasterKeyRing.none() : ring.build())
        .allowPlaintextObjects(allowPlaintext)
        .requireAuthentication(requireAuthentication)
        .build();
  }

  /**
   * The message for a key-choice failure of a read ({@code subject} is {@code oss://bucket/key}):
   * which option to give for the object's wrap algorithm, or that each given private key failed;
   * null for any other failure.
   */
  CliException explain(Throwable failure, String subject) {
    NoMatchingMasterKeyException miss = find(failure, NoMatchingMasterKeyException.class);
    if (miss != null) {
      WrapAlgorithm alg = miss.wrapAlgorithm();
      if (alg.kind() == WrapAlgorithm.Kind.RSA && rsaPrivate.isEmpty()) {
        return new CliException(
            ExitCodes.KEY,
            subject
                + " is wrapped with "
                + alg.headerValue()
                + " (x-oss-meta-client-side-encryption-wrap-alg) but no --rsa-private key was"
                + " given; pass the private key of the pair it was written with",
            failure);
      }
      if (alg.kind() == WrapAlgorithm.Kind.KMS && !kms && kmsKeyId == null) {
        return new CliException(
            ExitCodes.KEY,
            subject
                + " is wrapped with "
                + alg.headerValue()
                + " (x-oss-meta-client-side-encryption-wrap-alg); pass --kms (with --kms-endpoint"
                + " or KMS_ENDPOINT) to unwrap it with KMS",
            failure);
      }
      return null;
    }
    InvalidKeyException wrongKey = find(failure, InvalidKeyException.class);
    KeyServiceException service = find(failure, KeyServiceException.class);
    if (wrongKey != null && service == null && rsaPrivate.size() > 1 && !kms && kmsKeyId == null) {
      // Only RSA keys were given, so the object is RSA-wrapped (a KMS one would be a miss).
      return new CliException(
          ExitCodes.KEY,
          subject
              + ": unwrap failed with each of the "
              + rsaPrivate.size()
              + " --rsa-private keys (x-oss-meta-client-side-encryption-key); pass the private key"
              + " of the pair it was written with",
          failure);
    }
    return null;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
