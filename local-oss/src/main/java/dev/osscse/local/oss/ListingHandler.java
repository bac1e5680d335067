package dev.osscse.local.oss;

import static dev.osscse.local.oss.OssWire.ISO_8601;
import static dev.osscse.local.oss.OssWire.enc;
import static dev.osscse.local.oss.OssWire.quote;

import dev.osscse.local.oss.ObjectStore.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** Listing operations: ListBuckets, GetBucketInfo (and location, ACL), ListObjects v1 and v2. */
final class ListingHandler {
  private final ObjectStore store;

  ListingHandler(ObjectStore store) {
    this.store = store;
  }

  void listBuckets(OssExchange c) {
    Xml x =
        new Xml()
            .open("ListAllMyBucketsResult")
            .open("Owner")
            .elem("ID", "local")
            .elem("DisplayName", "local")
            .close("Owner")
            .open("Buckets");
    for (String b : store.bucketNames()) {
      x.open("Bucket")
          .elem("CreationDate", ISO_8601.format(Instant.ofEpochMilli(store.bucketCreated(b))))
          .elem("ExtranetEndpoint", "127.0.0.1")
          .elem("IntranetEndpoint", "127.0.0.1")
          .elem("Location", "oss-local")
          .elem("Name", b)
          .elem("Region", "local")
          .elem("StorageClass", "Standard")
          .close("Bucket");
    }
    c.sendXml(x.close("Buckets").close("ListAllMyBucketsResult"));
  }

  void bucketInfo(OssExchange c) {
    store.bucket(c.bucket);
    if (c.has("location")) {
      c.sendXml(new Xml().elem("LocationConstraint", "oss-local"));
      return;
    }
    if (c.has("acl")) {
      c.sendXml(
          new Xml()
              .open("AccessControlPolicy")
              .open("Owner")
              .elem("ID", "local")
              .elem("DisplayName", "local")
              .close("Owner")
              .open("AccessControlList")
              .elem("Grant", "private")
              .close("AccessControlList")
              .close("AccessControlPolicy"));
      return;
    }
    c.sendXml(
        new Xml()
            .open("BucketInfo")
            .open("Bucket")
            .elem(
                "CreationDate",
                ISO_8601.format(Instant.ofEpochMilli(store.bucketCreated(c.bucket))))
            .elem("ExtranetEndpoint", "127.0.0.1")
            .elem("IntranetEndpoint", "127.0.0.1")
            .elem("Location", "oss-local")
            .elem("Name", c.bucket)
            .elem("StorageClass", "Standard")
            .open("Owner")
            .elem("ID", "local")
            .elem("DisplayName", "local")
            .close("Owner")
            .open("AccessControlList")
            .elem("Grant", "private")
            .close("AccessControlList")
            .close("Bucket")
            .close("BucketInfo"));
  }

  void listObjects(OssExchange c, boolean v2) {
    NavigableMap<String, StoredObject> index = store.bucket(c.bucket);
    String prefix = c.query.getOrDefault("prefix", "");
    if (prefix == null) {
      prefix = "";
    }
    String delimiter = c.query.get("delimiter");
    if (delimiter != null && delimiter.isEmpty()) {
      delimiter = null;
    }
    int maxKeys = 100;
    String mk = c.query.get("max-keys");
    if (mk != null) {
      try {
        maxKeys = Integer.parseInt(mk);
      } catch (NumberFormatException e) {
        throw OssError.invalidArgument("max-keys must be an integer.", "max-keys", mk);
      }
      if (maxKeys < 0 || maxKeys > 1000) {
        throw OssError.invalidArgument("max-keys must be between 0 and 1000.", "max-keys", mk);
      }
    }
    boolean url = "url".equals(c.query.get("encoding-type"));
    String marker;
    String token = null;
    if (v2) {
      token = c.query.get("continuation-token");
      if (token != null && !token.isEmpty()) {
        try {
          marker = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw OssError.invalidArgument(
              "Invalid continuation token.", "continuation-token", token);
        }
      } else {
        marker = c.query.getOrDefault("start-after", "");
      }
    } else {
      marker = c.query.getOrDefault("marker", "");
    }
    if (marker == null) {
      marker = "";
    }
    String from = prefix.compareTo(marker) > 0 ? prefix : marker;
    NavigableMap<String, StoredObject> tail = index.tailMap(from, !from.equals(marker));
    List<StoredObject> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    boolean truncated = false;
    for (Map.Entry<String, StoredObject> e : tail.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        break;
      }
      String cp = null;
      if (delimiter != null) {
        int d = key.indexOf(delimiter, prefix.length());
        if (d >= 0) {
          cp = key.substring(0, d + delimiter.length());
        }
      }
      if (cp != null) {
        if (cp.compareTo(marker) <= 0
            || (!prefixes.isEmpty() && prefixes.get(prefixes.size() - 1).equals(cp))) {
          continue;
        }
      }
      if (maxKeys == 0) {
        break; // nothing asked for: an empty, untruncated page
      }
      if (contents.size() + prefixes.size() >= maxKeys) {
        truncated = true;
        break;
      }
      if (cp != null) {
        prefixes.add(cp);
        last = cp;
      } else {
        contents.add(e.getValue());
        last = key;
      }
    }
    String root = "ListBucketResult";
    Xml x = new Xml().open(root).elem("Name", c.bucket).elem("Prefix", enc(prefix, url));
    if (v2) {
      if (c.query.get("start-after") != null) {
        x.elem("StartAfter", enc(c.query.get("start-after"), url));
      }
      if (token != null) {
        x.elem("ContinuationToken", token);
      }
    } else {
      x.elem("Marker", enc(marker, url));
    }
    x.elem("MaxKeys", maxKeys);
    if (delimiter != null) {
      x.elem("Delimiter", enc(delimiter, url));
    }
    if (url) {
      x.elem("EncodingType", "url");
    }
    x.elem("IsTruncated", truncated);
    if (truncated && last != null) {
      if (v2) {
        x.elem(
            "NextContinuationToken",
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
      } else {
        x.elem("NextMarker", enc(last, url));
      }
    }
    if (v2) {
      x.elem("KeyCount", contents.size() + prefixes.size());
    }
    boolean owner = !v2 || "true".equalsIgnoreCase(c.query.get("fetch-owner"));
    for (StoredObject o : contents) {
      x.open("Contents")
          .elem("Key", enc(o.key, url))
          .elem("LastModified", ISO_8601.format(Instant.ofEpochMilli(o.lastModified)))
          .elem("ETag", quote(o.etag))
          .elem("Type", o.objectType)
          .elem("Size", o.size)
          .elem("StorageClass", "Standard");
      if (owner) {
        x.open("Owner").elem("ID", "local").elem("DisplayName", "local").close("Owner");
      }
      x.close("Contents");
    }
    for (String p : prefixes) {
      x.open("CommonPrefixes").elem("Prefix", enc(p, url)).close("CommonPrefixes");
    }
    c.sendXml(x.close(root));
  }
}
