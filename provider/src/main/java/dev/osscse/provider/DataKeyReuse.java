package dev.osscse.provider;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Write-side data key reuse: hands out copies of one data key until it has been used {@code
 * maxUses} times or is {@code maxAgeNanos} old, then asks for a new one and destroys the old one.
 * Thread-safe; the KMS call for a replacement is made under the lock so concurrent writers wait for
 * one call rather than each making one.
 */
final class DataKeyReuse {
  interface Source {
    KmsDataKey get() throws KeyServiceException;
  }

  private final int maxUses;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private KmsDataKey current;
  private int currentBytes;
  private int uses;
  private long createdNanos;

  DataKeyReuse(int maxUses, long maxAgeNanos, LongSupplier nanoClock) {
    this.maxUses = maxUses;
    this.maxAgeNanos = maxAgeNanos;
    this.nanoClock = nanoClock;
  }

  synchronized KmsDataKey next(int numberOfBytes, Source source) throws KeyServiceException {
    long now = nanoClock.getAsLong();
    if (current == null
        || uses >= maxUses
        || now - createdNanos >= maxAgeNanos
        || currentBytes != numberOfBytes) {
      clear();
      current = source.get();
      currentBytes = numberOfBytes;
      uses = 0;
      createdNanos = now;
    }
    uses++;
    byte[] k = current.getEncoded();
    try {
      return new KmsDataKey(
          k, current.getWrappedKey(), current.keyId(), current.encryptionContext());
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  synchronized void clear() {
    if (current != null) {
      current.destroy();
      current = null;
    }
  }
}
