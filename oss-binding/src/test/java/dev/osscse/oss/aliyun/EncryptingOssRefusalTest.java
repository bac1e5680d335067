package dev.osscse.oss.aliyun;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.AsyncFetchTaskConfiguration;
import com.aliyun.oss.model.AsyncProcessObjectRequest;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CreateLiveChannelRequest;
import com.aliyun.oss.model.CreateSelectObjectMetadataRequest;
import com.aliyun.oss.model.DownloadFileRequest;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PolicyConditions;
import com.aliyun.oss.model.ProcessObjectRequest;
import com.aliyun.oss.model.RoutingRule;
import com.aliyun.oss.model.SealAppendObjectRequest;
import com.aliyun.oss.model.SelectObjectRequest;
import com.aliyun.oss.model.SetBucketWebsiteRequest;
import com.aliyun.oss.model.UploadFileRequest;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.oss.model.UploadUdfImageRequest;
import com.aliyun.oss.model.WriteGetObjectResponseRequest;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.testing.LocalOssFixture;
import dev.osscse.oss.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every method of the {@code OSS} interface through {@code asOss()}: each is encrypting, refused
 * with {@link EncryptionRefusedException} naming it, or on the reviewed pass-through list; and the
 * plaintext upload paths, driven with the real SDK client at the local endpoint, send nothing.
 */
