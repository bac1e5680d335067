package dev.osscse.oss.reliability;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long Jazzer run of {@link JazzerFuzzTest}'s target (10 minutes), only with {@code -Pfuzz}
 * (which sets {@code osscse.fuzz.long=true}).
 */
@EnabledIfSystemProperty(named = "osscse.fuzz.long", matches = "true")
class JazzerLongFuzzTest {
  private final JazzerFuzzTest target = new JazzerFuzzTest();

  @FuzzTest(maxDuration = "10m")
  void envelopeCodecAndRangeParserLong(FuzzedDataProvider data) {
    target.envelopeCodecAndRangeParser(data);
  }
}
