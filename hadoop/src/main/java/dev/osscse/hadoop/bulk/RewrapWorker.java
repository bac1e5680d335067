package dev.osscse.hadoop.bulk;

import com.aliyun.oss.OSS;
import dev.osscse.hadoop.OssCseFsSettings;
import dev.osscse.oss.ContentKey;
import dev.osscse.oss.Envelope;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.ObjectRewrapper;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Rewraps objects one at a time to the new master key: the per-object step of the rewrap job.
 *
 * <p><b>What it is.</b> HEAD (the envelope); an object without envelope is skipped; an object
 * already under the new key is skipped (recognised by unwrapping with the new private key when it
 * is configured, else by its material description); else {@link ObjectRewrapper#rewrap}, which
 * re-wraps the content key without touching the ciphertext.
 *
 * <p><b>Security guarantees.</b> Never leaves an object unreadable: the rewrap replaces the object
 * in one PutObject or multipart completion, only after the ciphertext read back matched the
 * original's CRC-64. Running it again is harmless (idempotent).
 *
 * <p><b>Restrictions / failure behaviour.</b> Not atomic against a concurrent writer of the same
 * object. Each failure is an outcome ({@link ObjectOutcome.Kind#FAILED}), not an exception.
 */
public final class RewrapWorker implements AutoCloseable {
  private final String bucket;
  private final OSS oss;
  private final OssCseClient cse;
  private final MasterKey newKey;
  private final ObjectRewrapper rewrapper;

  public RewrapWorker(Configuration conf, String bucket)
      throws IOException, GeneralSecurityException {
    this.bucket = bucket;
    OssCseFsSettings settings = OssCseFsSettings.from(conf);
    MasterKey key = BulkSettings.newRsaKey(conf);
    if (key == null) {
      throw new IllegalArgumentException(
          "rewrap needs a new master key: set " + BulkSettings.NEW_RSA_PUBLIC_KEY_FILE);
    }
    this.newKey = key;
    this.oss = settings.newOssClient();
    try {
      this.cse = settings.newCseClient(oss);
      this.rewrapper =
          ObjectRewrapper.builder(cse.core())
              .newMasterKey(newKey)
              .partSize(settings.partSize)
              .parallelism(settings.parallelism)
              .multipartThreshold(
                  conf.getLongBytes(
                      BulkSettings.REWRAP_MULTIPART_THRESHOLD,
                      ObjectRewrapper.DEFAULT_MULTIPART_THRESHOLD))
              .build();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      oss.shutdown();
      throw e;
    }
  }

  /** Rewraps one object, or says why not. */
  public ObjectOutcome process(String key) {
    try {
      Optional<Envelope> env = cse.headEnvelope(bucket, key);
      if (env.isEmpty()) {
        return ObjectOutcome.skipped(key, "plaintext object (the encrypt job handles it)");
      }
      if (alreadyUnderNewKey(env.get())) {
        return ObjectOutcome.skipped(key, "already under the new key");
      }
      rewrapper.rewrap(bucket, key);
      return ObjectOutcome.done(key);
    } catch (Exception e) {
      return ObjectOutcome.failed(key, e);
    }
  }

  private boolean alreadyUnderNewKey(Envelope env) {
    if (env.wrapAlgorithm().kind() != newKey.kind()) {
      return false;
    }
    if (newKey.canDecrypt()) {
      try {
        ContentKey k = cse.envelopeCrypto().open(env, newKey);
        k.destroy();
        return true;
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
    return !newKey.description().isEmpty() && env.matDesc().equals(newKey.description());
  }

  @Override
  public void close() {
    oss.shutdown();
  }
}
