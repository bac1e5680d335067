package dev.osscse.oss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osscse.oss.internal.MetadataKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the codec; rule ids refer to docs/format.md. */
class EnvelopeCodecPropertyTest {

  @Provide
  Arbitrary<Envelope> envelopes() {
    Arbitrary<byte[]> wrapped =
        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(Envelope.MAX_WRAPPED_LENGTH);
    Arbitrary<byte[]> kmsText =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(300)
            .map(b -> Base64.getEncoder().encodeToString(b).getBytes(StandardCharsets.US_ASCII));
    Arbitrary<Map<String, String>> matDesc =
        Arbitraries.maps(
                Arbitraries.strings().ofMaxLength(20), Arbitraries.strings().ofMaxLength(40))
            .ofMaxSize(5);
    Arbitrary<Long> optLen = Arbitraries.longs().between(-1, Envelope.MAX_OBJECT_SIZE);
    Arbitrary<Long> optPart = Arbitraries.longs().between(-1, Envelope.MAX_PART_SIZE / 16);
    Arbitrary<Boolean> kms = Arbitraries.of(true, false);
    return Combinators.combine(kms, wrapped, wrapped, kmsText, kmsText, matDesc, optLen, optPart)
        .as(
            (isKms, k, i, kk, ki, md, len, part) -> {
              Envelope.Builder b =
                  isKms
                      ? Envelope.builder(kk, ki, WrapAlgorithm.KMS_ALICLOUD)
                      : Envelope.builder(k, i, WrapAlgorithm.RSA_PKCS1);
              b.matDesc(md);
              if (len >= 0) {
                b.unencryptedLength(len).dataSize(len);
              }
              if (part > 0) {
                b.partSize(part * 16);
              }
              if (len % 3 == 0) {
                b.unencryptedMd5(Base64.getEncoder().encodeToString(new byte[16]));
              }
              return b.build();
            });
  }

  /** FMT-1..FMT-10 written, FMT-11..FMT-15 read: decode(encode(e)) == e. */
  @Property(tries = 300)
  void encodeThenDecode_roundTrips(@ForAll("envelopes") Envelope e) throws Exception {
    assertThat(EnvelopeCodec.fromUserMetadata(EnvelopeCodec.toUserMetadata(e))).contains(e);
    assertThat(EnvelopeCodec.fromHeaders(EnvelopeCodec.toHeaders(e))).contains(e);
  }

  private static final List<String> FIELDS =
      List.of(
          MetadataKeys.KEY,
          MetadataKeys.START,
          MetadataKeys.CEK_ALG,
          MetadataKeys.WRAP_ALG,
          MetadataKeys.MATDESC,
          MetadataKeys.UNENCRYPTED_CONTENT_LENGTH,
          MetadataKeys.UNENCRYPTED_CONTENT_MD5,
          MetadataKeys.DATA_SIZE,
          MetadataKeys.PART_SIZE,
          MetadataKeys.LEGACY_KEY,
          MetadataKeys.LEGACY_START,
          MetadataKeys.LEGACY_CEK_ALG,
          MetadataKeys.LEGACY_WRAP_ALG);

  /**
   * FMT-14: random garbage yields either a decoded envelope or an EnvelopeException, nothing else.
   */
  @Property(tries = 1000)
  void garbage_onlyEnvelopeException(
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 12) Integer> which,
      @ForAll @Size(max = 8) List<String> values) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < which.size() && i < values.size(); i++) {
      m.put(FIELDS.get(which.get(i)), values.get(i));
    }
    try {
      EnvelopeCodec.fromUserMetadata(m);
    } catch (EnvelopeException expected) {
      assertThat(expected.field()).isNotBlank();
    }
  }

  /**
   * FMT-14: one field of a valid envelope replaced by garbage still gives only EnvelopeException.
   */
  @Property(tries = 1000)
  void mutatedValid_onlyEnvelopeException(
      @ForAll("envelopes") Envelope e,
      @ForAll @IntRange(min = 0, max = 12) int field,
      @ForAll String garbage) {
    Map<String, String> m = new HashMap<>(EnvelopeCodec.toUserMetadata(e));
    String wrappedKeyText = m.get(MetadataKeys.KEY);
    m.put(FIELDS.get(field), garbage);
    try {
      EnvelopeCodec.fromUserMetadata(m);
    } catch (EnvelopeException expected) {
      if (wrappedKeyText.length() >= 8) {
        assertThat(expected.getMessage()).doesNotContain(wrappedKeyText);
      }
    }
  }
}
