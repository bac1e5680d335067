package dev.osscse.oss;

import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.testing.ApiDump;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The binding's public API (its exported packages {@code dev.osscse.oss} and the storage SPI {@code
 * dev.osscse.oss.spi}; no internal package) equals the committed baseline {@code
 * oss-binding/api/oss-binding.api}; see {@link ApiDump} for how to regenerate it.
 */
class BindingApiTest {
  @Test
  void publicApi_matchesTheCommittedBaseline() throws IOException {
    ApiDump.assertMatchesBaseline("oss-binding", OssCseClient.class);
  }
}
