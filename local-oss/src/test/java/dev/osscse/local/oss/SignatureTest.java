package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignatureTest {
  @TempDir static Path dir;
  static LocalOssServer server;
  static RawOss raw;

  @BeforeAll
  static void start() throws Exception {
    server =
        LocalOssServer.builder()
            .dataDirectory(dir)
            .credentials("ak", "sk")
            .credentials("ak2", "sk2")
            .build()
            .start();
    server.createBucket("bkt");
    raw = new RawOss(server.endpoint(), "ak", "sk");
    raw.send("PUT", "/bkt/k", "/bkt/k", Map.of(), "data".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    raw.close();
    server.close();
  }

  @Test
  void request_validSignature_accepted() throws Exception {
    RawOss.Reply r = raw.get("/bkt/k", "/bkt/k", Map.of("x-oss-meta-x", "1"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("data");
    assertThat(r.header("x-oss-request-id")).isNotEmpty();
  }

  @Test
  void request_wrongSecret_signatureDoesNotMatch() throws Exception {
    RawOss.Reply r = raw.send("GET", "/bkt/k", "/bkt/k", Map.of(), null, "wrong");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("<Code>SignatureDoesNotMatch</Code>").contains("<StringToSign>");
    assertThat(r.header("x-oss-request-id")).isNotEmpty();
  }

  @Test
  void request_signedHeaderTamperedAfterSigning_refused() throws Exception {
    // signed over resource /bkt/other but sent to /bkt/k
    RawOss.Reply r = raw.send("GET", "/bkt/k", "/bkt/other", Map.of(), null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("SignatureDoesNotMatch");
  }

  @Test
  void request_unknownAccessKey_invalidAccessKeyId() throws Exception {
    RawOss other = new RawOss(server.endpoint(), "nobody", "sk");
    try {
      RawOss.Reply r = other.get("/bkt/k", "/bkt/k", Map.of());
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).contains("<Code>InvalidAccessKeyId</Code>");
    } finally {
      other.close();
    }
  }

  @Test
  void request_anonymous_accessDenied() throws Exception {
    RawOss.Reply r = raw.send("GET", "/bkt/k", "/bkt/k", Map.of(), null, null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("<Code>AccessDenied</Code>");
  }

  @Test
  void sdk_secondCredentialPair_accepted_wrongSecretRefused() {
    OSS ok = new OSSClientBuilder().build(server.endpoint(), "ak2", "sk2");
    OSS bad = new OSSClientBuilder().build(server.endpoint(), "ak2", "nope");
    try {
      ok.putObject("bkt", "two", new ByteArrayInputStream(new byte[] {1, 2}));
      assertThat(ok.doesObjectExist("bkt", "two")).isTrue();
      assertThatThrownBy(() -> bad.putObject("bkt", "two", new ByteArrayInputStream(new byte[1])))
          .isInstanceOfSatisfying(
              OSSException.class,
              e -> assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch"));
    } finally {
      ok.shutdown();
      bad.shutdown();
    }
  }

  @Test
  @SuppressWarnings("JavaUtilDate") // the SDK's presigning API takes a Date
  void presignedUrl_fromSdk_accepted_andExpiredRefused() throws Exception {
    OSS sdk = new OSSClientBuilder().build(server.endpoint(), "ak", "sk");
    try {
      URL url = sdk.generatePresignedUrl("bkt", "k", new Date(System.currentTimeMillis() + 60_000));
      RawOss anon = new RawOss("", "ak", "sk");
      RawOss.Reply r = anon.send("GET", url.toString(), "", Map.of(), null, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("data");
      URL expired =
          sdk.generatePresignedUrl("bkt", "k", new Date(System.currentTimeMillis() - 60_000));
      RawOss.Reply e = anon.send("GET", expired.toString(), "", Map.of(), null, null);
      assertThat(e.status()).isEqualTo(403);
      assertThat(e.body()).contains("expired");
      anon.close();
    } finally {
      sdk.shutdown();
    }
  }

  @Test
  void server_withoutCredentials_acceptsUnsigned(@TempDir Path other) throws Exception {
    try (LocalOssServer open =
        LocalOssServer.builder().dataDirectory(other).allowAnonymous().build().start()) {
      open.createBucket("bkt");
      RawOss anon = new RawOss(open.endpoint(), "x", "y");
      try {
        assertThat(anon.send("PUT", "/bkt/a", "", Map.of(), new byte[3], null).status())
            .isEqualTo(200);
      } finally {
        anon.close();
      }
    }
  }

  static OSS v4Client(String ak, String sk) {
    com.aliyun.oss.ClientBuilderConfiguration conf =
        new com.aliyun.oss.ClientBuilderConfiguration();
    conf.setSignatureVersion(com.aliyun.oss.common.comm.SignVersion.V4);
    return OSSClientBuilder.create()
        .endpoint(server.endpoint())
        .credentialsProvider(new com.aliyun.oss.common.auth.DefaultCredentialProvider(ak, sk))
        .clientConfiguration(conf)
        .region("cn-hangzhou")
        .build();
  }

  @Test
  void sdkV4_signedRequests_acceptedAcrossOperations() throws Exception {
    OSS v4 = v4Client("ak", "sk");
    try {
      com.aliyun.oss.model.ObjectMetadata m = new com.aliyun.oss.model.ObjectMetadata();
      m.addUserMetadata("k", "v");
      v4.putObject("bkt", "v4/a b+c", new ByteArrayInputStream(new byte[] {1, 2, 3}), m);
      assertThat(v4.getObjectMetadata("bkt", "v4/a b+c").getUserMetadata()).containsEntry("k", "v");
      assertThat(
              v4.listObjectsV2(
                      new com.aliyun.oss.model.ListObjectsV2Request("bkt").withPrefix("v4/"))
                  .getKeyCount())
          .isEqualTo(1);
      String id =
          v4.initiateMultipartUpload(
                  new com.aliyun.oss.model.InitiateMultipartUploadRequest("bkt", "v4/mp"))
              .getUploadId();
      v4.abortMultipartUpload(
          new com.aliyun.oss.model.AbortMultipartUploadRequest("bkt", "v4/mp", id));
    } finally {
      v4.shutdown();
    }
  }

  @Test
  void sdkV4_wrongSecret_signatureDoesNotMatch() {
    OSS bad = v4Client("ak", "wrong");
    try {
      assertThatThrownBy(() -> bad.getObjectMetadata("bkt", "k")).isInstanceOf(OSSException.class);
      assertThatThrownBy(() -> bad.putObject("bkt", "x", new ByteArrayInputStream(new byte[1])))
          .isInstanceOfSatisfying(
              OSSException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch");
                // the server verified a V4 string to sign, not a V1 one
                assertThat(e.getRawResponseError()).contains("<StringToSign>OSS4-HMAC-SHA256\n");
              });
    } finally {
      bad.shutdown();
    }
  }
}
