package dev.osscse.oss.reliability;

import dev.osscse.oss.ByteRange;
import dev.osscse.oss.Envelope;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.EnvelopeException;
import dev.osscse.oss.InvalidByteRangeException;
import dev.osscse.oss.WrapAlgorithm;
import java.util.Map;
import java.util.Optional;

/**
 * The fuzz targets (docs/reliability.md section 4): each feeds untrusted input to one parser and
 * lets through only the documented exception type; anything else (a RuntimeException, an Error
 * other than OutOfMemoryError from the harness) is a finding and propagates.
 */
public final class FuzzTargets {
  private FuzzTargets() {}

  /** Outcome counters, for the run summary. */
  public static final class Stats {
    long accepted;
    long refused;

    @Override
    public String toString() {
      return "accepted=" + accepted + " refused=" + refused;
    }
  }

  /**
   * Decodes user metadata; only {@link EnvelopeException} may escape. An accepted standard envelope
   * must encode and decode back to an equal envelope.
   */
  public static void envelope(Map<String, String> userMetadata, Stats stats) {
    Optional<Envelope> e;
    try {
      e = EnvelopeCodec.fromUserMetadata(userMetadata);
    } catch (EnvelopeException expected) {
      if (expected.field() == null || expected.getMessage() == null) {
        throw new AssertionError("EnvelopeException without field or message", expected);
      }
      stats.refused++;
      return;
    }
    stats.accepted++;
    if (e.isEmpty()
        || e.get().format() != Envelope.Format.STANDARD
        || e.get().wrapAlgorithm() == WrapAlgorithm.RSA_OAEP_SHA1) {
      return; // read-only forms are not written back
    }
    Map<String, String> again = EnvelopeCodec.toUserMetadata(e.get());
    Optional<Envelope> back;
    try {
      back = EnvelopeCodec.fromUserMetadata(again);
    } catch (EnvelopeException ex) {
      throw new AssertionError("an accepted envelope does not decode after encoding", ex);
    }
    if (back.isEmpty()) {
      throw new AssertionError("an encoded envelope decodes to nothing");
    }
    // Writing normalises once (a lone surrogate in matdesc becomes U+FFFD, as Go writes it);
    // after that, encode and decode must be a fixed point.
    Map<String, String> once = EnvelopeCodec.toUserMetadata(back.get());
    try {
      Map<String, String> twice =
          EnvelopeCodec.toUserMetadata(EnvelopeCodec.fromUserMetadata(once).orElseThrow());
      if (!twice.equals(once)) {
        throw new AssertionError("encode/decode is not a fixed point after one normalisation");
      }
    } catch (EnvelopeException ex) {
      throw new AssertionError("a normalised envelope does not decode", ex);
    }
  }

  /** Decodes raw headers; only {@link EnvelopeException} may escape. */
  public static void headers(Map<String, String> headers, Stats stats) {
    try {
      EnvelopeCodec.fromHeaders(headers);
      stats.accepted++;
    } catch (EnvelopeException expected) {
      stats.refused++;
    }
  }

  /**
   * Parses a range; only {@link InvalidByteRangeException} may escape. An accepted range prints to
   * a text that parses back to an equal range.
   */
  public static void range(String text, Stats stats) {
    ByteRange r;
    try {
      r = ByteRange.parse(text);
    } catch (InvalidByteRangeException expected) {
      if (expected.getMessage() == null || expected.getMessage().isEmpty()) {
        throw new AssertionError("InvalidByteRangeException without message", expected);
      }
      stats.refused++;
      return;
    }
    stats.accepted++;
    if (!ByteRange.parse(r.toString()).equals(r) || !ByteRange.parse("bytes=" + r).equals(r)) {
      throw new AssertionError("range round trip differs for " + r);
    }
    if (!r.isSuffix() && (r.first() < 0 || (r.last() >= 0 && r.last() < r.first()))) {
      throw new AssertionError("accepted an invalid range " + r);
    }
  }
}
