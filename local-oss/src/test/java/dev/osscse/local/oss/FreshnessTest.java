package dev.osscse.local.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stale, replayed and expired requests, and anonymous servers: the local endpoint refuses what OSS
 * refuses. The server clock is moved instead of sleeping; the SDK's own {@code tickOffset} skews
 * the times it signs.
 */
class FreshnessTest {
  private static final Duration SIXTEEN_MINUTES = Duration.ofMinutes(16);
  private static final Duration FOURTEEN_MINUTES = Duration.ofMinutes(14);

  @TempDir Path dir;
  MutableClock clock;
  LocalOssServer server;
  RawOss raw;

  @BeforeEach
  void start() {
    clock = new MutableClock();
    server =
        LocalOssServer.builder()
            .dataDirectory(dir)
            .credentials("ak", "sk")
            .clock(clock)
            .build()
            .start();
    server.createBucket("bkt");
    raw = new RawOss(server.endpoint(), "ak", "sk");
  }

  @AfterEach
  void stop() {
    raw.close();
    server.close();
  }

  private OSS sdk(SignVersion version, Duration tickOffset) {
    ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
    conf.setSignatureVersion(version);
    if (!tickOffset.isZero()) {
      // the SDK takes the server time it should assume and signs with now + (that - now)
      conf.setTickOffset(System.currentTimeMillis() + tickOffset.toMillis());
    }
    conf.setMaxErrorRetry(0);
    return OSSClientBuilder.create()
        .endpoint(server.endpoint())
        .credentialsProvider(new DefaultCredentialProvider("ak", "sk"))
        .clientConfiguration(conf)
        .region("cn-hangzhou")
        .build();
  }

