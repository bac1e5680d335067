package dev.osscse.local.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.kms.model.v20160120.DescribeKeyRequest;
import com.aliyuncs.profile.DefaultProfile;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stale and replayed KMS requests are refused: the {@code Timestamp} must be within 15 minutes of
 * the server clock, and a {@code SignatureNonce} is accepted once. The server clock is moved
 * instead of sleeping.
 */
class KmsFreshnessTest {
  private static final String AK = "LTAItestAccessKey";
  private static final String SK = "testSecret";

  @TempDir Path dir;
  private MutableClock clock;
  private LocalKmsServer kms;
  private String keyId;

  @BeforeEach
  void start() throws Exception {
    clock = new MutableClock();
    kms =
        LocalKmsServer.builder()
            .dir(dir)
            .credentials(AK, SK)
            .clock(clock)
            .nonceCapacity(3)
            .httpsPort(-1)
            .build()
            .start();
    keyId = kms.createKey();
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  private void describeKeyWithSdk() throws ClientException {
    DefaultProfile profile = DefaultProfile.getProfile("cn-hangzhou", AK, SK);
    HttpClientConfig config = HttpClientConfig.getDefault();
    config.setCompatibleMode(true);
    profile.setHttpClientConfig(config);
    DefaultAcsClient c = new DefaultAcsClient(profile);
    try {
      DescribeKeyRequest req = new DescribeKeyRequest();
      URI ep = kms.httpEndpoint();
      req.setSysEndpoint(ep.getHost() + ":" + ep.getPort());
      req.setSysProtocol(ProtocolType.HTTP);
      req.setKeyId(keyId);
      assertThat(c.getAcsResponse(req).getKeyMetadata().getKeyId()).isEqualTo(keyId);
    } finally {
      c.shutdown();
    }
  }

  /** A signed DescribeKey query string with the given Timestamp and nonce. */
  private String signedQuery(Instant timestamp, String nonce) {
    Map<String, String> p = new TreeMap<>();
    p.put("Action", "DescribeKey");
    p.put("Version", "2016-01-20");
    p.put("Format", "JSON");
    p.put("AccessKeyId", AK);
    p.put("SignatureMethod", "HMAC-SHA1");
    p.put("SignatureVersion", "1.0");
    if (nonce != null) {
      p.put("SignatureNonce", nonce);
    }
    if (timestamp != null) {
      p.put("Timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    p.put("KeyId", keyId);
    p.put("Signature", RpcSignature.sign(RpcSignature.stringToSign("POST", p), SK));
    StringBuilder q = new StringBuilder();
    p.forEach(
        (k, v) ->
            q.append(q.length() == 0 ? "?" : "&")
                .append(RpcSignature.percentEncode(k))
                .append('=')
                .append(RpcSignature.percentEncode(v)));
    return kms.httpEndpoint() + "/" + q;
  }

  /** POSTs an empty body; returns {status, body}. */
  private static String[] post(String url) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.getOutputStream().close();
    int code = c.getResponseCode();
    try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
      return new String[] {
        String.valueOf(code), new String(in.readAllBytes(), StandardCharsets.UTF_8)
      };
    }
  }

  @Test
  void staleTimestamp_fromSdk_isInvalidTimeStampExpired() {
    for (Duration serverAhead : new Duration[] {Duration.ofMinutes(16), Duration.ofMinutes(-32)}) {
      clock.advance(serverAhead);
      assertThatThrownBy(this::describeKeyWithSdk)
          .isInstanceOfSatisfying(
              ClientException.class,
              e -> assertThat(e.getErrCode()).isEqualTo("InvalidTimeStamp.Expired"));
      clock.advance(serverAhead.negated());
    }
  }

  @Test
  void timestampWithin15Minutes_fromSdk_isAccepted() throws Exception {
    clock.advance(Duration.ofMinutes(14));
    describeKeyWithSdk();
    clock.advance(Duration.ofMinutes(-28));
    describeKeyWithSdk();
  }

  @Test
  void replayedRequest_sameNonce_isSignatureNonceUsed() throws Exception {
    String captured = signedQuery(clock.instant(), UUID.randomUUID().toString());
    assertThat(post(captured)[0]).isEqualTo("200");
    String[] replay = post(captured);
    assertThat(replay[0]).isEqualTo("400");
    assertThat(replay[1]).contains("\"Code\":\"SignatureNonceUsed\"");
    describeKeyWithSdk(); // a fresh nonce still works
  }

  @Test
  void replayedRequest_afterItsNonceExpired_isRefusedAsStale() throws Exception {
    String captured = signedQuery(clock.instant(), UUID.randomUUID().toString());
    assertThat(post(captured)[0]).isEqualTo("200");
    clock.advance(Duration.ofMinutes(16));
    String[] replay = post(captured);
    assertThat(replay[0]).isEqualTo("400");
    assertThat(replay[1]).contains("\"Code\":\"InvalidTimeStamp.Expired\"");
  }

  @Test
  void nonceCache_isBoundedAndExpires_refusingRatherThanForgetting() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(post(signedQuery(clock.instant(), "n" + i))[0]).isEqualTo("200");
    }
    assertThat(kms.noncesHeld()).isEqualTo(3);
    String[] full = post(signedQuery(clock.instant(), "n3"));
    assertThat(full[0]).isEqualTo("503");
    // the first three can still not be replayed
    assertThat(post(signedQuery(clock.instant(), "n0"))[1]).contains("SignatureNonceUsed");
    clock.advance(Duration.ofMinutes(16));
    assertThat(post(signedQuery(clock.instant(), "n4"))[0]).isEqualTo("200");
    assertThat(kms.noncesHeld()).isEqualTo(1);
  }

  @Test
  void missingOrMalformedTimestampOrNonce_isRefused() throws Exception {
    String[] noTime = post(signedQuery(null, "a"));
    assertThat(noTime[0]).isEqualTo("400");
    assertThat(noTime[1]).contains("MissingParameter").contains("Timestamp");
    String[] noNonce = post(signedQuery(clock.instant(), null));
    assertThat(noNonce[0]).isEqualTo("400");
    assertThat(noNonce[1]).contains("MissingParameter").contains("SignatureNonce");
  }

  @Test
  void unsignedRequest_isRefusedUnlessAnonymousIsExplicit(@TempDir Path other) throws Exception {
    String unsigned = "/?Action=DescribeKey&Version=2016-01-20&KeyId=" + keyId;
    String[] refused = post(kms.httpEndpoint() + unsigned);
    assertThat(refused[0]).isEqualTo("400");
    assertThat(refused[1]).contains("MissingParameter");
    try (LocalKmsServer open =
        LocalKmsServer.builder().dir(other).allowAnonymous().httpsPort(-1).build().start()) {
      String id = open.createKey();
      String[] ok =
          post(open.httpEndpoint() + "/?Action=DescribeKey&Version=2016-01-20&KeyId=" + id);
      assertThat(ok[0]).isEqualTo("200");
    }
    assertThatThrownBy(
            () -> LocalKmsServer.builder().dir(other).credentials(AK, SK).allowAnonymous().build())
        .isInstanceOf(IllegalStateException.class);
  }
}
