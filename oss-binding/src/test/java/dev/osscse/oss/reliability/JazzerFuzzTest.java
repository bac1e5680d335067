package dev.osscse.oss.reliability;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the envelope codec and the range parser with Jazzer
 * (docs/reliability.md section 4). With {@code JAZZER_FUZZ=1} (set by the build for this module) it
 * fuzzes for {@code maxDuration}; without it, it replays the stored inputs only. Only the
 * documented exception types may escape ({@link FuzzTargets}).
 */
class JazzerFuzzTest {
  private static final List<String> FIELDS =
      List.of(
          "client-side-encryption-key",
          "client-side-encryption-start",
          "client-side-encryption-cek-alg",
          "client-side-encryption-wrap-alg",
          "client-side-encryption-matdesc",
          "client-side-encryption-unencrypted-content-length",
          "client-side-encryption-data-size",
          "client-side-encryption-part-size",
          "oss-crypto-key",
          "oss-crypto-start",
          "oss-cek-alg",
          "oss-wrap-alg");

  @FuzzTest(maxDuration = "5s")
  void envelopeCodecAndRangeParser(FuzzedDataProvider data) {
    FuzzTargets.Stats stats = new FuzzTargets.Stats();
    if (data.consumeBoolean()) {
      FuzzTargets.range(data.consumeRemainingAsString(), stats);
      return;
    }
    Map<String, String> m = new LinkedHashMap<>();
    if (data.consumeBoolean()) {
      m.put(FIELDS.get(0), "QUJD");
      m.put(FIELDS.get(1), "QUJD");
      m.put(FIELDS.get(2), "AES/CTR/NoPadding");
      m.put(FIELDS.get(3), data.consumeBoolean() ? "RSA/NONE/PKCS1Padding" : "KMS/ALICLOUD");
    }
    int n = data.consumeInt(0, 10);
    for (int i = 0; i < n; i++) {
      String field = data.consumeBoolean() ? data.pickValue(FIELDS) : data.consumeString(48);
      m.put(field, data.consumeString(2000));
    }
    FuzzTargets.envelope(m, stats);
  }
}
