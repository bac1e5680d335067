package dev.osscse.aliyun.kms;

import dev.osscse.provider.testing.ApiDump;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The Alibaba KMS adapter's public API ({@code dev.osscse.aliyun.kms}) equals the committed
 * baseline {@code kms-aliyun/api/kms-aliyun.api}; see {@link ApiDump} for how to regenerate it.
 */
class KmsAliyunApiTest {
  @Test
  void publicApi_matchesTheCommittedBaseline() throws IOException {
    ApiDump.assertMatchesBaseline("kms-aliyun", AliyunKmsKeyService.class);
  }
}
