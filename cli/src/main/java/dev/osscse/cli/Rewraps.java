package dev.osscse.cli;

import dev.osscse.oss.MasterKey;
import dev.osscse.oss.ObjectRewrapper;
import dev.osscse.oss.RewrapResult;
import dev.osscse.oss.aliyun.OssCseClient;

/** Rewrap through the binding's {@link ObjectRewrapper}. */
final class Rewraps {
  private Rewraps() {}

  /** Re-wraps one object with {@code target}; {@code reader}'s ring must open it. */
  static RewrapResult rewrap(OssCseClient reader, String bucket, String key, MasterKey target)
      throws Exception {
    return ObjectRewrapper.builder(reader.core()).newMasterKey(target).build().rewrap(bucket, key);
  }
}
