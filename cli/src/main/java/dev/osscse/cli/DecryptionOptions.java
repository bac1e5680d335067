package dev.osscse.cli;

import dev.osscse.oss.ContentKey;
import dev.osscse.oss.Envelope;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.EnvelopeCrypto;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.OssCseClient;
import dev.osscse.oss.WrapAlgorithm;
import dev.osscse.provider.DataKey;
import dev.osscse.provider.KeyService;
import dev.osscse.provider.KeyServiceException;
import dev.osscse.provider.KmsKeyReference;
import dev.osscse.provider.OssCseProviders;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The master keys a reading command may use ({@code --rsa-private}, {@code --kms}) and {@code
 * --allow-plaintext}, and the choice among them for one object.
 */
final class DecryptionOptions {
  /** KMS key id used for reading when none is given: the blob itself names its key. */
  static final String ANY_KMS_KEY = "(named by the ciphertext)";

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
   * A reading client for one object, holding the one given master key that unwraps its envelope
   * (found by HEAD and trial unwrap), or a key-less client for a plaintext object when allowed.
   */
  OssCseClient clientFor(Connections c, String bucket, String key) throws GeneralSecurityException {
    String subject = BaseCommand.uri(bucket, key);
    List<RSAPrivateKey> privateKeys = new ArrayList<>();
    for (Path p : rsaPrivate) {
      privateKeys.add(Keys.readPrivate(p, "--rsa-private"));
    }
    Optional<Envelope> envelope;
    try {
      envelope = EnvelopeCodec.fromObjectMetadata(c.oss().getObjectMetadata(bucket, key));
    } catch (RuntimeException | GeneralSecurityException e) {
      throw Errors.classify(e, subject);
    }
    if (envelope.isEmpty()) {
      if (!allowPlaintext) {
        throw new CliException(
            ExitCodes.KEY,
            subject
                + ": the object has no client-side encryption headers"
                + " (x-oss-meta-client-side-encryption-key/-start): it is stored in plaintext;"
                + " pass --allow-plaintext to read it as it is");
      }
      return OssCseClient.builder(c.oss())
          .decryptWith(MasterKeyRing.builder().defaultKey(noKey()).build())
          .allowPlaintextObjects(true)
          .build();
    }
    Envelope env = envelope.get();
    MasterKey chosen = choose(c, env, subject, privateKeys);
    return OssCseClient.builder(c.oss())
        .decryptWith(MasterKeyRing.builder().defaultKey(chosen).build())
        .allowPlaintextObjects(allowPlaintext)
        .build();
  }

  private MasterKey choose(
      Connections c, Envelope env, String subject, List<RSAPrivateKey> privateKeys)
      throws GeneralSecurityException {
    WrapAlgorithm alg = env.wrapAlgorithm();
    List<MasterKey> candidates = new ArrayList<>();
    if (alg.kind() == WrapAlgorithm.Kind.RSA) {
      for (RSAPrivateKey k : privateKeys) {
        candidates.add(MasterKey.rsa(null, k, env.matDesc()));
      }
      if (candidates.isEmpty()) {
        throw new CliException(
            ExitCodes.KEY,
            subject
                + " is wrapped with "
                + alg.headerValue()
                + " (x-oss-meta-client-side-encryption-wrap-alg) but no --rsa-private key was"
                + " given; pass the private key of the pair it was written with");
      }
    } else {
      if (!kms && kmsKeyId == null) {
        throw new CliException(
            ExitCodes.KEY,
            subject
                + " is wrapped with "
                + alg.headerValue()
                + " (x-oss-meta-client-side-encryption-wrap-alg); pass --kms (with --kms-endpoint"
                + " or KMS_ENDPOINT) to unwrap it with KMS");
      }
      KmsKeyReference ref =
          kmsKeyId != null
              ? KmsKeyReference.of(c.kms(), kmsKeyId)
              : KmsKeyReference.anyKey(c.kms());
      candidates.add(MasterKey.kms(ref, env.matDesc()));
    }
    EnvelopeCrypto crypto = new EnvelopeCrypto(OssCseProviders.provider(), new SecureRandom());
    GeneralSecurityException last = null;
    for (MasterKey k : candidates) {
      try {
        ContentKey ck = crypto.open(env, k);
        ck.destroy();
        return k;
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    CliException ce = Errors.classify(last, subject);
    if (ce.exitCode() == ExitCodes.KEY && candidates.size() > 1) {
      throw new CliException(
          ExitCodes.KEY,
          subject
              + ": unwrap failed with each of the "
              + candidates.size()
              + " --rsa-private keys (x-oss-meta-client-side-encryption-key, "
              + alg.headerValue()
              + "); pass the private key of the pair it was written with",
          last);
    }
    throw ce;
  }

  /** A master key that can never unwrap, for reading plaintext objects without any key. */
  private static MasterKey noKey() {
    return MasterKey.kms(KmsKeyReference.anyKey(new NoKeyService()), Map.of());
  }

  /** The key service of {@link #noKey()}: refuses everything. */
  private static final class NoKeyService implements KeyService {
    private static KeyServiceException refused() {
      // A refusal of the ciphertext, so the unwrap failure stays the uniform one, without a cause.
      return KeyServiceException.ciphertextRefused("no master key was given");
    }

    @Override
    public String encrypt(String keyId, String plaintextBase64, Map<String, String> context)
        throws KeyServiceException {
      throw refused();
    }

    @Override
    public String decrypt(String ciphertextBlob, Map<String, String> context)
        throws KeyServiceException {
      throw refused();
    }

    @Override
    public DataKey generateDataKey(String keyId, int numberOfBytes, Map<String, String> context)
        throws KeyServiceException {
      throw refused();
    }
  }
}
