package dev.osscse.local.oss;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The OSS protocol on Jetty core: the entry point of every request. It parses the target, applies
 * the injected faults, has {@link OssAuthenticator} check the signature, routes to the object,
 * multipart or listing handler, and writes OSS error replies.
 */
final class OssHandler extends Handler.Abstract {
  private static final int MAX_KEY_BYTES = 1023;

  private final ObjectStore store;
  private final FaultInjector faults;
  private final long requestBodyRate;
  private final OssAuthenticator authenticator;
  private final ObjectHandler objects;
  private final MultipartHandler multipart;
  private final ListingHandler listing;
  private final AtomicLong requestCounter = new AtomicLong();
  private final String idPrefix = ObjectStore.randomId().substring(0, 8).toUpperCase(Locale.ROOT);

  OssHandler(
      ObjectStore store,
      OssAuthenticator authenticator,
      FaultInjector faults,
      long minPartSize,
      boolean strictCseUploadPart,
      long requestBodyRate) {
    this.store = store;
    this.faults = faults;
    this.requestBodyRate = requestBodyRate;
    this.authenticator = authenticator;
    this.objects = new ObjectHandler(store, faults);
    this.multipart = new MultipartHandler(store, objects, minPartSize, strictCseUploadPart);
    this.listing = new ListingHandler(store);
  }

  long requestCount() {
    return requestCounter.get();
  }

