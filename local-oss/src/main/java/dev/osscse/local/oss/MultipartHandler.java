package dev.osscse.local.oss;

import static dev.osscse.local.oss.OssWire.ISO_8601;
import static dev.osscse.local.oss.OssWire.META_PREFIX;
import static dev.osscse.local.oss.OssWire.enc;
import static dev.osscse.local.oss.OssWire.quote;
import static dev.osscse.local.oss.OssWire.text;
import static dev.osscse.local.oss.OssWire.unquote;
import static dev.osscse.local.oss.OssWire.urlEncode;

import dev.osscse.local.oss.ObjectStore.Attrs;
import dev.osscse.local.oss.ObjectStore.Blob;
import dev.osscse.local.oss.ObjectStore.Part;
import dev.osscse.local.oss.ObjectStore.StoredObject;
import dev.osscse.local.oss.ObjectStore.Upload;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Multipart operations: Initiate, UploadPart, Complete, Abort, ListParts (with the {@code
 * ClientEncryption*} fields) and ListMultipartUploads.
 */
final class MultipartHandler {
  private final ObjectStore store;
  private final ObjectHandler objects;
  private final long minPartSize;
  private final boolean strictCseUploadPart;

  MultipartHandler(
      ObjectStore store, ObjectHandler objects, long minPartSize, boolean strictCseUploadPart) {
    this.store = store;
    this.objects = objects;
    this.minPartSize = minPartSize;
    this.strictCseUploadPart = strictCseUploadPart;
  }

  void initiate(OssExchange c) throws IOException {
    store.bucket(c.bucket);
    Attrs attrs = ObjectHandler.attrsFromRequest(c);
    Cse.checkInitiate(attrs.userMeta);
    Upload u = store.initiate(c.bucket, c.key, attrs);
    boolean url = "url".equals(c.query.get("encoding-type"));
    Xml x =
        new Xml()
            .open("InitiateMultipartUploadResult")
            .elem("Bucket", c.bucket)
            .elem("Key", enc(c.key, url))
            .elem("UploadId", u.uploadId);
    if (url) {
      x.elem("EncodingType", "url");
    }
    c.sendXml(x.close("InitiateMultipartUploadResult"));
  }

  private int partNumber(OssExchange c) {
    String v = c.query.get("partNumber");
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 10000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw OssError.invalidArgument(
        "Part number must be an integer between 1 and 10000, inclusive.", "partNumber", v);
  }

  void uploadPart(OssExchange c) throws IOException {
    if (c.header("x-oss-copy-source") != null) {
      throw OssError.notImplemented("UploadPartCopy");
    }
    int number = partNumber(c);
    Upload u = store.upload(c.bucket, c.key, c.query.get("uploadId"));
    Attrs requested = ObjectHandler.attrsFromRequest(c);
    Cse.checkUploadPartHeaders(u.attrs.userMeta, cseOnly(requested.userMeta), strictCseUploadPart);
    Blob blob = objects.receiveBody(c);
    Part p;
    try {
      Cse.checkPartSize(u.attrs.userMeta, number, blob.size);
      p = store.commitPart(u, number, blob);
    } finally {
      store.discard(blob);
    }
    c.resp.setStatus(200);
    c.resp.getHeaders().put("ETag", quote(p.etag));
    c.resp.getHeaders().put("Content-MD5", Base64.getEncoder().encodeToString(blob.md5));
    objects.putCrc(c, p.crc);
  }

  private static Map<String, String> cseOnly(Map<String, String> meta) {
    Map<String, String> out = new TreeMap<>();
    meta.forEach(
        (k, v) -> {
          if (k.startsWith(Cse.PREFIX)) {
            out.put(k, v);
          }
        });
    return out;
  }

  void complete(OssExchange c) throws IOException {
    Upload u = store.upload(c.bucket, c.key, c.query.get("uploadId"));
    byte[] body = c.readSmallBody();
    objects.checkForbidOverwrite(c);
    NavigableMap<Integer, Part> uploaded = store.parts(u);
    List<Part> chosen = new ArrayList<>();
    if ("yes".equalsIgnoreCase(c.header("x-oss-complete-all"))) {
      if (body.length > 0) {
        throw OssError.invalidArgument(
            "x-oss-complete-all requires an empty body.", "x-oss-complete-all", "yes");
      }
      chosen.addAll(uploaded.values());
      if (chosen.isEmpty()) {
        throw new OssError(400, "InvalidPart", "The upload has no parts.");
      }
      finishComplete(c, u, chosen);
      return;
    }
    Document doc = Xml.parse(body);
    NodeList nodes = doc.getElementsByTagName("Part");
    if (nodes.getLength() == 0) {
      throw new OssError(
          400, "MalformedXML", "The XML you provided was not well-formed or did not validate.");
    }
    int previous = 0;
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      String num = text(e, "PartNumber");
      String etag = text(e, "ETag");
      int n;
      try {
        n = Integer.parseInt(num == null ? "" : num.trim());
      } catch (NumberFormatException ex) {
        throw new OssError(
            400, "MalformedXML", "The XML you provided was not well-formed or did not validate.");
      }
      if (n <= previous) {
        throw new OssError(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. Parts list must specified in order by part number.");
      }
      previous = n;
      Part p = uploaded.get(n);
      if (p == null || etag == null || !unquote(etag.trim()).equalsIgnoreCase(p.etag)) {
        throw new OssError(
                400,
                "InvalidPart",
                "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.")
            .with("PartNumber", Integer.toString(n))
            .with("ETag", etag);
      }
      chosen.add(p);
    }
    finishComplete(c, u, chosen);
  }

