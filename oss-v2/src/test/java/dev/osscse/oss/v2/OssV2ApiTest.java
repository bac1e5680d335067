package dev.osscse.oss.v2;

import dev.osscse.provider.testing.ApiDump;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The V2 module's public API (every package without an {@code internal} segment: {@code
 * dev.osscse.oss.v2}) equals the committed baseline {@code oss-v2/api/oss-v2.api}; see {@link
 * ApiDump} for how to regenerate it.
 */
class OssV2ApiTest {
  @Test
  void publicApi_matchesTheCommittedBaseline() throws IOException {
    ApiDump.assertMatchesBaseline("oss-v2", OssV2ObjectStore.class);
  }
}