  private static void assertSkewed(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            OSSException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo("RequestTimeTooSkewed");
              assertThat(e.getRawResponseError()).contains("<MaxAllowedSkewMilliseconds>900000<");
            });
  }

  @Test
  void staleV1Date_fromSdk_isRequestTimeTooSkewed_andNothingIsStored() {
    OSS stale = sdk(SignVersion.V1, SIXTEEN_MINUTES.negated());
    try {
      assertSkewed(() -> stale.putObject("bkt", "k", new ByteArrayInputStream(new byte[3])));
    } finally {
      stale.shutdown();
    }
    OSS fresh = sdk(SignVersion.V1, Duration.ZERO);
    try {
      assertThat(fresh.doesObjectExist("bkt", "k")).isFalse();
    } finally {
      fresh.shutdown();
    }
  }

  @Test
  void futureV1Date_fromSdk_isRequestTimeTooSkewed() {
    OSS ahead = sdk(SignVersion.V1, SIXTEEN_MINUTES);
    try {
      assertSkewed(() -> ahead.listObjects("bkt"));
    } finally {
      ahead.shutdown();
    }
  }

  @Test
  void staleAndFutureV4Date_fromSdk_areRequestTimeTooSkewed() {
    for (Duration offset : new Duration[] {SIXTEEN_MINUTES.negated(), SIXTEEN_MINUTES}) {
      OSS v4 = sdk(SignVersion.V4, offset);
      try {
        assertSkewed(() -> v4.putObject("bkt", "k", new ByteArrayInputStream(new byte[3])));
      } finally {
        v4.shutdown();
      }
    }
  }

  @Test
  void datesWithin15Minutes_fromSdk_areAccepted() {
    for (SignVersion version : new SignVersion[] {SignVersion.V1, SignVersion.V4}) {
      for (Duration offset : new Duration[] {FOURTEEN_MINUTES.negated(), FOURTEEN_MINUTES}) {
        OSS c = sdk(version, offset);
        try {
          c.putObject("bkt", "ok", new ByteArrayInputStream(new byte[] {1, 2}));
          assertThat(c.getObjectMetadata("bkt", "ok").getContentLength()).isEqualTo(2);
        } finally {
          c.shutdown();
        }
      }
    }
  }

  @Test
  void replayedSignedRequest_after15Minutes_isRefused() throws Exception {
    Instant signedAt = clock.instant();
    byte[] body = "first".getBytes(StandardCharsets.UTF_8);
    assertThat(raw.sendAt(signedAt, "PUT", "/bkt/r", "/bkt/r", Map.of(), body, "sk").status())
        .isEqualTo(200);
    clock.advance(SIXTEEN_MINUTES);
    RawOss.Reply replay = raw.sendAt(signedAt, "PUT", "/bkt/r", "/bkt/r", Map.of(), body, "sk");
    assertThat(replay.status()).isEqualTo(403);
    assertThat(replay.body())
        .contains("<Code>RequestTimeTooSkewed</Code>")
        .contains("<RequestTime>")
        .contains("<ServerTime>");
  }

  @Test
  void signedRequestWithoutDate_isAccessDenied() throws Exception {
    RawOss.Reply r = raw.sendAt(null, "GET", "/bkt/", "/bkt/", Map.of(), null, "sk");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("<Code>AccessDenied</Code>").contains("Date");
  }

  @Test
  @SuppressWarnings("JavaUtilDate") // the SDK's presigning API takes a Date
  void expiredPresignedUrl_isAccessDenied_evenWhenItWasValidWhenMade() throws Exception {
    raw.send("PUT", "/bkt/p", "/bkt/p", Map.of(), "data".getBytes(StandardCharsets.UTF_8));
    OSS c = sdk(SignVersion.V1, Duration.ZERO);
    RawOss anon = new RawOss("", "ak", "sk");
    try {
      URL url = c.generatePresignedUrl("bkt", "p", new Date(System.currentTimeMillis() + 60_000));
      assertThat(anon.send("GET", url.toString(), "", Map.of(), null, null).status())
          .isEqualTo(200);
      clock.advance(Duration.ofMinutes(2));
      RawOss.Reply replay = anon.send("GET", url.toString(), "", Map.of(), null, null);
      assertThat(replay.status()).isEqualTo(403);
      assertThat(replay.body())
          .contains("<Code>AccessDenied</Code>")
          .contains("Request has expired");
    } finally {
      anon.close();
      c.shutdown();
    }
  }

  @Test
  void presignedExpiresMissingMalformedOrPast_isAccessDenied() throws Exception {
    RawOss anon = new RawOss(server.endpoint(), "ak", "sk");
    try {
      for (String expires : new String[] {"99999999999999999999", "-1", "abc", ""}) {
        RawOss.Reply r =
            anon.send(
                "GET",
                "/bkt/p?OSSAccessKeyId=ak&Expires=" + expires + "&Signature=AAAA",
                "",
                Map.of(),
                null,
                null);
        assertThat(r.status()).as(expires).isEqualTo(403);
        assertThat(r.body()).as(expires).contains("<Code>AccessDenied</Code>");
      }
    } finally {
      anon.close();
    }
  }

  @Test
  @SuppressWarnings("JavaUtilDate") // the SDK's presigning API takes a Date
  void presignedUrlBeyondTheConfiguredValidity_isAccessDenied(@TempDir Path other)
      throws Exception {
    try (LocalOssServer bounded =
        LocalOssServer.builder()
            .dataDirectory(other)
            .credentials("ak", "sk")
            .maxPresignedValidity(Duration.ofHours(1))
            .build()
            .start()) {
      bounded.createBucket("bkt");
      OSS c = new OSSClientBuilder().build(bounded.endpoint(), "ak", "sk");
      RawOss anon = new RawOss("", "ak", "sk");
      try {
        c.putObject("bkt", "p", new ByteArrayInputStream(new byte[1]));
        URL ok = c.generatePresignedUrl("bkt", "p", new Date(System.currentTimeMillis() + 60_000));
        assertThat(anon.send("GET", ok.toString(), "", Map.of(), null, null).status())
            .isEqualTo(200);
        URL far =
            c.generatePresignedUrl(
                "bkt",
                "p",
                new Date(System.currentTimeMillis() + Duration.ofDays(3650).toMillis()));
        RawOss.Reply r = anon.send("GET", far.toString(), "", Map.of(), null, null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>AccessDenied</Code>").contains("Expires");
      } finally {
        anon.close();
        c.shutdown();
      }
    }
  }

  @Test
  void serverWithoutCredentials_isRefusedUnlessAnonymousIsExplicit(@TempDir Path other) {
    assertThatThrownBy(() -> LocalOssServer.builder().dataDirectory(other).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("allowAnonymous");
    assertThatThrownBy(
            () ->
                LocalOssServer.builder()
                    .dataDirectory(other)
                    .credentials("ak", "sk")
                    .allowAnonymous()
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void initiateWithEmptyValuedUploads_signedAsTheSdksSignIt_isAccepted() throws Exception {
    // SDK V2 sends "?uploads=" and signs the sub-resource as "?uploads", as OSS expects
    RawOss.Reply r = raw.send("POST", "/bkt/mp?uploads=", "/bkt/mp?uploads", Map.of(), null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("<UploadId>");
    // and the form SDK 3.18.5 sends still works
    OSS c = sdk(SignVersion.V1, Duration.ZERO);
    try {
      assertThat(
              c.initiateMultipartUpload(new InitiateMultipartUploadRequest("bkt", "mp2"))
                  .getUploadId())
          .isNotEmpty();
    } finally {
      c.shutdown();
    }
  }

  @Test
  void emptyValuedUploadsSignedWithTheEqualsSign_isRefused() throws Exception {
    RawOss.Reply r = raw.send("POST", "/bkt/mp?uploads=", "/bkt/mp?uploads=", Map.of(), null);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("<Code>SignatureDoesNotMatch</Code>");
  }
}
