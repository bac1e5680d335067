package dev.osscse.oss;

import com.aliyun.oss.ClientException;
import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.UploadFileRequest;
import com.aliyun.oss.model.UploadPartRequest;
import com.aliyun.oss.model.WriteGetObjectResponseRequest;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.GeneralSecurityException;
import java.util.Set;

/**
 * An {@link OSS} view of an {@link OssCseClient}, so code written against {@code OSS} (or {@code
 * OSSEncryptionClient}) switches with one line: {@code OSS oss = cseClient.asOss();}.
 *
 * <p><b>What it is.</b> A {@link Proxy} over the {@code OSS} interface (aliyun-sdk-oss 3.18.5) that
 * routes by method:
 *
 * <ul>
 *   <li>{@code putObject(bucket, key, InputStream|File[, metadata])} and {@code
 *       putObject(PutObjectRequest)}: encrypted upload.
 *   <li>{@code getObject(bucket, key)}, {@code getObject(GetObjectRequest)}: decrypting read (the
 *       request's range, including suffix ranges, is honoured; the returned {@code OSSObject}'s
 *       content is an {@link UnauthenticatedObjectStream}); {@code getObject(GetObjectRequest,
 *       File)}: verified download to the file.
 *   <li>Refused with {@link EncryptionRefusedException}: {@code appendObject}, {@code
 *       uploadPartCopy}, {@code initiateMultipartUpload}/{@code uploadPart} (plaintext parts),
 *       {@code uploadFile}, {@code downloadFile}, presigned-URL {@code putObject}/{@code
 *       getObject}, {@code generatePresignedUrl} for PUT, {@code selectObject}, {@code
 *       createSelectObjectMetadata}, {@code processObject}, {@code asyncProcessObject}, {@code
 *       writeGetObjectResponse}, and any other method that takes content (a stream, file or
 *       content-carrying request).
 *   <li>Everything else (metadata, list, delete, copy, ACL, tagging, bucket operations, complete
 *       and abort of multipart uploads, shutdown) passes through to the plain client.
 * </ul>
 *
 * <p><b>Security guarantees.</b> Fails closed: a method that would send content and is not routed
 * to encryption is refused. Checked failures of the binding are thrown as {@link ClientException}
 * whose cause is the typed exception (for example {@link UnencryptedObjectException}).
 */
public final class EncryptingOss {
  private static final Set<String> REFUSED =
      Set.of(
          "appendObject",
          "uploadPartCopy",
          "initiateMultipartUpload",
          "uploadPart",
          "uploadFile",
          "downloadFile",
          "selectObject",
          "createSelectObjectMetadata",
          "processObject",
          "asyncProcessObject",
          "writeGetObjectResponse",
          "sealAppendObject");

  /** Refused operations whose encrypted alternative is {@link MultipartUploader}. */
  private static final Set<String> MULTIPART =
      Set.of("initiateMultipartUpload", "uploadPart", "uploadFile");

  private static final Set<Class<?>> CONTENT_TYPES =
      Set.of(
          InputStream.class,
          File.class,
          byte[].class,
          PutObjectRequest.class,
          AppendObjectRequest.class,
          UploadPartRequest.class,
          UploadFileRequest.class,
          WriteGetObjectResponseRequest.class);

  private EncryptingOss() {}

  /** Returns an {@code OSS} that encrypts through {@code client}. */
  public static OSS wrap(OssCseClient client) {
    return (OSS)
        Proxy.newProxyInstance(
            EncryptingOss.class.getClassLoader(), new Class<?>[] {OSS.class}, new Handler(client));
  }

  private static final class Handler implements InvocationHandler {
    private final OssCseClient client;
    private final OSS plain;

    Handler(OssCseClient client) {
      this.client = client;
      this.plain = client.plainClient();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
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
        switch (name) {
          case "putObject":
            return put(p, args);
          case "getObject":
            return get(p, args);
          case "generatePresignedUrl":
            refusePresignedPut(p, args);
            return passThrough(method, args);
          default:
            break;
        }
        if (MULTIPART.contains(name)) {
          throw new EncryptionRefusedException(
              name,
              "it would upload parts unencrypted; encrypted multipart uploads go through"
                  + " dev.osscse.oss.MultipartUploader (MultipartUploader.builder(ossCseClient))");
        }
        if (REFUSED.contains(name)) {
          throw new EncryptionRefusedException(
              name, "it cannot be done with client-side encryption");
        }
        for (Class<?> t : p) {
          if (CONTENT_TYPES.contains(t)) {
            throw new EncryptionRefusedException(name, "it would send content unencrypted");
          }
        }
        return passThrough(method, args);
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

    private Object put(Class<?>[] p, Object[] args) throws IOException, GeneralSecurityException {
      if (p.length == 1 && p[0] == PutObjectRequest.class) {
        return client.putObject((PutObjectRequest) args[0]);
      }
      if (p.length >= 3 && p[0] == String.class && p[1] == String.class) {
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
          "putObject to a presigned URL", "the content would be sent unencrypted");
    }

    private Object get(Class<?>[] p, Object[] args) throws IOException, GeneralSecurityException {
      if (p.length == 2 && p[0] == String.class && p[1] == String.class) {
        return toOssObject(
            client.getObject((String) args[0], (String) args[1]),
            (String) args[0],
            (String) args[1]);
      }
      if (p.length >= 1 && p[0] == GetObjectRequest.class) {
        GetObjectRequest r = (GetObjectRequest) args[0];
        ByteRange range = toByteRange(r.getRange());
        if (p.length == 2 && p[1] == File.class) {
          return client.downloadObject(r, range, ((File) args[1]).toPath());
        }
        if (p.length == 1) {
          return toOssObject(client.getObject(r, range), r.getBucketName(), r.getKey());
        }
      }
      throw new EncryptionRefusedException(
          "getObject from a presigned URL", "decryption of presigned reads is not supported");
    }

    private static void refusePresignedPut(Class<?>[] p, Object[] args) {
      HttpMethod method = null;
      if (p.length == 4 && p[3] == HttpMethod.class) {
        method = (HttpMethod) args[3];
      } else if (p.length == 1 && p[0] == GeneratePresignedUrlRequest.class) {
        method = ((GeneratePresignedUrlRequest) args[0]).getMethod();
      }
      if (method != null && method != HttpMethod.GET && method != HttpMethod.HEAD) {
        throw new EncryptionRefusedException(
            "generatePresignedUrl for " + method, "uploads through it would not be encrypted");
      }
    }
  }

  static ByteRange toByteRange(long[] range) {
    if (range == null || range.length != 2) {
      return null;
    }
    long a = range[0];
    long b = range[1];
    if (a < 0 && b < 0) {
      return null;
    }
    if (a < 0) {
      return ByteRange.suffix(b);
    }
    if (b < 0) {
      return ByteRange.from(a);
    }
    return ByteRange.of(a, b);
  }

  private static OSSObject toOssObject(UnauthenticatedObjectStream s, String bucket, String key) {
    OSSObject o = new OSSObject();
    o.setBucketName(bucket);
    o.setKey(key);
    o.setObjectMetadata(s.metadata());
    o.setObjectContent(s);
    return o;
  }
}
