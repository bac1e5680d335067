package dev.osscse.hadoop.bulk;

import java.io.Serializable;

/**
 * The part of a bulk job one executor process did: its Spark executor id ({@code driver} in local
 * mode), host and process id, and the counts of the objects its tasks looked at.
 */
public record ExecutorShare(
    String executorId, String host, long pid, long done, long skipped, long failed)
    implements Serializable {
  /** Objects this executor looked at. */
  public long total() {
    return done + skipped + failed;
  }

  ExecutorShare plus(ExecutorShare o) {
    return new ExecutorShare(
        executorId, host, pid, done + o.done, skipped + o.skipped, failed + o.failed);
  }

  @Override
  public String toString() {
    return "executor "
        + executorId
        + " (pid "
        + pid
        + " on "
        + host
        + "): done="
        + done
        + " skipped="
        + skipped
        + " failed="
        + failed;
  }
}
