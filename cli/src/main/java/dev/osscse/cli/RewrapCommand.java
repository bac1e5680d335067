package dev.osscse.cli;

import dev.osscse.oss.Envelope;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.RewrapResult;
import dev.osscse.oss.aliyun.OssCseClient;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rewrap}: re-wrap an object's content key under a new master key, in place. */
@Command(
    name = "rewrap",
    mixinStandardHelpOptions = true,
    header = "Re-wrap an object's content key under a new master key.",
    description = {
      "Unwrap an object's content key with the old master key (--rsa-private / --kms) and wrap"
          + " it with a new one (--new-rsa-public / --new-kms-key-id). The ciphertext is streamed"
          + " back unchanged (never decrypted; checked by CRC-64 before the rewrite is committed)"
          + " because OSS does not let CopyObject change encryption headers.",
      "The content key itself stays the same: rewrap moves objects to a new master key, it does"
          + " not re-encrypt them, and does not revoke the old key."
    })
final class RewrapCommand extends BaseCommand {
  @Mixin ConnectionOptions connection;

  @Option(names = "--bucket", paramLabel = "B", required = true, description = "Bucket.")
  String bucket;

  @Option(names = "--key", paramLabel = "K", required = true, description = "Object key.")
  String key;

  @Mixin DecryptionOptions oldKeys;

  @ArgGroup(exclusive = true, multiplicity = "1")
  NewMasterKeyOptions newKey;

  @Option(
      names = "--new-matdesc",
      paramLabel = "JSON",
      description = "Material description to store with the new key (default: keep the object's).")
  String newMatDesc;

  RewrapCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() throws Exception {
    if (oldKeys.allowPlaintext) {
      throw new CliException(
          ExitCodes.USAGE,
          "--allow-plaintext does not apply to rewrap: a plaintext object has no content key to"
              + " rewrap; encrypt it with put instead");
    }
    Map<String, String> md = newMatDesc == null ? null : Keys.parseMatDesc(newMatDesc);
    String subject = uri(bucket, key);
    try (Connections c = new Connections(ctx, connection)) {
      // The HEAD refuses a plaintext object early and gives the matdesc to keep; the rewrap
      // itself reads the envelope again with the object, and unwraps once.
      Optional<Envelope> envelope;
      try {
        envelope =
            EnvelopeCodec.fromUserMetadata(
                c.oss().getObjectMetadata(bucket, key).getUserMetadata());
      } catch (Exception e) {
        throw Errors.classify(e, subject);
      }
      if (envelope.isEmpty()) {
        throw new CliException(
            ExitCodes.KEY,
            subject
                + ": the object has no client-side encryption headers"
                + " (x-oss-meta-client-side-encryption-key/-start): it is stored in plaintext and"
                + " has no content key to rewrap; encrypt it with put instead");
      }
      OssCseClient reader = oldKeys.client(c);
      long t0 = System.nanoTime();
      long size;
      try {
        Map<String, String> description = md != null ? md : envelope.get().matDesc();
        MasterKey target = newKey.masterKey(c, description);
        RewrapResult r = Rewraps.rewrap(reader, bucket, key, target);
        size = r.size();
      } catch (CliException e) {
        throw e;
      } catch (Exception e) {
        CliException keyChoice = oldKeys.explain(e, subject);
        throw keyChoice != null ? keyChoice : Errors.classify(e, subject);
      }
      note(
          "rewrap "
              + subject
              + ": content key now wrapped with "
              + newKey.describe()
              + " ("
              + Format.bytes(size)
              + " streamed in "
              + Format.seconds(System.nanoTime() - t0)
              + ")");
    }
    return ExitCodes.OK;
  }
}
