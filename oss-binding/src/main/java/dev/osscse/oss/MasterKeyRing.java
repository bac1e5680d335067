package dev.osscse.oss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The master keys a reader holds, and the order in which they are tried for an object.
 *
 * <p><b>What it is.</b> An ordered list of {@link MasterKey}s, an optional explicit default, and a
 * choice between two modes:
 *
 * <ul>
 *   <li><b>Selection</b> (the default): {@link #candidates(Envelope)} is the first key whose kind
 *       fits the object's wrap algorithm and whose description equals the object's parsed matdesc
 *       (an absent matdesc is the empty map); if none matches, the default when its kind fits.
 *   <li><b>Trial</b> ({@link Builder#tryEveryKey()}): every key whose kind fits, those whose
 *       description equals the matdesc first, then the default, then the others in the order added.
 *       {@link EnvelopeCrypto#open(Envelope, MasterKeyRing)} unwraps with each in turn and keeps
 *       the first that succeeds. For keys that carry no description (PEM files, a KMS key named on
 *       a command line).
 * </ul>
 *
 * <p><b>Security guarantees.</b> Selection uses only parsed maps, no reflection and no string
 * comparison of JSON (FMT-7). A trial that fails with every key ends with the same {@code
 * InvalidKeyException("unwrap failed")} as a single wrong key, whichever key failed how; only a KMS
 * failure that is not about the ciphertext (an outage, a key not found) keeps its {@code
 * KeyServiceException} cause, and a transient one ends the trial at once.
 *
 * <p><b>Restrictions / failure behaviour.</b> No fitting key throws {@link
 * NoMatchingMasterKeyException}. A trial costs one unwrap attempt per wrong key before the right
 * one (an RSA private-key operation or a KMS call each).
 *
 * <pre>{@code
 * MasterKeyRing ring = MasterKeyRing.builder()
 *     .add(MasterKey.rsa(oldPair, Map.of("gen", "1")))
 *     .defaultKey(MasterKey.rsa(newPair, Map.of("gen", "2")))
 *     .build();
 * MasterKeyRing anyOf = MasterKeyRing.builder().add(k1).add(k2).add(k3).tryEveryKey().build();
 * }</pre>
 */
public final class MasterKeyRing {
  private static final MasterKeyRing NONE = new MasterKeyRing(List.of(), null, false);

  private final List<MasterKey> keys;
  private final MasterKey defaultKey; // may be null
  private final boolean tryEveryKey;

  private MasterKeyRing(List<MasterKey> keys, MasterKey defaultKey, boolean tryEveryKey) {
    this.keys = List.copyOf(keys);
    this.defaultKey = defaultKey;
    this.tryEveryKey = tryEveryKey;
  }

  /** A ring of the given keys and no default. */
  public static MasterKeyRing of(MasterKey... keys) {
    Builder b = builder();
    Arrays.stream(keys).forEach(b::add);
    return b.build();
  }

  /**
   * The ring without any key: every encrypted object is refused with {@link
   * NoMatchingMasterKeyException}. With {@code allowPlaintextObjects(true)} on the client builder,
   * the key-less mode for reading plaintext objects.
   */
  public static MasterKeyRing none() {
    return NONE;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The keys in the order added (the default included if it was added). */
  public List<MasterKey> keys() {
    return keys;
  }

  /** True for a ring built with {@link Builder#tryEveryKey()}. */
  public boolean triesEveryKey() {
    return tryEveryKey;
  }

  /**
   * Selects the master key for an envelope: the first of {@link #candidates(Envelope)}.
   *
   * @throws NoMatchingMasterKeyException if no key fits and no default of the right kind is set
   */
  public MasterKey select(Envelope envelope) throws NoMatchingMasterKeyException {
    return candidates(envelope).get(0);
  }

  /**
   * The keys to unwrap {@code envelope} with, in the order they are tried (one key unless the ring
   * tries every key); never empty.
   *
   * @throws NoMatchingMasterKeyException if no key fits
   */
  public List<MasterKey> candidates(Envelope envelope) throws NoMatchingMasterKeyException {
    WrapAlgorithm.Kind kind = envelope.wrapAlgorithm().kind();
    List<MasterKey> fitting =
        keys.stream().filter(k -> k.kind() == kind && k.canDecrypt()).toList();
    Set<MasterKey> out = new LinkedHashSet<>();
    fitting.stream().filter(k -> k.description().equals(envelope.matDesc())).forEach(out::add);
    if (fitting.contains(defaultKey)) { // the default is one of the keys
      out.add(defaultKey);
    }
    if (tryEveryKey) {
      out.addAll(fitting);
    }
    if (out.isEmpty()) {
      throw new NoMatchingMasterKeyException(envelope.wrapAlgorithm(), envelope.matDesc().keySet());
    }
    return tryEveryKey ? List.copyOf(out) : List.of(out.iterator().next());
  }

  @Override
  public String toString() {
    String mode = tryEveryKey ? ", tryEveryKey" : "";
    return "MasterKeyRing[keys=" + keys + ", default=" + defaultKey + mode + "]";
  }

  /** Builds a {@link MasterKeyRing}. */
  public static final class Builder {
    private final List<MasterKey> keys = new ArrayList<>();
    private MasterKey defaultKey;
    private boolean tryEveryKey;

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

    /**
     * Tries every key of the object's kind until one unwraps, in the class documentation's order.
     */
    public Builder tryEveryKey() {
      this.tryEveryKey = true;
      return this;
    }

    /** Builds the ring; it must hold at least one key (see {@link #none()} for none). */
    public MasterKeyRing build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException(
            "a master key ring needs at least one key (MasterKeyRing.none() has none)");
      }
      return new MasterKeyRing(keys, defaultKey, tryEveryKey);
    }
  }
}
