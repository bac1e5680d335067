package dev.osscse.hadoop.bulk;

import java.io.Serializable;

/**
 * What a bulk job did with one object: done, skipped (with the reason) or failed (with a message
 * that names the failure, never a key or secret value).
 */
public record ObjectOutcome(String key, Kind kind, String detail) implements Serializable {
  /** The three outcomes. */
  public enum Kind {
    DONE,
    SKIPPED,
    FAILED
  }

  static ObjectOutcome done(String key) {
    return new ObjectOutcome(key, Kind.DONE, "");
  }

  static ObjectOutcome skipped(String key, String why) {
    return new ObjectOutcome(key, Kind.SKIPPED, why);
  }

  static ObjectOutcome failed(String key, Throwable e) {
    String m = e.getMessage();
    return new ObjectOutcome(
        key, Kind.FAILED, e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
  }
}
