package dev.osscse.oss.aliyun;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.GenericRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.internal.auth.AuthRecord;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An {@link OSS} view of an {@link OssCseClient}, so code written against {@code OSS} (or {@code
 * OSSEncryptionClient}) switches with one line: {@code OSS oss = cseClient.asOss();}.
 *
 * <p><b>What it is.</b> A {@link Proxy} over the {@code OSS} interface (aliyun-sdk-oss 3.18.5) that
 * routes each method one of three ways:
 *
 * <ul>
 *   <li><b>Encrypting or decrypting.</b> {@code putObject(bucket, key, InputStream|File[,
 *       metadata])} and {@code putObject(PutObjectRequest)}: encrypted upload. {@code
 *       getObject(bucket, key)}, {@code getObject(GetObjectRequest)}: decrypting read (the
 *       request's range, including suffix ranges, is honoured; the returned {@code OSSObject}'s
 *       content is an {@link UnauthenticatedObjectStream}); {@code getObject(GetObjectRequest,
 *       File)}: verified download to the file. {@code generatePresignedUrl} for GET or HEAD and
 *       {@code copyObject} that keeps the source's metadata pass through; with another HTTP method
 *       or replacement metadata they are refused.
 *   <li><b>Passed through</b> to the plain client: only the methods on a reviewed list of
 *       operations that neither send nor store object content (metadata and ACL reads and writes,
 *       listing, delete, tagging, bucket configuration, complete and abort of multipart uploads,
 *       client management); each entry names why it is harmless ({@link #passThroughReasons()}).
 *       {@code deleteObject} and {@code deleteObjects} then also delete the keys' companion
 *       authentication records {@code .oss-cse-auth/<key>} (docs/format.md FMT-26). A method on the
 *       list whose parameters carry content (a stream, file, byte array or a request with one) is
 *       still refused.
 *   <li><b>Refused</b> with {@link EncryptionRefusedException} naming the method: everything else.
 *       That includes append, plaintext multipart ({@code initiateMultipartUpload}, {@code
 *       uploadPart}, {@code uploadFile}), {@code uploadPartCopy}, browser POST uploads ({@code
 *       generatePostPolicy}, {@code calculatePostSignature}), server-side fetch ({@code
 *       setAsyncFetchTask}), mirror-based back-to-origin ({@code setBucketWebsite}), live-channel
 *       ingest, presigned PUT, select, image processing, {@code writeGetObjectResponse}, and every
 *       method a later SDK version adds.
 * </ul>
 *
 * <p><b>Security guarantees.</b> Fails closed: a method is passed through only if it is on the
 * reviewed list, so a method added by a new SDK version is refused until it is reviewed. Checked
 * failures of the binding are thrown as {@link ClientException} whose cause is the typed exception
 * (for example {@link dev.osscse.oss.UnencryptedObjectException}).
 */
public final class EncryptingOss {
  /** Methods handled by this class itself (encrypting, decrypting, or refused by argument). */
  private static final Set<String> ROUTED =
      Set.of("putObject", "getObject", "generatePresignedUrl", "copyObject");

  /** Reviewed pass-through methods, each with why it neither sends nor stores plaintext. */
  private static final Map<String, String> PASS_THROUGH = passThroughTable();

  /** Why a known plaintext or content path is refused (others get a generic reason). */
  private static final Map<String, String> REFUSED_WHY = refusedTable();

  /** Types that are or carry object content; a pass-through method taking one is refused. */
  private static final Set<Class<?>> CONTENT_TYPES =
      Set.of(InputStream.class, File.class, byte[].class, URL.class);

  /** The route of every method of {@link OSS}, decided once. */
  private static final Map<Method, Route> ROUTES = routes();

  private final OssCseClient client;
  private final OSS plain;

  private EncryptingOss(OssCseClient client) {
    this.client = client;
    this.plain = client.plainClient();
  }

  /** How the proxy handles a method of {@link OSS}. */
  enum Route {
    ROUTED,
    PASS_THROUGH,
    REFUSED
  }

  /** Returns an {@code OSS} that encrypts through {@code client}. */
  public static OSS wrap(OssCseClient client) {
    return (OSS)
        Proxy.newProxyInstance(
            EncryptingOss.class.getClassLoader(),
            new Class<?>[] {OSS.class},
            new EncryptingOss(client)::invoke);
  }

  /**
   * The reviewed list of pass-through methods of {@link OSS}, by name, each with a one-line reason
   * why it neither sends nor stores object content. Every other method (except the routed {@code
   * putObject}, {@code getObject}, {@code generatePresignedUrl} and {@code copyObject}) is refused.
   */
  public static Map<String, String> passThroughReasons() {
    return PASS_THROUGH;
  }

  /** The route of a method of {@link OSS} (package-private, for tests). */
  static Route routeOf(Method m) {
    return ROUTES.getOrDefault(m, Route.REFUSED);
  }

  private static Map<Method, Route> routes() {
    Map<Method, Route> m = new HashMap<>();
    for (Method method : OSS.class.getMethods()) {
      String name = method.getName();
      m.put(
          method,
          ROUTED.contains(name)
              ? Route.ROUTED
              : PASS_THROUGH.containsKey(name) && !carriesContent(method)
                  ? Route.PASS_THROUGH
                  : Route.REFUSED);
    }
    return Map.copyOf(m);
  }

  /**
   * True if a parameter is content ({@link #CONTENT_TYPES}) or an SDK request object with a getter
   * returning content.
   */
  private static boolean carriesContent(Method method) {
    return Arrays.stream(method.getParameterTypes())
        .anyMatch(
            t ->
                isContent(t)
                    || (t.getName().startsWith("com.aliyun.oss.")
                        && Arrays.stream(t.getMethods())
                            .anyMatch(
                                g -> g.getParameterCount() == 0 && isContent(g.getReturnType()))));
  }

  private static boolean isContent(Class<?> t) {
    return CONTENT_TYPES.stream().anyMatch(c -> c.isAssignableFrom(t));
  }

  private static Map<String, String> passThroughTable() {
    Map<String, String> m = new TreeMap<>();
    harmless(
        m,
        "reads or changes object metadata, ACL or tags; sends no content",
        "getObjectMetadata",
        "getSimplifiedObjectMeta",
        "headObject",
        "doesObjectExist",
        "getObjectAcl",
        "setObjectAcl",
        "getObjectTagging",
        "setObjectTagging",
        "deleteObjectTagging",
        "getSymlink",
        "optionsObject");
    harmless(
        m,
        "lists keys, versions, uploads or parts; sends no content",
        "listObjects",
        "listObjectsV2",
        "listVersions",
        "listMultipartUploads",
        "listParts",
        "listBuckets");
    harmless(
        m,
        "deletes; sends no content",
        "deleteObject",
        "deleteObjects",
        "deleteVersion",
        "deleteVersions",
        "deleteDirectory");
    harmless(
        m,
        "moves or links an object already stored, or makes an empty directory; sends no content",
        "renameObject",
        "createSymlink",
        "createDirectory",
        "restoreObject");
    harmless(
        m,
        "assembles or discards parts already uploaded; sends no content",
        "completeMultipartUpload",
        "abortMultipartUpload");
    harmless(m, "reads the status of a fetch task; starts none", "getAsyncFetchTask");
    harmless(
        m,
        "reads or deletes a live channel or its playlist; ingests nothing",
        "getLiveChannelInfo",
        "getLiveChannelStat",
        "getLiveChannelHistory",
        "listLiveChannels",
        "deleteLiveChannel",
        "getVodPlaylist");
    harmless(
        m,
        "bucket lifecycle or bucket configuration read; sends no object content",
        "createBucket",
        "deleteBucket",
        "doesBucketExist",
        "describeRegions",
        "getBucketInfo",
        "getBucketLocation",
        "getBucketMetadata",
        "getBucketStat",
        "getBucketAcl",
        "getBucketCORS",
        "getBucketCORSRules",
        "getBucketReferer",
        "getBucketLogging",
        "getBucketWebsite",
        "getBucketLifecycle",
        "getBucketTagging",
        "getBucketVersioning",
        "getBucketReplication",
        "getBucketReplicationLocation",
        "getBucketReplicationProgress",
        "getBucketEncryption",
        "getBucketPolicy",
        "getBucketPolicyStatus",
        "getBucketRequestPayment",
        "getBucketQosInfo",
        "getUserQosInfo",
        "getBucketStorageCapacity",
        "getBucketInventoryConfiguration",
        "listBucketInventoryConfigurations",
        "getBucketWorm",
        "getBucketResourceGroup",
        "getBucketTransferAcceleration",
        "getBucketAccessMonitor",
        "getBucketArchiveDirectRead",
        "getBucketHttpsConfig",
        "getBucketCallbackPolicy",
        "getBucketProcess",
        "getBucketImage",
        "getImageStyle",
        "listImageStyle",
        "getBucketCname",
        "getBucketCnameToken",
        "getBucketVpcip",
        "listVpcip",
        "getBucketDataRedundancyTransition",
        "listBucketDataRedundancyTransition",
        "listUserDataRedundancyTransition",
        "getPublicAccessBlock",
        "getBucketPublicAccessBlock",
        "getAccessPoint",
        "getAccessPointPolicy",
        "listAccessPoints",
        "listBucketAccessPoints",
        "getMetaQueryStatus",
        "doMetaQuery");
    harmless(
        m,
        "bucket configuration: access control, replication of stored bytes, retention, logging of"
            + " requests, server-side encryption, billing or networking; stores no object content",
        "setBucketAcl",
        "setBucketCORS",
        "deleteBucketCORSRules",
        "setBucketReferer",
        "setBucketLogging",
        "deleteBucketLogging",
        "deleteBucketWebsite",
        "setBucketLifecycle",
        "deleteBucketLifecycle",
        "setBucketTagging",
        "deleteBucketTagging",
        "setBucketVersioning",
        "addBucketReplication",
        "deleteBucketReplication",
        "setBucketEncryption",
        "deleteBucketEncryption",
        "setBucketPolicy",
        "deleteBucketPolicy",
        "setBucketRequestPayment",
        "setBucketQosInfo",
        "deleteBucketQosInfo",
        "setBucketStorageCapacity",
        "setBucketInventoryConfiguration",
        "deleteBucketInventoryConfiguration",
        "initiateBucketWorm",
        "abortBucketWorm",
        "completeBucketWorm",
        "extendBucketWorm",
        "setBucketResourceGroup",
        "setBucketTransferAcceleration",
        "deleteBucketTransferAcceleration",
        "putBucketAccessMonitor",
        "putBucketArchiveDirectRead",
        "putBucketHttpsConfig",
        "setBucketCallbackPolicy",
        "deleteBucketCallbackPolicy",
        "setBucketProcess",
        "putBucketImage",
        "deleteBucketImage",
        "putImageStyle",
        "deleteImageStyle",
        "addBucketCname",
        "deleteBucketCname",
        "createBucketCnameToken",
        "createBucketVpcip",
        "deleteBucketVpcip",
        "createVpcip",
        "deleteVpcip",
        "createBucketDataRedundancyTransition",
        "deleteBucketDataRedundancyTransition",
        "putPublicAccessBlock",
        "deletePublicAccessBlock",
        "putBucketPublicAccessBlock",
        "deleteBucketPublicAccessBlock",
        "createAccessPoint",
        "deleteAccessPoint",
        "putAccessPointPolicy",
        "deleteAccessPointPolicy",
        "openMetaQuery",
        "closeMetaQuery");
    harmless(
        m,
        "client management; sends no request with content",
        "shutdown",
        "switchCredentials",
        "switchSignatureVersion",
        "getConnectionPoolStats");
    return Collections.unmodifiableMap(m);
  }

  private static void harmless(Map<String, String> m, String reason, String... names) {
    for (String n : names) {
      if (m.put(n, reason) != null) {
        throw new IllegalStateException("pass-through method listed twice: " + n);
      }
    }
  }

  private static Map<String, String> refusedTable() {
    Map<String, String> m = new HashMap<>();
    String append = "it would append plaintext (append cannot be encrypted with this envelope)";
    m.put("appendObject", append);
    m.put("sealAppendObject", append);
    m.put(
        "uploadPartCopy",
        "a copied range of ciphertext would lose its envelope and counter position");
    m.put("downloadFile", "it would write ciphertext to the file as if it were the content");
    String post = "a POST policy lets a browser upload plaintext";
    m.put("generatePostPolicy", post);
    m.put("calculatePostSignature", post);
    m.put("setAsyncFetchTask", "the server would fetch a URL and store its content in plaintext");
    m.put(
        "setBucketWebsite",
        "a mirror-based back-to-origin rule makes the server fetch and store plaintext");
    String live = "live-channel ingest stores a plaintext stream";
    m.put("createLiveChannel", live);
    m.put("setLiveChannelStatus", live);
    m.put("generateRtmpUri", live);
    m.put("generateVodPlaylist", live);
    String server = "the server cannot process ciphertext";
    m.put("selectObject", server);
    m.put("createSelectObjectMetadata", server);
    m.put("processObject", server);
    m.put("asyncProcessObject", server);
    m.put("writeGetObjectResponse", "it would send content unencrypted");
    m.put("uploadUdfImage", "it would send content unencrypted");
    String multipart =
        "it would upload parts unencrypted; encrypted multipart uploads go through"
            + " dev.osscse.oss.MultipartUploader (MultipartUploader.builder(ossCseClient.core()))";
    m.put("initiateMultipartUpload", multipart);
    m.put("uploadPart", multipart);
    m.put("uploadFile", multipart);
    return Map.copyOf(m);
  }

  private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default ->
            "EncryptingOss["
                + client.encryptionKey().map(Object::toString).orElse("read-only")
                + "]";
      };
    }
    String name = method.getName();
    Class<?>[] p = method.getParameterTypes();
    try {
      return switch (routeOf(method)) {
        case REFUSED ->
            throw new EncryptionRefusedException(
                name,
                REFUSED_WHY.getOrDefault(
                    name,
                    "it is not on the reviewed list of operations that neither send nor store"
                        + " plaintext"));
        case PASS_THROUGH -> {
          Object result = passThrough(method, args);
          deleteRecords(name, p, args);
          yield result;
        }
        case ROUTED ->
            switch (name) {
              case "putObject" -> put(p, args);
              case "getObject" -> get(p, args);
              case "generatePresignedUrl" -> {
                refusePresignedUpload(p, args);
                yield passThrough(method, args);
              }
              default -> {
                refuseCopyReplacingMetadata(p, args);
                yield passThrough(method, args);
              }
            };
      };
    } catch (IOException | GeneralSecurityException e) {
      throw new ClientException(e.getMessage(), e);
    }
  }

  private Object passThrough(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(plain, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * After {@code deleteObject} or {@code deleteObjects} went through: deletes the companion
   * authentication records of the keys deleted (FMT-26), in one more request. A delete of a
   * version, and {@code deleteVersion(s)} and {@code deleteDirectory}, leave records alone.
   */
  private void deleteRecords(String name, Class<?>[] p, Object[] args) {
    if (name.equals("deleteObject")) {
      if (p.length == 2 && p[0] == String.class && p[1] == String.class) {
        deleteRecord((String) args[0], (String) args[1]);
      } else if (p.length == 1 && args[0] instanceof GenericRequest r && r.getVersionId() == null) {
        deleteRecord(r.getBucketName(), r.getKey());
      }
    } else if (name.equals("deleteObjects")
        && p.length == 1
        && args[0] instanceof DeleteObjectsRequest r) {
      List<String> records =
          r.getKeys().stream()
              .filter(k -> !k.startsWith(AuthRecord.COMPANION_PREFIX))
              .map(AuthRecord::companionKey)
              .toList();
      if (!records.isEmpty()) {
        plain.deleteObjects(
            new DeleteObjectsRequest(r.getBucketName()).withKeys(records).withQuiet(true));
      }
    }
  }

  private void deleteRecord(String bucket, String key) {
    if (!key.startsWith(AuthRecord.COMPANION_PREFIX)) {
      plain.deleteObject(bucket, AuthRecord.companionKey(key));
    }
  }

  private Object put(Class<?>[] p, Object[] args) throws IOException, GeneralSecurityException {
    if (p.length == 1 && p[0] == PutObjectRequest.class) {
      return client.putObject((PutObjectRequest) args[0]);
    }
    if ((p.length == 3 || p.length == 4) && p[0] == String.class && p[1] == String.class) {
      String bucket = (String) args[0];
      String key = (String) args[1];
      ObjectMetadata md = p.length == 4 ? (ObjectMetadata) args[3] : null;
      if (p[2] == InputStream.class) {
        return client.putObject(bucket, key, (InputStream) args[2], md);
      }
      if (p[2] == File.class) {
        return client.putObject(bucket, key, ((File) args[2]).toPath(), md);
      }
    }
    throw new EncryptionRefusedException(
        "putObject", "to a presigned URL (or in this form) the content would be sent unencrypted");
  }

  private Object get(Class<?>[] p, Object[] args) throws IOException, GeneralSecurityException {
    boolean byName = p.length == 2 && p[0] == String.class && p[1] == String.class;
    if (byName || (p.length >= 1 && p[0] == GetObjectRequest.class)) {
      GetObjectRequest r =
          byName
              ? new GetObjectRequest((String) args[0], (String) args[1])
              : (GetObjectRequest) args[0];
      ByteRange range = toByteRange(r.getRange());
      if (p.length == 2 && p[1] == File.class) {
        return client.downloadObject(r, range, ((File) args[1]).toPath());
      }
      if (byName || p.length == 1) {
        UnauthenticatedObjectStream s = client.getObject(r, range);
        OSSObject o = new OSSObject();
        o.setBucketName(r.getBucketName());
        o.setKey(r.getKey());
        o.setObjectMetadata(OssCseClient.objectMetadata(s));
        o.setObjectContent(s);
        return o;
      }
    }
    throw new EncryptionRefusedException(
        "getObject", "from a presigned URL (or in this form) decryption is not supported");
  }

  private static void refusePresignedUpload(Class<?>[] p, Object[] args) {
    HttpMethod method =
        p.length == 3 && p[2] == Date.class
            ? HttpMethod.GET // the SDK signs this form for GET
            : p.length == 4 && p[3] == HttpMethod.class
                ? (HttpMethod) args[3]
                : p.length == 1 && args[0] instanceof GeneratePresignedUrlRequest r
                    ? r.getMethod()
                    : null;
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      throw new EncryptionRefusedException(
          "generatePresignedUrl",
          "for "
              + method
              + " it would let the holder of the URL send content unencrypted (only GET and HEAD"
              + " are allowed)");
    }
  }

  private static void refuseCopyReplacingMetadata(Class<?>[] p, Object[] args) {
    boolean keepsMetadata = // the source's, envelope included
        (p.length == 4 && p[0] == String.class)
            || (p.length == 1
                && args[0] instanceof CopyObjectRequest r
                && r.getNewObjectMetadata() == null);
    if (!keepsMetadata) {
      throw new EncryptionRefusedException(
          "copyObject",
          "with replacement metadata it would drop or replace the client-side encryption"
              + " envelope (x-oss-meta-client-side-encryption-*)");
    }
  }

  /** The SDK's {@code [first, last]} range (-1 for open), or null for none. */
  private static ByteRange toByteRange(long[] range) {
    if (range == null || range.length != 2 || (range[0] < 0 && range[1] < 0)) {
      return null;
    }
    return range[0] < 0
        ? ByteRange.suffix(range[1])
        : range[1] < 0 ? ByteRange.from(range[0]) : ByteRange.of(range[0], range[1]);
  }
}
