package dev.osscse.hadoop.bulk;

import java.util.List;

/** Counts of a bulk job, and the first failures (at most 100). */
public record BulkResult(long done, long skipped, long failed, List<ObjectOutcome> failures) {
  /** Total objects the job looked at. */
  public long total() {
    return done + skipped + failed;
  }

  @Override
  public String toString() {
    return "done=" + done + " skipped=" + skipped + " failed=" + failed;
  }
}
