package dev.osscse.local.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.kms.model.v20160120.CreateKeyRequest;
import com.aliyuncs.kms.model.v20160120.DecryptRequest;
import com.aliyuncs.kms.model.v20160120.DescribeKeyRequest;
import com.aliyuncs.kms.model.v20160120.DisableKeyRequest;
import com.aliyuncs.kms.model.v20160120.EnableKeyRequest;
import com.aliyuncs.kms.model.v20160120.EncryptRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyRequest;
import com.aliyuncs.kms.model.v20160120.GenerateDataKeyResponse;
import com.aliyuncs.profile.DefaultProfile;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKmsServerTest {
  private static final String AK = "LTAItestAccessKey";
  private static final String SK = "testSecret";

  @TempDir Path dir;
  private LocalKmsServer kms;
  private String keyId;

  @BeforeEach
  void start() throws Exception {
    kms = LocalKmsServer.builder().dir(dir).credentials(AK, SK).build().start();
    keyId = kms.createKey();
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  private static DefaultAcsClient client(String secret, X509TrustManager tm) {
    DefaultProfile profile = DefaultProfile.getProfile("cn-hangzhou", AK, secret);
    HttpClientConfig config = HttpClientConfig.getDefault();
    config.setCompatibleMode(true);
    if (tm != null) {
      config.setX509TrustManagers(new X509TrustManager[] {tm});
    }
    profile.setHttpClientConfig(config);
    return new DefaultAcsClient(profile);
  }

  private static <T extends com.aliyuncs.AcsRequest<?>> T at(T req, URI endpoint) {
    req.setSysEndpoint(endpoint.getHost() + ":" + endpoint.getPort());
    req.setSysProtocol(
        "https".equals(endpoint.getScheme()) ? ProtocolType.HTTPS : ProtocolType.HTTP);
    return req;
  }

  private String encrypt(DefaultAcsClient c, URI ep, String plaintext, String ctx)
      throws Exception {
    EncryptRequest req = at(new EncryptRequest(), ep);
    req.setKeyId(keyId);
    req.setPlaintext(plaintext);
    if (ctx != null) {
      req.setEncryptionContext(ctx);
    }
    return c.getAcsResponse(req).getCiphertextBlob();
  }

  private String decrypt(DefaultAcsClient c, URI ep, String blob, String ctx) throws Exception {
    DecryptRequest req = at(new DecryptRequest(), ep);
    req.setCiphertextBlob(blob);
    if (ctx != null) {
      req.setEncryptionContext(ctx);
    }
    return c.getAcsResponse(req).getPlaintext();
  }

  @Test
  void encryptDecrypt_realSdkOverHttp_returnsSamePlaintext() throws Exception {
    DefaultAcsClient c = client(SK, null);
    String pt = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5});
    String blob = encrypt(c, kms.httpEndpoint(), pt, null);
    // Outer shape of a real blob: base64 of "<key uuid><base64>".
    String inner = new String(Base64.getDecoder().decode(blob), "US-ASCII");
    assertThat(inner).startsWith(keyId);
    assertThat(decrypt(c, kms.httpEndpoint(), blob, null)).isEqualTo(pt);
    assertThat(kms.requestCount("Encrypt")).isEqualTo(1);
    assertThat(kms.requestCount("Decrypt")).isEqualTo(1);
    c.shutdown();
  }

  @Test
  void generateDataKey_decryptOfBlob_returnsBase64DataKey() throws Exception {
    DefaultAcsClient c = client(SK, null);
    GenerateDataKeyRequest req = at(new GenerateDataKeyRequest(), kms.httpEndpoint());
    req.setKeyId(keyId);
    req.setKeySpec("AES_256");
    GenerateDataKeyResponse r = c.getAcsResponse(req);
    assertThat(Base64.getDecoder().decode(r.getPlaintext())).hasSize(32);
    assertThat(r.getKeyId()).isEqualTo(keyId);
    assertThat(decrypt(c, kms.httpEndpoint(), r.getCiphertextBlob(), null))
        .isEqualTo(r.getPlaintext());
  }

  @Test
  void describeAndCreateKey_overSdk_work() throws Exception {
    DefaultAcsClient c = client(SK, null);
    DescribeKeyRequest d = at(new DescribeKeyRequest(), kms.httpEndpoint());
    d.setKeyId(keyId);
    assertThat(c.getAcsResponse(d).getKeyMetadata().getKeyState()).isEqualTo("Enabled");
    String created =
        c.getAcsResponse(at(new CreateKeyRequest(), kms.httpEndpoint()))
            .getKeyMetadata()
            .getKeyId();
    assertThat(created).isNotEqualTo(keyId).hasSize(36);
  }

  @Test
  void decrypt_otherEncryptionContext_isRejected() throws Exception {
    DefaultAcsClient c = client(SK, null);
    String pt = Base64.getEncoder().encodeToString(new byte[16]);
    String blob = encrypt(c, kms.httpEndpoint(), pt, "{\"b\":\"2\",\"a\":\"1\"}");
    assertThat(decrypt(c, kms.httpEndpoint(), blob, "{\"a\":\"1\",\"b\":\"2\"}")).isEqualTo(pt);
    assertThatThrownBy(() -> decrypt(c, kms.httpEndpoint(), blob, "{\"a\":\"1\"}"))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("InvalidCiphertext"));
    assertThatThrownBy(() -> decrypt(c, kms.httpEndpoint(), blob, null))
        .isInstanceOf(ClientException.class);
  }

  @Test
  void unknownKey_isForbiddenKeyNotFound404() throws Exception {
    DefaultAcsClient c = client(SK, null);
    EncryptRequest req = at(new EncryptRequest(), kms.httpEndpoint());
    req.setKeyId("00000000-0000-0000-0000-000000000000");
    req.setPlaintext("AAAA");
    assertThatThrownBy(() -> c.getAcsResponse(req))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("Forbidden.KeyNotFound"));
  }

  @Test
  void disabledKey_refusesEncryptAndDecrypt_untilEnabledAgain() throws Exception {
    DefaultAcsClient c = client(SK, null);
    String pt = Base64.getEncoder().encodeToString(new byte[] {9, 8, 7});
    String blob = encrypt(c, kms.httpEndpoint(), pt, null);
    DisableKeyRequest off = at(new DisableKeyRequest(), kms.httpEndpoint());
    off.setKeyId(keyId);
    c.getAcsResponse(off);
    DescribeKeyRequest d = at(new DescribeKeyRequest(), kms.httpEndpoint());
    d.setKeyId(keyId);
    assertThat(c.getAcsResponse(d).getKeyMetadata().getKeyState()).isEqualTo("Disabled");
    assertThatThrownBy(() -> decrypt(c, kms.httpEndpoint(), blob, null))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("Forbidden.KeyNotEnabled"));
    assertThatThrownBy(() -> encrypt(c, kms.httpEndpoint(), pt, null))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("Forbidden.KeyNotEnabled"));
    EnableKeyRequest on = at(new EnableKeyRequest(), kms.httpEndpoint());
    on.setKeyId(keyId);
    c.getAcsResponse(on);
    assertThat(decrypt(c, kms.httpEndpoint(), blob, null)).isEqualTo(pt);
    c.shutdown();
  }

  @Test
  void encryptDecrypt_overHttpsWithGeneratedTrustStore_works() throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(kms.trustStorePath())) {
      ts.load(in, kms.trustStorePassword().toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ts);
    X509TrustManager tm = null;
    for (TrustManager t : tmf.getTrustManagers()) {
      if (t instanceof X509TrustManager) {
        tm = (X509TrustManager) t;
      }
    }
    DefaultAcsClient c = client(SK, tm);
    URI https = kms.httpsEndpoint();
    assertThat(https.getScheme()).isEqualTo("https");
    String blob = encrypt(c, https, "aGVsbG8=", null);
    assertThat(decrypt(c, https, blob, null)).isEqualTo("aGVsbG8=");
  }

  @Test
  void https_withoutTrustStore_isRefused() {
    DefaultAcsClient c = client(SK, null);
    assertThatThrownBy(() -> encrypt(c, kms.httpsEndpoint(), "aGVsbG8=", null))
        .isInstanceOf(ClientException.class);
    assertThat(kms.requestCount()).isZero();
  }

  @Test
  void wrongSecret_isRefusedAsInvalidSecret() {
    DefaultAcsClient c = client("wrong-secret", null);
    assertThatThrownBy(() -> encrypt(c, kms.httpEndpoint(), "aGVsbG8=", null))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("SDK.InvalidAccessKeySecret"));
    assertThat(kms.signatureFailures()).isEqualTo(1);
  }

  @Test
  void rawRequest_badSignature_is400SignatureDoesNotMatch() throws Exception {
    String url =
        kms.httpEndpoint()
            + "/?Action=Encrypt&Version=2016-01-20&Format=JSON&AccessKeyId="
            + AK
            + "&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=1"
            + "&Timestamp=2026-01-01T00%3A00%3A00Z&KeyId="
            + keyId
            + "&Plaintext=AAAA&Signature=AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D";
    String[] reply = post(url);
    assertThat(reply[0]).isEqualTo("400");
    assertThat(reply[1]).startsWith("application/json");
    assertThat(reply[2]).contains("\"Code\":\"SignatureDoesNotMatch\"");
    assertThat(kms.requestCount("Encrypt")).isEqualTo(1);
    assertThat(kms.signatureFailures()).isEqualTo(1);
  }

  @Test
  void rawRequest_correctSignature_isAccepted() throws Exception {
    java.util.Map<String, String> p = new java.util.TreeMap<>();
    p.put("Action", "DescribeKey");
    p.put("Version", "2016-01-20");
    p.put("Format", "JSON");
    p.put("AccessKeyId", AK);
    p.put("SignatureMethod", "HMAC-SHA1");
    p.put("SignatureVersion", "1.0");
    p.put("SignatureNonce", "n-1");
    p.put(
        "Timestamp",
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    p.put("KeyId", keyId);
    String sig = RpcSignature.sign(RpcSignature.stringToSign("POST", p), SK);
    StringBuilder q = new StringBuilder();
    p.put("Signature", sig);
    p.forEach(
        (k, v) ->
            q.append(q.length() == 0 ? "?" : "&")
                .append(RpcSignature.percentEncode(k))
                .append('=')
                .append(RpcSignature.percentEncode(v)));
    String[] reply = post(kms.httpEndpoint() + "/" + q);
    assertThat(reply[0]).isEqualTo("200");
    assertThat(reply[2]).contains(keyId);
  }

  /** POSTs an empty body; returns {status, content type, body}. */
  private static String[] post(String url) throws Exception {
    java.net.HttpURLConnection c =
        (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.getOutputStream().close();
    int code = c.getResponseCode();
    InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
    String body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    in.close();
    return new String[] {String.valueOf(code), c.getContentType(), body};
  }

  @Test
  void throttleHook_isThrottlingClientError_thenRecovers() throws Exception {
    DefaultAcsClient c = client(SK, null);
    kms.faults().throttleNext(1);
    assertThatThrownBy(() -> encrypt(c, kms.httpEndpoint(), "aGVsbG8=", null))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("Throttling"));
    assertThat(encrypt(c, kms.httpEndpoint(), "aGVsbG8=", null)).isNotEmpty();
    assertThat(kms.faults().throttled()).isEqualTo(1);
  }

  @Test
  void gatherHook_concurrentRequests_areReleasedTogetherAndCountedAsOverlapping() throws Exception {
    DefaultAcsClient c = client(SK, null);
    kms.faults().gatherNext(2, Duration.ofSeconds(30));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<String> a = pool.submit(() -> encrypt(c, kms.httpEndpoint(), "YQ==", null));
      Future<String> b = pool.submit(() -> encrypt(c, kms.httpEndpoint(), "Yg==", null));
      assertThat(a.get()).isNotEmpty();
      assertThat(b.get()).isNotEmpty();
    } finally {
      pool.shutdown();
    }
    assertThat(kms.faults().gathered()).isEqualTo(1);
    assertThat(kms.faults().gatherTimeouts()).isZero();
    assertThat(kms.maxConcurrentRequests()).isEqualTo(2);
  }

  @Test
  void gatherHook_sequentialRequests_timeOutAndNeverOverlap() throws Exception {
    DefaultAcsClient c = client(SK, null);
    kms.resetMaxConcurrentRequests();
    kms.faults().gatherNext(2, Duration.ofMillis(50));
    assertThat(encrypt(c, kms.httpEndpoint(), "YQ==", null)).isNotEmpty();
    assertThat(encrypt(c, kms.httpEndpoint(), "Yg==", null)).isNotEmpty();
    assertThat(kms.faults().gathered()).isZero();
    assertThat(kms.faults().gatherTimeouts()).isEqualTo(2);
    assertThat(kms.maxConcurrentRequests()).isEqualTo(1);
  }

  @Test
  void failHook_isServerException() {
    DefaultAcsClient c = client(SK, null);
    kms.faults().failNext(1, 503);
    assertThatThrownBy(() -> encrypt(c, kms.httpEndpoint(), "aGVsbG8=", null))
        .isInstanceOfSatisfying(
            ServerException.class, e -> assertThat(e.getErrCode()).isEqualTo("ServiceUnavailable"));
    assertThat(kms.faults().failed()).isEqualTo(1);
  }

  @Test
  void restart_sameDirectory_decryptsOldBlob() throws Exception {
    DefaultAcsClient c = client(SK, null);
    String blob = encrypt(c, kms.httpEndpoint(), "b2xkIG9iamVjdA==", null);
    kms.close();
    kms = LocalKmsServer.builder().dir(dir).credentials(AK, SK).build().start();
    assertThat(decrypt(c, kms.httpEndpoint(), blob, null)).isEqualTo("b2xkIG9iamVjdA==");
  }
}
