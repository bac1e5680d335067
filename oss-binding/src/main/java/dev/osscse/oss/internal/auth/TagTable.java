package dev.osscse.oss.internal.auth;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The chunk tags of one upload as they are computed, possibly by several part threads. A retried
 * body re-tags its chunks: the last tag stored for an index is the one published (tags are
 * published only in the record, once, so a discarded tag of a retried chunk is never seen).
 */
public final class TagTable {
  private byte[] tags = new byte[64 * ChunkMac.TAG_LENGTH];
  private final BitSet present = new BitSet();

  /** Stores {@code T_index}, a {@link ChunkMac#tag()}. */
  public synchronized void put(long index, byte[] tag) {
    if (index < 0 || index >= AuthRecord.chunkCount(AuthRecord.MAX_LENGTH)) {
      throw new IllegalArgumentException("chunk index out of range: " + index);
    }
    int i = (int) index;
    long need = (long) (i + 1) * ChunkMac.TAG_LENGTH;
    if (need > tags.length) {
      tags =
          Arrays.copyOf(
              tags, (int) Math.max(need, Math.min(2L * tags.length, Integer.MAX_VALUE - 8)));
    }
    System.arraycopy(tag, 0, tags, i * ChunkMac.TAG_LENGTH, ChunkMac.TAG_LENGTH);
    present.set(i);
  }

  /**
   * The record of an object of {@code length} bytes.
   *
   * @throws IllegalStateException if a chunk of it has no tag, or a tag past its end exists
   */
  public synchronized AuthRecord record(long length, long epochMillis) {
    int n = AuthRecord.chunkCount(length);
    if (present.nextClearBit(0) < n || present.length() > n) {
      throw new IllegalStateException(
          "chunk tags do not cover exactly the " + n + " chunks of the object");
    }
    return AuthRecord.of(length, epochMillis, Arrays.copyOf(tags, n * ChunkMac.TAG_LENGTH));
  }
}
