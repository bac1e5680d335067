package dev.osscse.cli;

import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.ObjectRewrapper;
import dev.osscse.oss.OssCseClient;
import dev.osscse.oss.RewrapResult;
import java.util.Map;

/** Rewrap through the binding's {@link ObjectRewrapper}. */
final class Rewraps {
  private Rewraps() {}

  /** The object's current material description (empty when it has none or no envelope). */
  static Map<String, String> matDescOf(Connections c, String bucket, String key) throws Exception {
    return EnvelopeCodec.fromObjectMetadata(c.oss().getObjectMetadata(bucket, key))
        .<Map<String, String>>map(e -> e.matDesc())
        .orElse(Map.of());
  }

  /** Re-wraps one object with {@code target}; {@code reader}'s ring must open it. */
  static RewrapResult rewrap(OssCseClient reader, String bucket, String key, MasterKey target)
      throws Exception {
    return ObjectRewrapper.builder(reader).newMasterKey(target).build().rewrap(bucket, key);
  }
}