@SuppressWarnings("JavaUtilDate") // the SDK's presigned-URL and POST-policy APIs take Date
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptingOssRefusalTest {
  static final String B = LocalOssFixture.BUCKET;

  /**
   * The overloads {@code EncryptingOss} handles itself, with what each does; a new overload of
   * these names fails {@link #everyOssMethod_isEncryptingRefusedOrReviewedHarmless} until reviewed
   * here. "refused" ones are driven by the walk; the others by the tests named.
   */
  static final Map<String, String> ROUTED_OVERLOADS =
      Map.ofEntries(
          Map.entry("putObject(String,String,InputStream)", "encrypts (EncryptingOssTest)"),
          Map.entry("putObject(String,String,InputStream,ObjectMetadata)", "encrypts (this class)"),
          Map.entry("putObject(String,String,File)", "encrypts (EncryptingOssTest)"),
          Map.entry("putObject(String,String,File,ObjectMetadata)", "encrypts (this class)"),
          Map.entry("putObject(PutObjectRequest)", "encrypts (EncryptingOssTest)"),
          Map.entry("putObject(URL,String,Map)", "refused"),
          Map.entry("putObject(URL,String,Map,boolean)", "refused"),
          Map.entry("putObject(URL,InputStream,long,Map)", "refused"),
          Map.entry("putObject(URL,InputStream,long,Map,boolean)", "refused"),
          Map.entry("getObject(String,String)", "decrypts (EncryptingOssTest)"),
          Map.entry("getObject(GetObjectRequest)", "decrypts (EncryptingOssTest)"),
          Map.entry("getObject(GetObjectRequest,File)", "decrypts (EncryptingOssTest)"),
          Map.entry("getObject(URL,Map)", "refused"),
          Map.entry("generatePresignedUrl(String,String,Date)", "GET only (this class)"),
          Map.entry("generatePresignedUrl(String,String,Date,HttpMethod)", "GET/HEAD only"),
          Map.entry("generatePresignedUrl(GeneratePresignedUrlRequest)", "GET/HEAD only"),
          Map.entry("copyObject(String,String,String,String)", "keeps metadata (this class)"),
          Map.entry("copyObject(CopyObjectRequest)", "refused with new metadata (this class)"));

  /** Types that are or carry content; the test's own list, wider than the binding's. */
  static final List<Class<?>> CONTENT =
      List.of(
          InputStream.class,
          Reader.class,
          File.class,
          Path.class,
          byte[].class,
          ByteBuffer.class,
          URL.class,
          URI.class);

  @TempDir static Path dir;
  LocalOssFixture fixture;
  OSS oss;

  @BeforeAll
  void start() {
    fixture = new LocalOssFixture(dir.resolve("store"));
    oss =
        OssCseClient.builder(fixture.client())
            .encryptWith(MasterKey.rsa(TestKeys.rsa(), Map.of()))
            .build()
            .asOss();
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  static String signature(Method m) {
    return m.getName()
        + Arrays.stream(m.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(",", "(", ")"));
  }

  static Object[] defaultArgs(Method m) {
    Class<?>[] p = m.getParameterTypes();
    Object[] a = new Object[p.length];
    for (int i = 0; i < p.length; i++) {
      if (p[i] == boolean.class) {
        a[i] = false;
      } else if (p[i] == int.class) {
        a[i] = 0;
      } else if (p[i] == long.class) {
        a[i] = 0L;
      } else if (p[i].isPrimitive()) {
        throw new AssertionError("no default for " + p[i] + " in " + signature(m));
      }
    }
    return a;
  }

  static boolean isContent(Class<?> t) {
    return CONTENT.stream().anyMatch(c -> c.isAssignableFrom(t));
  }

  /** A parameter that is content, or an SDK type with a getter (or a field) of content. */
  static boolean takesContent(Method m) {
    for (Class<?> t : m.getParameterTypes()) {
      if (isContent(t)) {
        return true;
      }
      for (Class<?> c = t; c != null && c.getName().startsWith("com.aliyun."); ) {
        for (Method g : c.getDeclaredMethods()) {
          if (g.getParameterCount() == 0 && isContent(g.getReturnType())) {
            return true;
          }
        }
        for (var f : c.getDeclaredFields()) {
          if (isContent(f.getType())) {
            return true;
          }
        }
        c = c.getSuperclass();
      }
    }
    return false;
  }

  @Test
  void everyOssMethod_isEncryptingRefusedOrReviewedHarmless() throws Exception {
    long requestsBefore = fixture.server().requestCount();
    Set<String> routedSeen = new TreeSet<>();
    List<String> refused = new ArrayList<>();
    List<String> passed = new ArrayList<>();
    for (Method m : OSS.class.getMethods()) {
      String sig = signature(m);
      switch (EncryptingOss.routeOf(m)) {
        case ROUTED -> {
          assertThat(ROUTED_OVERLOADS).as("routed overload not reviewed: " + sig).containsKey(sig);
          routedSeen.add(sig);
          if (ROUTED_OVERLOADS.get(sig).equals("refused")) {
            assertRefused(m);
            refused.add(sig);
          }
        }
        case PASS_THROUGH -> {
          assertThat(EncryptingOss.passThroughReasons().get(m.getName()))
              .as("reason for " + sig)
              .isNotBlank();
          assertThat(takesContent(m)).as("pass-through method takes content: " + sig).isFalse();
          passed.add(sig);
        }
        case REFUSED -> {
          assertRefused(m);
          refused.add(sig);
        }
      }
    }
    assertThat(routedSeen).isEqualTo(ROUTED_OVERLOADS.keySet());
    // No stale entries: every reviewed name is a method of this SDK's OSS interface.
    Set<String> names =
        Arrays.stream(OSS.class.getMethods()).map(Method::getName).collect(Collectors.toSet());
    assertThat(names).containsAll(EncryptingOss.passThroughReasons().keySet());
    // The named plaintext paths are among the refused.
    assertThat(refused.stream().map(s -> s.substring(0, s.indexOf('('))))
        .contains(
            "appendObject",
            "sealAppendObject",
            "generatePostPolicy",
            "calculatePostSignature",
            "setAsyncFetchTask",
            "setBucketWebsite",
            "createLiveChannel",
            "generateRtmpUri",
            "uploadPart",
            "uploadPartCopy",
            "uploadFile",
            "uploadUdfImage",
            "writeGetObjectResponse");
    assertThat(passed).isNotEmpty();
    assertThat(fixture.server().requestCount()).isEqualTo(requestsBefore);
  }

  private void assertRefused(Method m) throws IllegalAccessException {
    Throwable t;
    try {
      m.invoke(oss, defaultArgs(m));
      t = null;
    } catch (InvocationTargetException e) {
      t = e.getCause();
    }
    assertThat(t).as(signature(m)).isInstanceOf(EncryptionRefusedException.class);
    assertThat(((EncryptionRefusedException) t).operation()).isEqualTo(m.getName());
    assertThat(t.getMessage()).startsWith(m.getName() + " is refused");
  }

  /** Everything in the bucket, as key and ETag, and the open multipart uploads. */
  private List<String> bucketState() {
    List<String> s = new ArrayList<>();
    for (OSSObjectSummary o : fixture.client().listObjects(B).getObjectSummaries()) {
      s.add(o.getKey() + " " + o.getETag());
    }
    fixture
        .client()
        .listMultipartUploads(new ListMultipartUploadsRequest(B))
        .getMultipartUploads()
        .forEach(u -> s.add("upload " + u.getKey() + " " + u.getUploadId()));
    return s;
  }

  private static void refused(String method, ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).as(method).isInstanceOf(EncryptionRefusedException.class);
    assertThat(((EncryptionRefusedException) t).operation()).as(method).isEqualTo(method);
  }

  @Test
  void plaintextUploadPaths_withRealArguments_areRefusedAndStoreNothing() throws Exception {
    byte[] secret = "plaintext that must never be stored".getBytes(UTF_8);
    oss.putObject(B, "enc", new ByteArrayInputStream(secret));
    Path file = dir.resolve("secret.txt");
    Files.write(file, secret);
    URL source = fixture.client().generatePresignedUrl(B, "enc", new Date(later()));
    URL presignedPut =
        fixture.client().generatePresignedUrl(B, "presigned", new Date(later()), HttpMethod.PUT);
    List<String> before = bucketState();
    long requestsBefore = fixture.server().requestCount();

    refused(
        "appendObject",
        () -> oss.appendObject(new AppendObjectRequest(B, "ap", new ByteArrayInputStream(secret))));
    refused("sealAppendObject", () -> oss.sealAppendObject(new SealAppendObjectRequest(B, "ap")));
    refused(
        "initiateMultipartUpload",
        () -> oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(B, "mp")));
    refused(
        "uploadPart",
        () ->
            oss.uploadPart(
                new UploadPartRequest(
                    B, "mp", "upload-id", 1, new ByteArrayInputStream(secret), secret.length)));
    UploadFileRequest uf = new UploadFileRequest(B, "uf");
    uf.setUploadFile(file.toString());
    refused("uploadFile", () -> oss.uploadFile(uf));
    refused(
        "uploadPartCopy", () -> oss.uploadPartCopy(new UploadPartCopyRequest(B, "enc", B, "pc")));
    refused(
        "putObject",
        () ->
            oss.putObject(presignedPut, new ByteArrayInputStream(secret), secret.length, Map.of()));
    refused("putObject", () -> oss.putObject(presignedPut, file.toString(), Map.of()));
    refused(
        "generatePresignedUrl",
        () -> oss.generatePresignedUrl(B, "presigned", new Date(later()), HttpMethod.PUT));
    refused(
        "generatePresignedUrl",
        () -> oss.generatePresignedUrl(new GeneratePresignedUrlRequest(B, "p", HttpMethod.POST)));
    PolicyConditions conditions = new PolicyConditions();
    conditions.addConditionItem(PolicyConditions.COND_KEY, "post");
    refused("generatePostPolicy", () -> oss.generatePostPolicy(new Date(later()), conditions));
    refused("calculatePostSignature", () -> oss.calculatePostSignature("{\"conditions\":[]}"));
    refused(
        "setAsyncFetchTask",
        () ->
            oss.setAsyncFetchTask(
                B,
                new AsyncFetchTaskConfiguration()
                    .withUrl(source.toString())
                    .withObjectName("fetched")));
    SetBucketWebsiteRequest website = new SetBucketWebsiteRequest(B);
    RoutingRule rule = new RoutingRule();
    rule.setNumber(1);
    rule.getCondition().setHttpErrorCodeReturnedEquals(404);
    rule.getRedirect().setRedirectType(RoutingRule.RedirectType.Mirror);
    rule.getRedirect().setMirrorURL(fixture.endpoint() + "/");
    website.AddRoutingRule(rule);
    refused("setBucketWebsite", () -> oss.setBucketWebsite(website));
    refused(
        "createLiveChannel", () -> oss.createLiveChannel(new CreateLiveChannelRequest(B, "lc")));
    refused("generateRtmpUri", () -> oss.generateRtmpUri(B, "lc", "live.m3u8", later()));
    refused("generateVodPlaylist", () -> oss.generateVodPlaylist(B, "lc", "vod.m3u8", 0, 1));
    refused(
        "processObject",
        () -> oss.processObject(new ProcessObjectRequest(B, "enc", "image/resize,w_1")));
    refused(
        "asyncProcessObject",
        () -> oss.asyncProcessObject(new AsyncProcessObjectRequest(B, "enc", "video/convert")));
    refused(
        "writeGetObjectResponse",
        () ->
            oss.writeGetObjectResponse(
                new WriteGetObjectResponseRequest(
                    "route", "token", 200, new ByteArrayInputStream(secret))));
    refused("selectObject", () -> oss.selectObject(new SelectObjectRequest(B, "enc")));
    refused(
        "createSelectObjectMetadata",
        () -> oss.createSelectObjectMetadata(new CreateSelectObjectMetadataRequest(B, "enc")));
    refused(
        "uploadUdfImage",
        () ->
            oss.uploadUdfImage(new UploadUdfImageRequest("udf", new ByteArrayInputStream(secret))));
    CopyObjectRequest replacing = new CopyObjectRequest(B, "enc", B, "copy");
    replacing.setNewObjectMetadata(new ObjectMetadata());
    refused("copyObject", () -> oss.copyObject(replacing));
    Path download = dir.resolve("downloaded");
    refused(
        "downloadFile",
        () -> oss.downloadFile(new DownloadFileRequest(B, "enc", download.toString(), 1 << 20)));

    assertThat(fixture.server().requestCount()).as("requests sent").isEqualTo(requestsBefore);
    assertThat(bucketState()).isEqualTo(before);
    assertThat(download).doesNotExist();
  }

  @Test
  void presignedGetAndCopyKeepingMetadata_passThrough_andTheCopyDecrypts() throws Exception {
    byte[] plain = "copied".getBytes(UTF_8);
    ObjectMetadata md = new ObjectMetadata();
    md.setContentType("text/plain");
    oss.putObject(B, "src", new ByteArrayInputStream(plain), md);
    oss.putObject(B, "src-file", writeFile(plain), new ObjectMetadata());
    assertThat(oss.generatePresignedUrl(B, "src", new Date(later()))).isNotNull();
    GeneratePresignedUrlRequest head = new GeneratePresignedUrlRequest(B, "src", HttpMethod.HEAD);
    head.setExpiration(new Date(later()));
    assertThat(oss.generatePresignedUrl(head)).isNotNull();
    oss.copyObject(B, "src", B, "dst1");
    oss.copyObject(new CopyObjectRequest(B, "src-file", B, "dst2"));
    for (String k : List.of("dst1", "dst2")) {
      try (OSSObject o = oss.getObject(B, k);
          InputStream in = o.getObjectContent()) {
        assertThat(in.readAllBytes()).as(k).isEqualTo(plain);
      }
    }
  }

  private File writeFile(byte[] b) throws Exception {
    Path f = Files.createTempFile(dir, "src", ".bin");
    Files.write(f, b);
    return f.toFile();
  }

  private static long later() {
    return System.currentTimeMillis() + 600_000;
  }
}
