package dev.osscse.local.oss;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * Objects on disk. Layout under the data directory:
 *
 * <pre>
 * buckets/&lt;bucket&gt;/objects/&lt;sha256(key)&gt;.meta   properties: key, size, etag, crc, ...
 * buckets/&lt;bucket&gt;/data/&lt;random&gt;.bin            object bytes, never modified once in place
 * buckets/&lt;bucket&gt;/uploads/&lt;uploadId&gt;/upload.meta, part-N.meta, part-N-&lt;random&gt;.bin
 * tmp/                                               temporary files, cleared at start
 * </pre>
 *
 * Bodies are streamed to a temporary file and moved into place; metadata files are replaced
 * atomically, so a reader sees either the old or the new object. Files are not fsynced: data
 * survives a restart of the server, not necessarily a crash of the machine. An in-memory sorted
 * index of keys per bucket is rebuilt from the metadata files at start.
 */
final class ObjectStore {
  static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
  private static final int BUFFER = 64 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX_UPPER = HexFormat.of().withUpperCase();

  /** Attributes of an object other than its bytes. */
  static final class Attrs {
    String contentType = "application/octet-stream";

    /** User metadata, names lowercased, without the x-oss-meta- prefix. */
    final Map<String, String> userMeta = new TreeMap<>();

    /** Other stored headers (content-disposition, cache-control, ...), names lowercased. */
    final Map<String, String> systemHeaders = new TreeMap<>();
  }

  static final class StoredObject {
    String key;
    long size;
    String etag; // without quotes
    long crc;
    long lastModified;
    String objectType;
    Path dataFile;
    final Attrs attrs = new Attrs();
  }

  /** A body streamed to a temporary file, with its digests. */
  static final class Blob {
    final Path file;
    final long size;
    final byte[] md5;
    final long crc;

    Blob(Path file, long size, byte[] md5, long crc) {
      this.file = file;
      this.size = size;
      this.md5 = md5;
      this.crc = crc;
    }
  }

  static final class Upload {
    String uploadId;
    String bucket;
    String key;
    long initiated;
    Path dir;
    final Attrs attrs = new Attrs();
  }

  static final class Part {
    int number;
    long size;
    String etag; // uppercase md5 hex, no quotes
    long crc;
    long lastModified;
    Path dataFile;
  }

  private final Path root;
  private final Path tmp;
  private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
  private final Object commitLock = new Object();