  @Override
  public boolean handle(Request req, Response resp, Callback cb) {
    OssExchange c =
        new OssExchange(
            req,
            resp,
            cb,
            String.format("%s%016X", idPrefix, requestCounter.incrementAndGet()),
            requestBodyRate);
    resp.getHeaders().put("x-oss-request-id", c.requestId);
    try {
      c.parseTarget();
      FaultInjector.Decision d = faults.take(FaultType.DELAY, c.method, c.bucket, c.key);
      if (d != null) {
        Thread.sleep(d.delay.toMillis());
      }
      d = faults.take(FaultType.ERROR_STATUS, c.method, c.bucket, c.key);
      if (d != null) {
        throw injectedError(d.status);
      }
      authenticator.authenticate(c);
      route(c);
      if (!c.committed) {
        cb.succeeded();
      }
    } catch (OssError e) {
      if (c.committed) {
        cb.failed(e);
      } else {
        sendError(c, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cb.failed(e);
    } catch (Throwable t) {
      if (c.committed || resp.isCommitted()) {
        cb.failed(t);
      } else {
        sendError(c, new OssError(500, "InternalError", "We encountered an internal error: " + t));
      }
    }
    return true;
  }

  private static OssError injectedError(int status) {
    return switch (status) {
      case 500 -> new OssError(500, "InternalError", "Injected fault: internal error.");
      case 503 -> new OssError(503, "ServiceUnavailable", "Injected fault: service unavailable.");
      default -> new OssError(status, "InjectedFault", "Injected fault.");
    };
  }

  private void route(OssExchange c) throws IOException {
    if (c.bucket == null) {
      if (c.method.equals("GET")) {
        listing.listBuckets(c);
        return;
      }
      throw new OssError(405, "MethodNotAllowed", "The specified method is not allowed.");
    }
    if (c.key == null) {
      routeBucket(c);
      return;
    }
    if (c.key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new OssError(400, "InvalidObjectName", "The length of the object name is too long.");
    }
    for (String unsupported : List.of("acl", "tagging", "symlink", "append", "restore")) {
      if (c.has(unsupported)) {
        throw OssError.notImplemented("?" + unsupported);
      }
    }
    switch (c.method) {
      case "PUT" -> {
        if (c.has("uploadId") || c.has("partNumber")) {
          multipart.uploadPart(c);
        } else if (c.header("x-oss-copy-source") != null) {
          objects.copyObject(c);
        } else {
          objects.putObject(c);
        }
      }
      case "GET" -> {
        if (c.has("uploadId")) {
          multipart.listParts(c);
        } else {
          objects.getObject(c, false);
        }
      }
      case "HEAD" -> objects.getObject(c, true);
      case "DELETE" -> {
        if (c.has("uploadId")) {
          multipart.abort(c);
        } else {
          objects.deleteObject(c);
        }
      }
      case "POST" -> {
        if (c.has("uploads")) {
          multipart.initiate(c);
        } else if (c.has("uploadId")) {
          multipart.complete(c);
        } else {
          throw OssError.notImplemented("POST on an object");
        }
      }
      default ->
          throw new OssError(405, "MethodNotAllowed", "The specified method is not allowed.");
    }
  }

  private void routeBucket(OssExchange c) throws IOException {
    switch (c.method) {
      case "PUT" -> {
        if (!c.query.isEmpty()) {
          throw OssError.notImplemented("bucket configuration");
        }
        if (!ObjectStore.BUCKET_NAME.matcher(c.bucket).matches()) {
          throw new OssError(400, "InvalidBucketName", "The specified bucket is not valid.")
              .with("BucketName", c.bucket);
        }
        store.createBucket(c.bucket);
        c.resp.setStatus(200);
      }
      case "DELETE" -> {
        if (!c.query.isEmpty()) {
          throw OssError.notImplemented("bucket configuration");
        }
        store.deleteBucket(c.bucket);
        c.resp.setStatus(204);
      }
      case "GET" -> {
        if (c.has("uploads")) {
          multipart.listUploads(c);
        } else if ("2".equals(c.query.get("list-type"))) {
          listing.listObjects(c, true);
        } else if (c.has("bucketInfo") || c.has("location") || c.has("acl")) {
          listing.bucketInfo(c);
        } else {
          for (String k : c.query.keySet()) {
            if (OssAuthenticator.SIGNED_PARAMETERS.contains(k)) {
              throw OssError.notImplemented("?" + k);
            }
          }
          listing.listObjects(c, false);
        }
      }
      case "HEAD" -> {
        store.bucket(c.bucket);
        c.resp.setStatus(200);
      }
      case "POST" -> {
        if (c.has("delete")) {
          objects.deleteObjects(c);
        } else {
          throw OssError.notImplemented("POST on a bucket");
        }
      }
      default ->
          throw new OssError(405, "MethodNotAllowed", "The specified method is not allowed.");
    }
  }

  // ---------------------------------------------------------------- errors

  /**
   * Reads and discards what is left of the request body, so that an early error reply reaches a
   * client that sends the whole body before reading (as the SDK does) and the connection can be
   * reused.
   */
  private static void drainRequestBody(OssExchange c) {
    try {
      Content.Source.consumeAll(c.req);
    } catch (IOException | RuntimeException e) {
      // the client went away; the reply will fail too
    }
  }

  private void sendError(OssExchange c, OssError e) {
    Xml x =
        new Xml()
            .open("Error")
            .elem("Code", e.code)
            .elem("Message", e.getMessage())
            .elem("RequestId", c.requestId)
            .elem("HostId", "127.0.0.1");
    e.extras.forEach(x::elem);
    if (e.ec != null) {
      x.elem("EC", e.ec);
    }
    x.close("Error");
    byte[] body = x.toBytes();
    drainRequestBody(c);
    Response resp = c.resp;
    try {
      resp.reset();
    } catch (IllegalStateException ignored) {
      // already committed
    }
    resp.setStatus(e.status);
    resp.getHeaders().put("x-oss-request-id", c.requestId);
    if (e.ec != null) {
      resp.getHeaders().put("x-oss-ec", e.ec);
    }
    if (e.status == 416 && e.extras.containsKey("ActualObjectSize")) {
      resp.getHeaders().put("Content-Range", "bytes */" + e.extras.get("ActualObjectSize"));
    }
    if ("HEAD".equals(c.method) || e.status == 304) {
      resp.getHeaders().put("x-oss-err", Base64.getEncoder().encodeToString(body));
      resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
      c.cb.succeeded();
      return;
    }
    resp.getHeaders().put("Content-Type", "application/xml");
    resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    resp.write(true, ByteBuffer.wrap(body), c.cb);
  }
}
