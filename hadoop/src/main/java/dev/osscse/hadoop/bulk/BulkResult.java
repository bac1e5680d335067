package dev.osscse.hadoop.bulk;

import java.util.List;

/**
 * Counts of a bulk job, the first failures (at most 100), and the share of each executor process
 * that ran its tasks (ordered by executor id).
 */
public record BulkResult(
    long done,
    long skipped,
    long failed,
    List<ObjectOutcome> failures,
    List<ExecutorShare> executors) {
  /** Total objects the job looked at. */
  public long total() {
    return done + skipped + failed;
  }

  @Override
  public String toString() {
    return "done=" + done + " skipped=" + skipped + " failed=" + failed;
  }
}