  private void finishComplete(OssExchange c, Upload u, List<Part> chosen) throws IOException {
    long[] sizes = chosen.stream().mapToLong(p -> p.size).toArray();
    for (int i = 0; i < sizes.length - 1; i++) {
      if (sizes[i] < minPartSize) {
        throw new OssError(
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size.")
            .with("MinSizeAllowed", Long.toString(minPartSize))
            .with("ProposedSize", Long.toString(sizes[i]))
            .with("PartNumber", Integer.toString(chosen.get(i).number));
      }
    }
    Cse.checkComplete(u.attrs.userMeta, c.header(META_PREFIX + Cse.DATA_SIZE), sizes);
    StoredObject o = store.complete(u, chosen);
    boolean url = "url".equals(c.query.get("encoding-type"));
    objects.putCrc(c, o.crc);
    Xml x = new Xml().open("CompleteMultipartUploadResult");
    if (url) {
      x.elem("EncodingType", "url");
    }
    x.elem("Location", "http://127.0.0.1/" + c.bucket + "/" + urlEncode(c.key))
        .elem("Bucket", c.bucket)
        .elem("Key", enc(c.key, url))
        .elem("ETag", quote(o.etag));
    c.sendXml(x.close("CompleteMultipartUploadResult"));
  }

  void abort(OssExchange c) throws IOException {
    Upload u = store.upload(c.bucket, c.key, c.query.get("uploadId"));
    store.abort(u);
    c.resp.setStatus(204);
  }

  void listParts(OssExchange c) throws IOException {
    Upload u = store.upload(c.bucket, c.key, c.query.get("uploadId"));
    int maxParts = 1000;
    String mp = c.query.get("max-parts");
    if (mp != null) {
      try {
        maxParts = Integer.parseInt(mp);
      } catch (NumberFormatException e) {
        throw OssError.invalidArgument("max-parts must be an integer.", "max-parts", mp);
      }
      if (maxParts < 1 || maxParts > 1000) {
        throw OssError.invalidArgument("max-parts must be between 1 and 1000.", "max-parts", mp);
      }
    }
    int marker = 0;
    String pm = c.query.get("part-number-marker");
    if (pm != null && !pm.isEmpty()) {
      try {
        marker = Integer.parseInt(pm);
      } catch (NumberFormatException e) {
        throw OssError.invalidArgument(
            "part-number-marker must be an integer.", "part-number-marker", pm);
      }
    }
    boolean url = "url".equals(c.query.get("encoding-type"));
    NavigableMap<Integer, Part> parts = store.parts(u).tailMap(marker, false);
    List<Part> page = new ArrayList<>();
    for (Part p : parts.values()) {
      if (page.size() == maxParts) {
        break;
      }
      page.add(p);
    }
    boolean truncated = parts.size() > page.size();
    int next = page.isEmpty() ? marker : page.get(page.size() - 1).number;
    Map<String, String> m = u.attrs.userMeta;
    Xml x =
        new Xml()
            .open("ListPartsResult")
            .elem("Bucket", c.bucket)
            .elem("Key", enc(c.key, url))
            .elem("UploadId", u.uploadId);
    if (url) {
      x.elem("EncodingType", "url");
    }
    x.elem("StorageClass", "Standard")
        .elem("PartNumberMarker", marker)
        .elem("NextPartNumberMarker", next)
        .elem("MaxParts", maxParts)
        .elem("IsTruncated", truncated)
        .elem("ClientEncryptionKey", m.get(Cse.KEY))
        .elem("ClientEncryptionStart", m.get(Cse.START))
        .elem("ClientEncryptionCekAlg", m.get(Cse.CEK_ALG))
        .elem("ClientEncryptionWrapAlg", m.get(Cse.WRAP_ALG))
        .elem("ClientEncryptionDataSize", m.get(Cse.DATA_SIZE))
        .elem("ClientEncryptionPartSize", m.get(Cse.PART_SIZE));
    for (Part p : page) {
      x.open("Part")
          .elem("PartNumber", p.number)
          .elem("LastModified", ISO_8601.format(Instant.ofEpochMilli(p.lastModified)))
          .elem("ETag", quote(p.etag))
          .elem("HashCrc64ecma", Long.toUnsignedString(p.crc))
          .elem("Size", p.size)
          .close("Part");
    }
    c.sendXml(x.close("ListPartsResult"));
  }

  void listUploads(OssExchange c) throws IOException {
    String prefix = c.query.get("prefix");
    Xml x =
        new Xml()
            .open("ListMultipartUploadsResult")
            .elem("Bucket", c.bucket)
            .elem("KeyMarker", "")
            .elem("UploadIdMarker", "")
            .elem("NextKeyMarker", "")
            .elem("NextUploadIdMarker", "")
            .elem("Delimiter", "")
            .elem("Prefix", prefix == null ? "" : prefix)
            .elem("MaxUploads", 1000)
            .elem("IsTruncated", false);
    for (Upload u : store.uploads(c.bucket)) {
      if (prefix != null && !u.key.startsWith(prefix)) {
        continue;
      }
      x.open("Upload")
          .elem("Key", u.key)
          .elem("UploadId", u.uploadId)
          .elem("StorageClass", "Standard")
          .elem("Initiated", ISO_8601.format(Instant.ofEpochMilli(u.initiated)))
          .close("Upload");
    }
    c.sendXml(x.close("ListMultipartUploadsResult"));
  }
}