  ObjectStore(Path root) throws IOException {
    this.root = root;
    this.tmp = root.resolve("tmp");
    Files.createDirectories(root.resolve("buckets"));
    Files.createDirectories(tmp);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("buckets"))) {
      for (Path b : ds) {
        String name = b.getFileName().toString();
        if (Files.isDirectory(b) && BUCKET_NAME.matcher(name).matches()) {
          buckets.put(name, load(b));
        }
      }
    }
  }

  private static NavigableMap<String, StoredObject> load(Path bucketDir) throws IOException {
    NavigableMap<String, StoredObject> index = new ConcurrentSkipListMap<>();
    Path objects = bucketDir.resolve("objects");
    Path data = bucketDir.resolve("data");
    Files.createDirectories(objects);
    Files.createDirectories(data);
    Files.createDirectories(bucketDir.resolve("uploads"));
    Set<Path> referenced = new HashSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(objects, "*.meta")) {
      for (Path m : ds) {
        StoredObject o = readObjectMeta(m, data);
        if (o != null && Files.exists(o.dataFile)) {
          index.put(o.key, o);
          referenced.add(o.dataFile.getFileName());
        } else {
          Files.deleteIfExists(m);
        }
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(data)) {
      for (Path d : ds) {
        if (!referenced.contains(d.getFileName())) {
          Files.deleteIfExists(d); // orphan of an interrupted commit
        }
      }
    }
    return index;
  }

  // ---------------------------------------------------------------- buckets

  /** Creates the bucket if needed; returns false if it existed already. */
  boolean createBucket(String name) throws IOException {
    if (!BUCKET_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "bucket name must be 3-63 characters of [a-z0-9-], not starting or ending with '-': "
              + name);
    }
    synchronized (commitLock) {
      if (buckets.containsKey(name)) {
        return false;
      }
      buckets.put(name, load(bucketDir(name)));
      return true;
    }
  }

  boolean bucketExists(String name) {
    return buckets.containsKey(name);
  }

  Set<String> bucketNames() {
    return new TreeSet<>(buckets.keySet());
  }

  long bucketCreated(String name) {
    try {
      return Files.getLastModifiedTime(bucketDir(name)).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  void deleteBucket(String name) throws IOException {
    synchronized (commitLock) {
      NavigableMap<String, StoredObject> index = bucket(name);
      boolean uploads;
      try (DirectoryStream<Path> ds =
          Files.newDirectoryStream(bucketDir(name).resolve("uploads"))) {
        uploads = ds.iterator().hasNext();
      }
      if (!index.isEmpty() || uploads) {
        throw new OssError(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.")
            .with("BucketName", name);
      }
      buckets.remove(name);
      deleteTree(bucketDir(name));
    }
  }

  NavigableMap<String, StoredObject> bucket(String name) {
    NavigableMap<String, StoredObject> index = name == null ? null : buckets.get(name);
    if (index == null) {
      throw OssError.noSuchBucket(name);
    }
    return index;
  }

  private Path bucketDir(String name) {
    return root.resolve("buckets").resolve(name);
  }

  // ---------------------------------------------------------------- objects

  StoredObject get(String bucket, String key) {
    StoredObject o = bucket(bucket).get(key);
    if (o == null) {
      throw OssError.noSuchKey(key);
    }
    return o;
  }

  /** Streams {@code in} to a temporary file, computing MD5 and CRC64 on the way. */
  Blob ingest(InputStream in) throws IOException {
    Path file = newTempFile();
    MessageDigest md5 = md5();
    Crc64 crc = new Crc64();
    long size = 0;
    boolean ok = false;
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        md5.update(buf, 0, n);
        crc.update(buf, 0, n);
        out.write(buf, 0, n);
        size += n;
      }
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
    }
    return new Blob(file, size, md5.digest(), crc.getValue());
  }

  void discard(Blob blob) {
    try {
      Files.deleteIfExists(blob.file);
    } catch (IOException e) {
      // best effort
    }
  }

  StoredObject commit(String bucket, String key, Blob blob, Attrs attrs, String etag, String type)
      throws IOException {
    StoredObject o = new StoredObject();
    o.key = key;
    o.size = blob.size;
    o.etag = etag != null ? etag : HEX_UPPER.formatHex(blob.md5);
    o.crc = blob.crc;
    o.lastModified = System.currentTimeMillis();
    o.objectType = type;
    o.attrs.contentType = attrs.contentType;
    o.attrs.userMeta.putAll(attrs.userMeta);
    o.attrs.systemHeaders.putAll(attrs.systemHeaders);
    synchronized (commitLock) {
      NavigableMap<String, StoredObject> index = bucket(bucket);
      Path dir = bucketDir(bucket);
      Path data = dir.resolve("data").resolve(randomId() + ".bin");
      move(blob.file, data);
      o.dataFile = data;
      Path metaTmp = newTempFile();
      writeProperties(metaTmp, objectProperties(o));
      move(metaTmp, metaFile(dir, key));
      StoredObject old = index.put(key, o);
      if (old != null) {
        Files.deleteIfExists(old.dataFile);
      }
    }
    return o;
  }

  /** Makes a new temporary copy (a hard link when possible) of an object's bytes. */
  Blob snapshot(StoredObject o) throws IOException {
    Path file = tmp.resolve(randomId() + ".lnk");
    try {
      Files.createLink(file, o.dataFile);
    } catch (UnsupportedOperationException | IOException e) {
      try {
        Files.copy(o.dataFile, file, StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchFileException gone) {
        throw OssError.noSuchKey(o.key);
      }
    }
    return new Blob(file, o.size, null, o.crc);
  }

  void delete(String bucket, String key) throws IOException {
    synchronized (commitLock) {
      NavigableMap<String, StoredObject> index = bucket(bucket);
      StoredObject old = index.remove(key);
      if (old != null) {
        Files.deleteIfExists(metaFile(bucketDir(bucket), key));
        Files.deleteIfExists(old.dataFile);
      }
    }
  }

  private static Path metaFile(Path bucketDir, String key) {
    return bucketDir.resolve("objects").resolve(sha256Hex(key) + ".meta");
  }

  private static Properties objectProperties(StoredObject o) {
    Properties p = new Properties();
    p.setProperty("key", o.key);
    p.setProperty("size", Long.toString(o.size));
    p.setProperty("etag", o.etag);
    p.setProperty("crc", Long.toUnsignedString(o.crc));
    p.setProperty("lastModified", Long.toString(o.lastModified));
    p.setProperty("type", o.objectType);
    p.setProperty("data", o.dataFile.getFileName().toString());
    putAttrs(p, o.attrs);
    return p;
  }

  private static StoredObject readObjectMeta(Path m, Path dataDir) {
    try {
      Properties p = readProperties(m);
      StoredObject o = new StoredObject();
      o.key = p.getProperty("key");
      o.size = Long.parseLong(p.getProperty("size"));
      o.etag = p.getProperty("etag");
      o.crc = Long.parseUnsignedLong(p.getProperty("crc"));
      o.lastModified = Long.parseLong(p.getProperty("lastModified"));
      o.objectType = p.getProperty("type", "Normal");
      o.dataFile = dataDir.resolve(p.getProperty("data"));
      getAttrs(p, o.attrs);
      return o.key == null || o.etag == null ? null : o;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void putAttrs(Properties p, Attrs a) {
    p.setProperty("contentType", a.contentType);
    a.userMeta.forEach((k, v) -> p.setProperty("meta." + k, v));
    a.systemHeaders.forEach((k, v) -> p.setProperty("sys." + k, v));
  }

  private static void getAttrs(Properties p, Attrs a) {
    a.contentType = p.getProperty("contentType", "application/octet-stream");
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("meta.")) {
        a.userMeta.put(name.substring(5), p.getProperty(name));
      } else if (name.startsWith("sys.")) {
        a.systemHeaders.put(name.substring(4), p.getProperty(name));
      }
    }
  }

  // ---------------------------------------------------------------- multipart

  Upload initiate(String bucket, String key, Attrs attrs) throws IOException {
    bucket(bucket);
    Upload u = new Upload();
    u.uploadId = HEX_UPPER.formatHex(randomBytes(16));
    u.bucket = bucket;
    u.key = key;
    u.initiated = System.currentTimeMillis();
    u.attrs.contentType = attrs.contentType;
    u.attrs.userMeta.putAll(attrs.userMeta);
    u.attrs.systemHeaders.putAll(attrs.systemHeaders);
    u.dir = bucketDir(bucket).resolve("uploads").resolve(u.uploadId);
    Properties p = new Properties();
    p.setProperty("key", key);
    p.setProperty("initiated", Long.toString(u.initiated));
    putAttrs(p, u.attrs);
    Path metaTmp = newTempFile();
    writeProperties(metaTmp, p);
    synchronized (commitLock) {
      bucket(bucket);
      Files.createDirectories(u.dir);
      move(metaTmp, u.dir.resolve("upload.meta"));
    }
    return u;
  }

  /** The upload, which must belong to this bucket and key; NoSuchUpload otherwise. */
  Upload upload(String bucket, String key, String uploadId) {
    bucket(bucket);
    if (uploadId == null || !uploadId.matches("[0-9A-F]{32}")) {
      throw OssError.noSuchUpload(uploadId);
    }
    Upload u = new Upload();
    u.dir = bucketDir(bucket).resolve("uploads").resolve(uploadId);
    Properties p;
    try {
      p = readProperties(u.dir.resolve("upload.meta"));
    } catch (IOException e) {
      throw OssError.noSuchUpload(uploadId);
    }
    u.uploadId = uploadId;
    u.bucket = bucket;
    u.key = p.getProperty("key");
    u.initiated = Long.parseLong(p.getProperty("initiated", "0"));
    getAttrs(p, u.attrs);
    if (!key.equals(u.key)) {
      throw OssError.noSuchUpload(uploadId);
    }
    return u;
  }

  Part commitPart(Upload u, int number, Blob blob) throws IOException {
    Part part = new Part();
    part.number = number;
    part.size = blob.size;
    part.etag = HEX_UPPER.formatHex(blob.md5);
    part.crc = blob.crc;
    part.lastModified = System.currentTimeMillis();
    synchronized (commitLock) {
      if (!Files.exists(u.dir.resolve("upload.meta"))) {
        throw OssError.noSuchUpload(u.uploadId);
      }
      Path data = u.dir.resolve("part-" + number + "-" + randomId() + ".bin");
      move(blob.file, data);
      part.dataFile = data;
      Properties p = new Properties();
      p.setProperty("size", Long.toString(part.size));
      p.setProperty("etag", part.etag);
      p.setProperty("crc", Long.toUnsignedString(part.crc));
      p.setProperty("lastModified", Long.toString(part.lastModified));
      p.setProperty("data", data.getFileName().toString());
      Path metaTmp = newTempFile();
      writeProperties(metaTmp, p);
      Path metaPath = u.dir.resolve("part-" + number + ".meta");
      Part old = readPart(u.dir, number);
      move(metaTmp, metaPath);
      if (old != null) {
        Files.deleteIfExists(old.dataFile);
      }
    }
    return part;
  }

  /** Parts uploaded so far, by part number. */
  NavigableMap<Integer, Part> parts(Upload u) throws IOException {
    NavigableMap<Integer, Part> parts = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(u.dir, "part-*.meta")) {
      for (Path m : ds) {
        String name = m.getFileName().toString();
        int n = Integer.parseInt(name.substring(5, name.length() - 5));
        Part p = readPart(u.dir, n);
        if (p != null) {
          parts.put(n, p);
        }
      }
    } catch (NoSuchFileException e) {
      throw OssError.noSuchUpload(u.uploadId);
    }
    return parts;
  }

  private static Part readPart(Path dir, int number) {
    try {
      Properties p = readProperties(dir.resolve("part-" + number + ".meta"));
      Part part = new Part();
      part.number = number;
      part.size = Long.parseLong(p.getProperty("size"));
      part.etag = p.getProperty("etag");
      part.crc = Long.parseUnsignedLong(p.getProperty("crc"));
      part.lastModified = Long.parseLong(p.getProperty("lastModified"));
      part.dataFile = dir.resolve(p.getProperty("data"));
      return part;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  void abort(Upload u) throws IOException {
    synchronized (commitLock) {
      if (!Files.exists(u.dir)) {
        throw OssError.noSuchUpload(u.uploadId);
      }
      deleteTree(u.dir);
    }
  }

  /** Concatenates the chosen parts into a new object; the upload is removed. */
  StoredObject complete(Upload u, List<Part> chosen) throws IOException {
    Path file = newTempFile();
    MessageDigest etagDigest = md5();
    long crc = 0;
    long size = 0;
    boolean ok = false;
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (Part p : chosen) {
        try (FileChannel in = FileChannel.open(p.dataFile, StandardOpenOption.READ)) {
          long pos = 0;
          while (pos < p.size) {
            long n = in.transferTo(pos, p.size - pos, out);
            if (n <= 0) {
              throw new IOException("short part file " + p.number);
            }
            pos += n;
          }
        } catch (NoSuchFileException e) {
          throw new OssError(400, "InvalidPart", "Part " + p.number + " was replaced or removed.")
              .with("PartNumber", Integer.toString(p.number));
        }
        etagDigest.update(HexFormat.of().parseHex(p.etag));
        crc = Crc64.combine(crc, p.crc, p.size);
        size += p.size;
      }
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
    }
    String etag = HEX_UPPER.formatHex(etagDigest.digest()) + "-" + chosen.size();
    Blob blob = new Blob(file, size, null, crc);
    StoredObject o;
    synchronized (commitLock) {
      if (!Files.exists(u.dir.resolve("upload.meta"))) {
        discard(blob);
        throw OssError.noSuchUpload(u.uploadId);
      }
      o = commit(u.bucket, u.key, blob, u.attrs, etag, "Multipart");
      deleteTree(u.dir);
    }
    return o;
  }

  /** Uploads in progress in a bucket, sorted by key then initiation time. */
  List<Upload> uploads(String bucket) throws IOException {
    bucket(bucket);
    List<Upload> out = new ArrayList<>();
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(bucketDir(bucket).resolve("uploads"))) {
      for (Path d : ds) {
        try {
          Properties p = readProperties(d.resolve("upload.meta"));
          Upload u = new Upload();
          u.uploadId = d.getFileName().toString();
          u.bucket = bucket;
          u.key = p.getProperty("key");
          u.initiated = Long.parseLong(p.getProperty("initiated", "0"));
          u.dir = d;
          out.add(u);
        } catch (IOException | RuntimeException e) {
          // skip half-written upload
        }
      }
    }
    out.sort(
        (a, b) ->
            a.key.equals(b.key) ? Long.compare(a.initiated, b.initiated) : a.key.compareTo(b.key));
    return Collections.unmodifiableList(out);
  }

  // ---------------------------------------------------------------- helpers

  private Path newTempFile() throws IOException {
    return Files.createFile(tmp.resolve(randomId() + ".tmp"));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void writeProperties(Path file, Properties p) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, null);
    }
  }

  private static Properties readProperties(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p)) {
          deleteTree(p);
        } else {
          Files.deleteIfExists(p);
        }
      }
    }
    Files.deleteIfExists(dir);
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static String randomId() {
    return HexFormat.of().formatHex(randomBytes(12));
  }

  static String hexUpper(byte[] b) {
    return HEX_UPPER.formatHex(b);
  }
}
