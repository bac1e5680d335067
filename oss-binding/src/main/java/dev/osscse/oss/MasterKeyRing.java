package dev.osscse.oss;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The master keys a reader holds, selected per object by material description.
 *
 * <p><b>What it is.</b> An ordered list of {@link MasterKey}s and an optional explicit default. For
 * an object, {@link #select(Envelope)} returns the first key whose kind fits the object's wrap
 * algorithm and whose description equals the object's parsed matdesc (an absent matdesc is the
 * empty map). If none matches, the default is used when its kind fits; otherwise it fails.
 *
 * <p><b>Security guarantees.</b> Selection uses only parsed maps, no reflection and no string
 * comparison of JSON (FMT-7).
 *
 * <p><b>Restrictions / failure behaviour.</b> A miss throws {@link NoMatchingMasterKeyException}.
 *
 * <pre>{@code
 * MasterKeyRing ring = MasterKeyRing.builder()
 *     .add(MasterKey.rsa(oldPair, Map.of("gen", "1")))
 *     .defaultKey(MasterKey.rsa(newPair, Map.of("gen", "2")))
 *     .build();
 * }</pre>
 */
public final class MasterKeyRing {
  private final List<MasterKey> keys;
  private final MasterKey defaultKey; // may be null

  private MasterKeyRing(List<MasterKey> keys, MasterKey defaultKey) {
    this.keys = List.copyOf(keys);
    this.defaultKey = defaultKey;
  }

  /** A ring of the given keys and no default. */
  public static MasterKeyRing of(MasterKey... keys) {
    Builder b = builder();
    for (MasterKey k : keys) {
      b.add(k);
    }
    return b.build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The keys in selection order (the default included if it was added). */
  public List<MasterKey> keys() {
    return keys;
  }

  /**
   * Selects the master key for an envelope.
   *
   * @throws NoMatchingMasterKeyException if no key fits and no default of the right kind is set
   */
  public MasterKey select(Envelope envelope) throws NoMatchingMasterKeyException {
    WrapAlgorithm.Kind kind = envelope.wrapAlgorithm().kind();
    for (MasterKey k : keys) {
      if (k.kind() == kind && k.canDecrypt() && k.description().equals(envelope.matDesc())) {
        return k;
      }
    }
    if (defaultKey != null && defaultKey.kind() == kind && defaultKey.canDecrypt()) {
      return defaultKey;
    }
    throw new NoMatchingMasterKeyException(envelope.wrapAlgorithm(), envelope.matDesc().keySet());
  }

  @Override
  public String toString() {
    return "MasterKeyRing[keys=" + keys + ", default=" + defaultKey + "]";
  }

  /** Builds a {@link MasterKeyRing}. */
  public static final class Builder {
    private final List<MasterKey> keys = new ArrayList<>();
    private MasterKey defaultKey;

    private Builder() {}

    /** Adds a key; keys are tried in the order added. */
    public Builder add(MasterKey key) {
      keys.add(Objects.requireNonNull(key, "key"));
      return this;
    }

    /** Sets the key used when no description matches (it is also added, last). */
    public Builder defaultKey(MasterKey key) {
      this.defaultKey = Objects.requireNonNull(key, "key");
      keys.add(key);
      return this;
    }

    /** Builds the ring; it must hold at least one key. */
    public MasterKeyRing build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("a master key ring needs at least one key");
      }
      return new MasterKeyRing(keys, defaultKey);
    }
  }
}
