package dev.osscse.provider.internal.ctr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.InvalidKeyException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seekable AES-CTR: keystream position, range checks, buffering and overlap handling.
 *
 * <p>The engine encrypts and decrypts (the same operation in CTR) at a byte position counted from
 * the IV: position {@code b} uses counter block {@code IV + floor(b / 16)}, byte {@code b mod 16}
 * of its keystream block. It knows nothing of JCA state machines or streams; the {@code CipherSpi}
 * shell maps those onto it.
 *
 * <p>How it is fast. Bulk data goes straight to the keystream source (the JDK's intrinsic AES-CTR)
 * in chunks whose size {@link AesCtrWarmup} chooses (small and timed until the JIT has compiled the
 * source, large after); in-place data goes through a {@value #CHUNK}-byte scratch buffer. Calls
 * shorter than {@value #BULK_MIN} bytes are served from a {@value #KS_SIZE}-byte keystream buffer
 * generated ahead. In-place and overlapping calls never hand overlapping arrays to the source, so
 * it never copies. Steady-state calls allocate nothing.
 *
 * <p>Failure behaviour. A call that would use a counter past {@code 2^128 - 1} (or a position past
 * {@code 2^63 - 1}) throws {@link IllegalStateException} before anything is written, and the
 * position is unchanged.
 *
 * <p>Not thread-safe.
 */
public final class AesCtrEngine {
  /** Scratch buffer size in bytes: in-place chunks and ByteBuffer copies. */
  static final int CHUNK = 16 * 1024;

  /** Size of the keystream buffer for short calls. */
  static final int KS_SIZE = 2048;

  /**
   * In-place calls at least this long are taken to be out of the caches (the benchmark machine has
   * 32 MiB of L3); they go through the scratch buffer in {@value #IN_PLACE_FAR_STEP}-byte steps.
   */
  static final int IN_PLACE_FAR_MIN = 16 << 20;

  /**
   * Scratch step of in-place calls from memory: the step's data and its copy stay in the L1 cache,
   * where {@value #CHUNK}-byte steps fill it. Calls of 32 and 64 MiB ran 1.3-1.4x faster in these
   * steps, while data in the caches runs fastest in {@value #CHUNK}-byte steps
   * (docs/algorithms.md).
   */
  static final int IN_PLACE_FAR_STEP = 4096;

  /** Bulk calls per shape that {@link #compileBulkLoop} makes: above C2's invocation threshold. */
  static final int BULK_LOOP_CALLS = 8_000;

  /** Calls (or call remainders) at least this long bypass the keystream buffer. */
  static final int BULK_MIN = 512;

  /**
   * Largest distance the source is advanced by generating and discarding keystream rather than
   * re-initialised. Covers returning to the start after doFinal when the keystream buffer served
   * the first bytes.
   */
  private static final int SKIP_MAX = 2 * KS_SIZE;

  private static final byte[] ZEROS = new byte[KS_SIZE];

  private final CtrKeystreamSource source;
  private final byte[] counter = new byte[CtrCounter.BLOCK_SIZE]; // reused for each (re)position
  private byte[] ks; // lazily: the keystream buffer of short calls and short skips
  private byte[] scratch; // lazily: in-place bulk calls and ByteBuffers
  private byte[] bufferScratch; // lazily, for ByteBuffers without accessible arrays

  private byte[] iv;
  private long limit; // positions [0, limit) are in range
  private long start; // position of init and of reset()
  private long pos; // next keystream byte position
  private long sourcePos; // next keystream byte the source will produce
  private long sourceInitPos; // block-aligned position the source returns to on rewind()
  private long ksStart; // ks holds keystream for positions [ksStart, ksEnd)
  private long ksEnd;
  private boolean initialised;

  /** Creates an engine over the JDK's AES-CTR. */
  public AesCtrEngine() {
    this(new JdkAesCtrKeystream());
  }

  /** Creates an engine over the given keystream source. */
  public AesCtrEngine(CtrKeystreamSource source) {
    this.source = source;
  }

  /**
   * Keys the engine and positions it at {@code startOffset}. Allocates nothing beyond what the
   * source's key schedule needs; the keystream and scratch buffers come with the first call that
   * uses them.
   *
   * @param key the raw AES key, 16, 24 or 32 bytes (checked by the caller; copied by the source)
   * @param iv the 16-byte initial counter block; the engine keeps this array, so the caller must
   *     not modify it afterwards
   * @param startOffset the keystream byte to start at
   * @throws IllegalArgumentException if the IV is not 16 bytes, the offset is negative, or the
   *     counter of the offset would pass {@code 2^128 - 1}; the engine is unchanged then
   */
  public void init(byte[] key, byte[] iv, long startOffset) {
    long newLimit = checkPosition(iv, startOffset);
    source.init(key, counter);
    positioned(iv, startOffset, newLimit);
  }

  /**
   * Keys the engine with a key object and positions it at {@code startOffset}, as {@link
   * #init(byte[], byte[], long)} does; the source reads and checks the key itself, so no copy of
   * its bytes is made here.
   *
   * @param key the AES key; immutable, so the source may keep it
   * @throws InvalidKeyException if the source refuses the key (not AES, or not 16, 24 or 32 bytes);
   *     the source may have dropped its previous key then, so the engine is left uninitialised
   *     until the next successful init
   * @throws IllegalArgumentException as for {@link #init(byte[], byte[], long)}; the IV and offset
   *     are checked before the key, and the engine is unchanged then
   */
  public void init(SecretKeySpec key, byte[] iv, long startOffset) throws InvalidKeyException {
    long newLimit = checkPosition(iv, startOffset);
    try {
      source.init(key, counter);
    } catch (InvalidKeyException e) {
      initialised = false;
      throw e;
    }
    positioned(iv, startOffset, newLimit);
  }

  /**
   * Repositions the engine under the key of the last successful {@link #init(byte[], byte[],
   * long)}: a new IV and start offset without a new key schedule.
   *
   * @throws IllegalStateException if the engine was never keyed
   * @throws IllegalArgumentException as for {@link #init(byte[], byte[], long)}
   */
  public void init(byte[] iv, long startOffset) {
    checkInitialised();
    long newLimit = checkPosition(iv, startOffset);
    source.restart(counter);
    positioned(iv, startOffset, newLimit);
  }

  /**
   * Checks the IV and start offset, writes the start's counter block into {@code counter} and
   * returns the IV's keystream limit.
   */
  private long checkPosition(byte[] iv, long startOffset) {
    if (iv.length != CtrCounter.BLOCK_SIZE) {
      throw new IllegalArgumentException("IV must be 16 bytes, got " + iv.length);
    }
    if (startOffset < 0) {
      throw new IllegalArgumentException("byte offset must be >= 0, got " + startOffset);
    }
    long newLimit = CtrCounter.keystreamLimit(iv);
    if (startOffset >= newLimit) {
      throw new IllegalArgumentException(
          "byte offset "
              + startOffset
              + " is out of range for this IV: the counter would pass 2^128 - 1 (limit "
              + newLimit
              + " bytes)");
    }
    long alignedStart = startOffset & ~(long) (CtrCounter.BLOCK_SIZE - 1);
    CtrCounter.addInto(iv, alignedStart / CtrCounter.BLOCK_SIZE, counter);
    return newLimit;
  }

  /** Records the position after the source was keyed or restarted at {@code counter}. */
  private void positioned(byte[] iv, long startOffset, long newLimit) {
    long alignedStart = startOffset & ~(long) (CtrCounter.BLOCK_SIZE - 1);
    this.iv = iv;
    this.limit = newLimit;
    this.start = startOffset;
    this.pos = startOffset;
    this.sourcePos = alignedStart;
    this.sourceInitPos = alignedStart;
    this.ksStart = 0;
    this.ksEnd = 0;
    this.initialised = true;
  }

  /** Returns to the position given to {@link #init}. */
  public void reset() {
    checkInitialised();
    pos = start;
  }

  /** Returns the position of the next keystream byte. */
  public long position() {
    return pos;
  }

  /**
   * Returns the IV of the last successful init (the array the caller gave, not a copy; it must not
   * be modified), or null before the first.
   */
  public byte[] iv() {
    return iv;
  }

  /** Returns the position given to {@link #init}. */
  public long startPosition() {
    return start;
  }

  /** Returns how many more bytes can be processed before the counter would pass its range. */
  public long remaining() {
    return limit - pos;
  }

  /**
   * Processes {@code len} bytes: {@code out[outOff..] = in[inOff..] XOR keystream}. The ranges may
   * overlap in any way; the result is as if the input had been copied first.
   *
   * @throws IllegalStateException if the counter would pass its range; nothing is written then
   */
  public void process(byte[] in, int inOff, int len, byte[] out, int outOff) {
    checkRange(len);
    if (len == 0) {
      return;
    }
    boolean inPlace = false;
    if (in == out && inOff < outOff + len && outOff < inOff + len) {
      if (inOff != outOff) {
        System.arraycopy(in, inOff, out, outOff, len); // memmove semantics
        inOff = outOff;
      }
      inPlace = true;
    }
    int done = 0;
    while (done < len) {
      int remaining = len - done;
      if (pos >= ksStart && pos < ksEnd) {
        int take = (int) Math.min(remaining, ksEnd - pos);
        xorBytes(in, inOff + done, ks, (int) (pos - ksStart), out, outOff + done, take);
        done += take;
        pos += take;
      } else if (remaining >= BULK_MIN) {
        positionSource(pos);
        bulk(in, inOff + done, remaining, out, outOff + done, inPlace);
        done = len;
      } else {
        fillKeystream();
      }
    }
  }

  /**
   * Processes {@code in.remaining()} bytes from {@code in} into {@code out}, advancing both
   * positions. The caller has checked that {@code out} has room. The buffers may share memory; the
   * result is as if the input had been copied first.
   *
   * @throws IllegalStateException if the counter would pass its range; nothing is written then
   */
  public void process(ByteBuffer in, ByteBuffer out) {
    int len = in.remaining();
    checkRange(len);
    if (len == 0) {
      return;
    }
    int inPos = in.position();
    int outPos = out.position();
    if (in.hasArray() && out.hasArray()) {
      process(in.array(), in.arrayOffset() + inPos, len, out.array(), out.arrayOffset() + outPos);
    } else if (in.hasArray()) {
      // Heap input, direct output: cannot share memory.
      byte[] a = in.array();
      int base = in.arrayOffset() + inPos;
      for (int done = 0; done < len; ) {
        int n = Math.min(CHUNK, len - done);
        byte[] tmp = scratch();
        process(a, base + done, n, tmp, 0);
        out.put(outPos + done, tmp, 0, n);
        done += n;
      }
    } else if (out.hasArray() && in.isDirect()) {
      // Direct input, heap output: cannot share memory.
      byte[] a = out.array();
      int base = out.arrayOffset() + outPos;
      byte[] tmp = bufferScratch();
      for (int done = 0; done < len; ) {
        int n = Math.min(CHUNK, len - done);
        in.get(inPos + done, tmp, 0, n);
        process(tmp, 0, n, a, base + done);
        done += n;
      }
    } else {
      // At least one side hides its memory: a read-only heap input may share the output's array,
      // and two direct buffers may share native memory.
      boolean disjoint = !in.isDirect() && out.isDirect();
      if (disjoint || len <= CHUNK) {
        byte[] tmp = bufferScratch();
        for (int done = 0; done < len; ) {
          int n = Math.min(CHUNK, len - done);
          in.get(inPos + done, tmp, 0, n); // the whole input when it may overlap
          byte[] work = scratch();
          process(tmp, 0, n, work, 0);
          out.put(outPos + done, work, 0, n);
          done += n;
        }
      } else {
        // Copy input to output first (ByteBuffer.put is copy-safe), then work in place.
        out.put(outPos, in, inPos, len);
        if (out.hasArray()) {
          int base = out.arrayOffset() + outPos;
          process(out.array(), base, len, out.array(), base);
        } else {
          byte[] tmp = bufferScratch();
          for (int done = 0; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            out.get(outPos + done, tmp, 0, n);
            byte[] work = scratch();
            process(tmp, 0, n, work, 0);
            out.put(outPos + done, work, 0, n);
            done += n;
          }
        }
      }
    }
    in.position(inPos + len);
    out.position(outPos + len);
  }

  private void checkInitialised() {
    if (!initialised) {
      throw new IllegalStateException("AES-CTR engine is not initialised");
    }
  }

  private void checkRange(int len) {
    checkInitialised();
    if (len > limit - pos) {
      throw new IllegalStateException(
          "AES-CTR counter would pass 2^128 - 1 (or position 2^63 - 1): "
              + (limit - pos)
              + " more bytes can be processed under this IV, "
              + len
              + " requested");
    }
  }

  private byte[] ks() {
    byte[] b = ks;
    if (b == null) {
      b = new byte[KS_SIZE];
      ks = b;
    }
    return b;
  }

  private byte[] scratch() {
    byte[] b = scratch;
    if (b == null) {
      b = new byte[CHUNK];
      scratch = b;
    }
    return b;
  }

  private byte[] bufferScratch() {
    byte[] b = bufferScratch;
    if (b == null) {
      b = new byte[CHUNK];
      bufferScratch = b;
    }
    return b;
  }

  /** Bulk path: the source sits at pos; no keystream buffer involved. */
  private void bulk(byte[] in, int inOff, int len, byte[] out, int outOff, boolean inPlace) {
    if (!AesCtrWarmup.isHot()) {
      AesCtrWarmup.awaitHot(len);
    }
    int step = !inPlace ? 0 : len >= IN_PLACE_FAR_MIN ? IN_PLACE_FAR_STEP : CHUNK;
    for (int done = 0; done < len; ) {
      done += bulkChunk(in, inOff + done, len - done, out, outOff + done, step);
    }
    pos += len;
    sourcePos = pos;
  }

  /**
   * Runs the bulk loop on small inputs in every shape it meets in use (out of place, in place in
   * one scratch chunk and in several, a timed full hot chunk), {@value #BULK_LOOP_CALLS} times, so
   * that C2 compiles {@link #bulk} with the chunk's work inlined. Called by the warm-up thread once
   * the JVM is hot: a JVM that makes only a few dozen huge calls would otherwise run the loop in
   * the interpreter, 5-7% below SunJCE fed the same chunks (docs/benchmarks.md). Takes about a
   * millisecond of that thread's time; output is discarded.
   */
  static void compileBulkLoop() {
    AesCtrEngine e = new AesCtrEngine();
    e.init(new byte[16], new byte[16], 0);
    byte[] a = new byte[AesCtrWarmup.HOT_CHUNK];
    byte[] b = new byte[AesCtrWarmup.HOT_CHUNK];
    for (int i = 0; i < BULK_LOOP_CALLS && AesCtrWarmup.isHot(); i++) {
      e.bulk(a, 0, BULK_MIN, b, 0, false);
      e.bulk(a, 0, BULK_MIN, a, 0, true);
      if (i % 64 == 0) {
        e.bulk(a, 0, a.length, b, 0, false);
        e.bulk(a, 0, CHUNK + BULK_MIN, a, 0, true);
      }
    }
  }

  /**
   * One chunk of a bulk call; returns its length. A method of its own so that it is compiled after
   * a few hundred chunks: in a JVM that makes only a few dozen huge calls, the loop in {@link
   * #bulk} never reaches the JIT's thresholds and runs interpreted, and with the chunk's work
   * inlined in it, a 64 MiB call ran 10-15% below SunJCE fed the same chunks (docs/benchmarks.md).
   */
  private int bulkChunk(byte[] in, int inOff, int rest, byte[] out, int outOff, int step) {
    int n = AesCtrWarmup.chunk(rest);
    boolean timed = AesCtrWarmup.timed(n);
    long t0;
    if (step > 0 && n <= step) {
      // Copy first, so a timed chunk measures the source only.
      byte[] tmp = scratch();
      System.arraycopy(in, inOff, tmp, 0, n);
      t0 = timed ? System.nanoTime() : 0L;
      source.xor(tmp, 0, n, out, outOff);
    } else if (step > 0) {
      t0 = timed ? System.nanoTime() : 0L;
      byte[] tmp = scratch();
      for (int g = 0; g < n; ) {
        int m = Math.min(step, n - g);
        System.arraycopy(in, inOff + g, tmp, 0, m);
        source.xor(tmp, 0, m, out, outOff + g);
        g += m;
      }
    } else {
      t0 = timed ? System.nanoTime() : 0L;
      source.xor(in, inOff, n, out, outOff);
    }
    if (timed) {
      AesCtrWarmup.record(n, System.nanoTime() - t0);
    }
    return n;
  }

  /** Fills the keystream buffer with keystream starting at pos. */
  private void fillKeystream() {
    positionSource(pos);
    source.xor(ZEROS, 0, KS_SIZE, ks(), 0);
    ksStart = sourcePos;
    ksEnd = sourcePos + KS_SIZE;
    sourcePos = ksEnd;
  }

  /**
   * Makes the source produce keystream for position p next. Skipped keystream is kept in the
   * keystream buffer, so after this call either the source sits at p or the buffer covers p.
   */
  private void positionSource(long p) {
    if (sourcePos == p) {
      return;
    }
    if (sourcePos > p || p - sourcePos > SKIP_MAX) {
      if (sourceInitPos <= p && p - sourceInitPos <= SKIP_MAX) {
        source.rewind();
        sourcePos = sourceInitPos;
      } else {
        long aligned = p & ~(long) (CtrCounter.BLOCK_SIZE - 1);
        CtrCounter.addInto(iv, aligned / CtrCounter.BLOCK_SIZE, counter);
        source.restart(counter);
        sourcePos = aligned;
        sourceInitPos = aligned;
      }
    }
    // Skip forward by generating keystream into the buffer; it keeps the last piece skipped, which
    // ends just before p, so the caller continues from p.
    while (sourcePos < p) {
      int n = (int) Math.min(p - sourcePos, KS_SIZE);
      source.xor(ZEROS, 0, n, ks(), 0);
      ksStart = sourcePos;
      ksEnd = sourcePos + n;
      sourcePos = ksEnd;
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * {@code out = in XOR ks}, eight bytes at a time. {@code in} and {@code out} are either disjoint
   * or the same range (in place); element-wise XOR is correct for both.
   */
  private static void xorBytes(
      byte[] in, int inOff, byte[] ks, int ksOff, byte[] out, int outOff, int len) {
    int i = 0;
    for (; i <= len - 8; i += 8) {
      long v = (long) LONGS.get(in, inOff + i) ^ (long) LONGS.get(ks, ksOff + i);
      LONGS.set(out, outOff + i, v);
    }
    for (; i < len; i++) {
      out[outOff + i] = (byte) (in[inOff + i] ^ ks[ksOff + i]);
    }
  }
}
