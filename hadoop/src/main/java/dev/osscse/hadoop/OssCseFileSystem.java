package dev.osscse.hadoop;

import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_LENGTH;
import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY;
import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_STANDARD_OPTIONS;
import static org.apache.hadoop.fs.impl.PathCapabilitiesSupport.validatePathCapabilityArgs;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.ListObjectsV2Request;
import com.aliyun.oss.model.ListObjectsV2Result;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.impl.AbstractFSBuilderImpl;
import org.apache.hadoop.fs.impl.OpenFileParameters;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.util.Progressable;

/**
 * A Hadoop {@link FileSystem} over client-side-encrypted OSS objects: {@code osscse://bucket/path}.
 *
 * <p><b>What it is.</b> Files are objects in the format of the official OSS encryption clients
 * (docs/format.md), read and written through the binding ({@link OssCseClient}, {@link
 * MultipartUploader}); listing, delete, copy and directory markers go through the plain {@link OSS}
 * client. Directories are key prefixes, with an empty marker object {@code dir/} where {@code
 * mkdirs} made one or a delete would leave a parent empty. File lengths come straight from the
 * listing: AES-CTR adds no padding, so the stored size is the plaintext length (FMT-5), and no HEAD
 * per file is needed.
 *
 * <p><b>Security guarantees.</b> Content is encrypted on the client before it leaves the process;
 * no path writes plaintext. Reads are unauthenticated (the format has no MAC). Objects without an
 * envelope are refused when read unless {@code fs.osscse.allow.plaintext} is true. Rename copies
 * objects server-side, which keeps the envelope headers (CopyObject with the COPY directive), so
 * the content is never decrypted; an authenticated object's record is verified and re-rooted to the
 * new key before its copy ({@code EncryptedStore.copyAuthenticationRecord}, FMT-29).
 *
 * <p><b>Restrictions / failure behaviour.</b> No append, concat, hflush or hsync; rename and
 * recursive delete are not atomic (object by object); a single object above 5 GiB cannot be renamed
 * (OSS refuses UploadPartCopy for encrypted objects). Failures are {@link IOException}s naming the
 * operation and the path, never a key.
 *
 * <pre>{@code
 * conf.set("fs.osscse.endpoint", "https://oss-cn-hangzhou.aliyuncs.com");
 * conf.set("fs.osscse.rsa.public.key.file", "/etc/osscse/public.pem");
 * conf.set("fs.osscse.rsa.private.key.files", "/etc/osscse/private.pem");
 * FileSystem fs = FileSystem.get(URI.create("osscse://bucket/"), conf);
 * }</pre>
 */
public class OssCseFileSystem extends FileSystem {
  /** The URI scheme. */
  public static final String SCHEME = "osscse";

  /** Path capability: objects are encrypted on the client. */
  public static final String CAPABILITY_CLIENT_SIDE_ENCRYPTION = "fs.osscse.capability.cse";

  /** The largest object a single CopyObject copies (OSS's limit). */
  public static final long MAX_SINGLE_COPY = 5L << 30;

  /**
   * Where authenticated objects keep their records: {@code .oss-cse-auth/<key>} (docs/format.md
   * FMT-26). Never listed; deleted with their objects.
   */
  public static final String AUTH_PREFIX = ".oss-cse-auth/";

  private static final int DELETE_BATCH = 1000;

  private URI uri;
  private String bucket;
  private Path workingDir;
  private String owner;
  private OssCseFsSettings settings;
  private OSS oss;
  private OssCseClient cse;
  private MultipartUploader uploader;
  private ExecutorService pool;
  private ExecutorService uploadDrivers;

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf);
    bucket = name.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("no bucket in " + name + " (osscse://bucket/path)");
    }
    uri = URI.create(SCHEME + "://" + bucket);
    owner = UserGroupInformation.getCurrentUser().getShortUserName();
    workingDir = new Path("/user", owner).makeQualified(uri, null);
    settings = OssCseFsSettings.from(conf);
    oss = settings.newOssClient();
    try {
      cse = settings.newCseClient(oss);
    } catch (Exception e) {
      oss.shutdown();
      throw new IOException("osscse: cannot load the master keys: " + e.getMessage(), e);
    }
    if (cse.encryptionKey().isPresent()) {
      uploader =
          MultipartUploader.builder(cse.core())
              .partSize(settings.partSize)
              .parallelism(settings.parallelism)
              .build();
    }
    pool = Executors.newFixedThreadPool(settings.parallelism * 2, daemons("osscse-io"));
    uploadDrivers = Executors.newCachedThreadPool(daemons("osscse-upload"));
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public Path getWorkingDirectory() {
    return workingDir;
  }

  @Override
  public void setWorkingDirectory(Path dir) {
    workingDir = makeQualified(dir);
  }

  @Override
  public long getDefaultBlockSize() {
    return settings.blockSize;
  }

  @Override
  public String getCanonicalServiceName() {
    return null;
  }

  /** The encrypting client this file system reads and writes with (bulk jobs share it). */
  public OssCseClient cseClient() {
    return cse;
  }

  /** The bucket of this file system. */
  public String bucket() {
    return bucket;
  }

  /** The object key of a path: no leading slash; the root is the empty key. */
  public String pathToKey(Path path) {
    Path p = path.isAbsolute() ? path : new Path(workingDir, path);
    if (p.toUri().getScheme() != null && p.toUri().getPath().isEmpty()) {
      return "";
    }
    String key = p.toUri().getPath();
    if (key.startsWith("/")) {
      key = key.substring(1);
    }
    if (key.endsWith("/")) {
      key = key.substring(0, key.length() - 1);
    }
    return key;
  }

  private Path keyToPath(String key) {
    return new Path(uri.toString() + "/" + key);
  }

  private FileStatus dirStatus(Path path) {
    return new OssCseFileStatus(0, true, 0, 0, owner, makeQualified(path), null);
  }

  private FileStatus fileStatus(Path path, long length, long mtime, String etag) {
    return new OssCseFileStatus(
        length, false, settings.blockSize, mtime, owner, makeQualified(path), etag);
  }

  // ---------------------------------------------------------------- status and listing

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    FileStatus s = statusOrNull(f);
    if (s == null) {
      throw new FileNotFoundException("No such file or directory: " + f);
    }
    return s;
  }

  /** HEAD for a file, then a one-key listing for a directory; null when neither exists. */
  private FileStatus statusOrNull(Path f) throws IOException {
    String key = pathToKey(f);
    if (key.isEmpty()) {
      return dirStatus(keyToPath(""));
    }
    try {
      ObjectMetadata md = oss.getObjectMetadata(bucket, key);
      return fileStatus(
          keyToPath(key),
          md.getContentLength(),
          md.getLastModified() == null ? 0 : md.getLastModified().getTime(),
          md.getETag());
    } catch (Exception e) {
      if (!OssErrors.isNotFound(e)) {
        throw OssErrors.translate("getFileStatus", f, e);
      }
    }
    if (hasChildrenOrMarker(key + "/")) {
      return dirStatus(keyToPath(key));
    }
    return null;
  }

  private boolean hasChildrenOrMarker(String prefix) throws IOException {
    ListObjectsV2Request req = new ListObjectsV2Request(bucket);
    req.setPrefix(prefix);
    req.setMaxKeys(1);
    try {
      ListObjectsV2Result r = oss.listObjectsV2(req);
      return !r.getObjectSummaries().isEmpty() || !r.getCommonPrefixes().isEmpty();
    } catch (Exception e) {
      throw OssErrors.translate("list", prefix, e);
    }
  }

  /** True if the directory {@code prefix} (ending in /) holds anything besides its marker. */
  private boolean hasChildren(String prefix) throws IOException {
    ListObjectsV2Request req = new ListObjectsV2Request(bucket);
    req.setPrefix(prefix);
    req.setMaxKeys(2);
    try {
      ListObjectsV2Result r = oss.listObjectsV2(req);
      for (OSSObjectSummary s : r.getObjectSummaries()) {
        if (!s.getKey().equals(prefix)) {
          return true;
        }
      }
      return !r.getCommonPrefixes().isEmpty();
    } catch (Exception e) {
      throw OssErrors.translate("list", prefix, e);
    }
  }

  /** One page of a listing of {@code prefix}, with or without the "/" delimiter. */
  private ListObjectsV2Result listPage(String prefix, boolean delimited, String token)
      throws IOException {
    ListObjectsV2Request req = new ListObjectsV2Request(bucket);
    req.setPrefix(prefix);
    req.setMaxKeys(1000);
    if (delimited) {
      req.setDelimiter("/");
    }
    if (token != null) {
      req.setContinuationToken(token);
    }
    try {
      return oss.listObjectsV2(req);
    } catch (Exception e) {
      throw OssErrors.translate("list", prefix, e);
    }
  }

  private static String dirPrefix(String key) {
    return key.isEmpty() ? "" : key + "/";
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    FileStatus st = getFileStatus(f);
    if (!st.isDirectory()) {
      return new FileStatus[] {st};
    }
    String prefix = dirPrefix(pathToKey(f));
    List<FileStatus> out = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Result page = listPage(prefix, true, token);
      for (OSSObjectSummary s : page.getObjectSummaries()) {
        if (s.getKey().equals(prefix) || s.getKey().endsWith("/")) {
          continue;
        }
        out.add(summaryStatus(s));
      }
      for (String p : page.getCommonPrefixes()) {
        if (p.equals(AUTH_PREFIX)) {
          continue;
        }
        out.add(dirStatus(keyToPath(p.substring(0, p.length() - 1))));
      }
      token = page.isTruncated() ? page.getNextContinuationToken() : null;
    } while (token != null);
    return out.toArray(new FileStatus[0]);
  }

  /** The status of a listed object: its listed size is its plaintext length (FMT-5). */
  private FileStatus summaryStatus(OSSObjectSummary s) {
    return fileStatus(
        keyToPath(s.getKey()),
        s.getSize(),
        s.getLastModified() == null ? 0 : s.getLastModified().getTime(),
        s.getETag());
  }

  @Override
  public RemoteIterator<LocatedFileStatus> listLocatedStatus(Path f) throws IOException {
    FileStatus[] all = listStatus(f);
    List<LocatedFileStatus> located = new ArrayList<>(all.length);
    for (FileStatus s : all) {
      located.add(new OssCseLocatedFileStatus(s));
    }
    Iterator<LocatedFileStatus> it = located.iterator();
    return new RemoteIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public LocatedFileStatus next() {
        return it.next();
      }
    };
  }

  @Override
  public RemoteIterator<LocatedFileStatus> listFiles(Path f, boolean recursive) throws IOException {
    if (!recursive) {
      return super.listFiles(f, false);
    }
    FileStatus st = getFileStatus(f);
    if (!st.isDirectory()) {
      return singleton(new OssCseLocatedFileStatus(st));
    }
    String prefix = dirPrefix(pathToKey(f));
    return new RemoteIterator<>() {
      private final Deque<LocatedFileStatus> ready = new ArrayDeque<>();
      private String token;
      private boolean done;

      @Override
      public boolean hasNext() throws IOException {
        while (ready.isEmpty() && !done) {
          ListObjectsV2Result page = listPage(prefix, false, token);
          for (OSSObjectSummary s : page.getObjectSummaries()) {
            if (!s.getKey().endsWith("/") && !s.getKey().startsWith(AUTH_PREFIX)) {
              ready.add(new OssCseLocatedFileStatus(summaryStatus(s)));
            }
          }
          token = page.isTruncated() ? page.getNextContinuationToken() : null;
          done = token == null;
        }
        return !ready.isEmpty();
      }

      @Override
      public LocatedFileStatus next() throws IOException {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  private static RemoteIterator<LocatedFileStatus> singleton(LocatedFileStatus s) {
    Iterator<LocatedFileStatus> it = Collections.singletonList(s).iterator();
    return new RemoteIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public LocatedFileStatus next() {
        return it.next();
      }
    };
  }

  // ---------------------------------------------------------------- directories

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    String key = pathToKey(f);
    if (key.isEmpty()) {
      return true;
    }
    FileStatus st = statusOrNull(f);
    if (st != null) {
      if (st.isDirectory()) {
        return true;
      }
      throw new FileAlreadyExistsException("Path is a file: " + f);
    }
    for (Path p = makeQualified(f).getParent(); p != null && !p.isRoot(); p = p.getParent()) {
      FileStatus ps = statusOrNull(p);
      if (ps != null) {
        if (ps.isDirectory()) {
          break;
        }
        throw new ParentNotDirectoryException("Parent is a file: " + p);
      }
    }
    putMarker(key);
    return true;
  }

  private void putMarker(String key) throws IOException {
    ObjectMetadata md = new ObjectMetadata();
    md.setContentLength(0);
    try {
      oss.putObject(bucket, key + "/", new ByteArrayInputStream(new byte[0]), md);
    } catch (Exception e) {
      throw OssErrors.translate("mkdirs", key, e);
    }
  }

  /** Keeps the parent of {@code key} visible as a directory once its last child went. */
  private void keepParent(String key) throws IOException {
    int slash = key.lastIndexOf('/');
    if (slash <= 0) {
      return;
    }
    String parent = key.substring(0, slash);
    if (!hasChildrenOrMarker(parent + "/")) {
      putMarker(parent);
    }
  }

  // ---------------------------------------------------------------- open

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    FileStatus st = getFileStatus(f);
    if (st.isDirectory()) {
      throw new FileNotFoundException("Is a directory: " + f);
    }
    return openStatus(f, st.getLen(), etagOf(st), null);
  }

  private static String etagOf(FileStatus st) {
    return st instanceof OssCseFileStatus s ? s.getEtag() : null;
  }

  private FSDataInputStream openStatus(Path f, long length, String etag, String policy)
      throws IOException {
    String key = pathToKey(f);
    return new FSDataInputStream(
        new OssCseInputStream(
            cse, bucket, key, f, length, etag, settings.readAhead, ReadPolicy.parse(policy), pool));
  }

  @Override
  protected CompletableFuture<FSDataInputStream> openFileWithOptions(
      Path path, OpenFileParameters parameters) throws IOException {
    AbstractFSBuilderImpl.rejectUnknownMandatoryKeys(
        parameters.getMandatoryKeys(), FS_OPTION_OPENFILE_STANDARD_OPTIONS, "for " + path);
    Configuration options = parameters.getOptions();
    String policy = options.getTrimmed(FS_OPTION_OPENFILE_READ_POLICY, "");
    FileStatus st = parameters.getStatus();
    CompletableFuture<FSDataInputStream> result = new CompletableFuture<>();
    try {
      if (st != null) {
        if (!st.getPath().getName().equals(path.getName())) {
          throw new IllegalArgumentException(
              "file status " + st.getPath() + " does not match the path " + path);
        }
        if (st.isDirectory()) {
          throw new FileNotFoundException("Is a directory: " + path);
        }
        result.complete(openStatus(path, st.getLen(), etagOf(st), policy));
      } else {
        long hint = lengthHint(options);
        if (hint >= 0) {
          // the length hint skips the HEAD; the first GET checks the object's size against it
          result.complete(openStatus(path, hint, null, policy));
        } else {
          FileStatus head = getFileStatus(path);
          if (head.isDirectory()) {
            throw new FileNotFoundException("Is a directory: " + path);
          }
          result.complete(openStatus(path, head.getLen(), etagOf(head), policy));
        }
      }
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private static long lengthHint(Configuration options) {
    String v = options.getTrimmed(FS_OPTION_OPENFILE_LENGTH, "");
    if (v.isEmpty()) {
      return -1;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ---------------------------------------------------------------- create

  @Override
  public FSDataOutputStream create(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    String key = pathToKey(f);
    if (key.isEmpty()) {
      throw new FileAlreadyExistsException("Cannot create a file over the root: " + f);
    }
    if (uploader == null) {
      throw new IOException(
          "create "
              + f
              + ": no write key configured (set "
              + OssCseFsSettings.RSA_PUBLIC_KEY_FILE
              + " or "
              + OssCseFsSettings.KMS_KEY_ID
              + ")");
    }
    FileStatus st = statusOrNull(f);
    if (st != null) {
      if (st.isDirectory()) {
        throw new FileAlreadyExistsException("Path is a directory: " + f);
      }
      if (!overwrite) {
        throw new FileAlreadyExistsException("File already exists: " + f);
      }
    }
    return new FSDataOutputStream(
        new OssCseOutputStream(cse, uploader, uploadDrivers, bucket, key, f), statistics);
  }

  @Override
  public FSDataOutputStream createNonRecursive(
      Path f,
      FsPermission permission,
      java.util.EnumSet<org.apache.hadoop.fs.CreateFlag> flags,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    Path parent = makeQualified(f).getParent();
    if (parent != null && !parent.isRoot()) {
      FileStatus ps = statusOrNull(parent);
      if (ps == null) {
        throw new FileNotFoundException("Parent directory does not exist: " + parent);
      }
      if (ps.isFile()) {
        throw new ParentNotDirectoryException("Parent is a file: " + parent);
      }
    }
    return create(
        f,
        permission,
        flags.contains(org.apache.hadoop.fs.CreateFlag.OVERWRITE),
        bufferSize,
        replication,
        blockSize,
        progress);
  }

  @Override
  public FSDataOutputStream append(Path f, int bufferSize, Progressable progress)
      throws IOException {
    throw new UnsupportedOperationException("osscse does not support append: " + f);
  }

  // ---------------------------------------------------------------- delete

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    String key = pathToKey(f);
    FileStatus st = statusOrNull(f);
    if (st == null) {
      return false;
    }
    if (key.isEmpty()) {
      return deleteRoot(recursive);
    }
    if (!st.isDirectory()) {
      deleteKeys(withCompanions(List.of(key)));
      keepParent(key);
      return true;
    }
    String prefix = key + "/";
    if (!recursive && hasChildren(prefix)) {
      throw new PathIsNotEmptyDirectoryException(f.toString());
    }
    deleteKeys(withCompanions(listKeys(prefix)));
    keepParent(key);
    return true;
  }

  /** The root is never removed; a recursive delete of it removes nothing and returns false. */
  private boolean deleteRoot(boolean recursive) throws IOException {
    if (!hasChildren("")) {
      return true;
    }
    if (recursive) {
      return false;
    }
    throw new PathIOException("/", "cannot delete the non-empty root directory");
  }

  private List<String> listKeys(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Result page = listPage(prefix, false, token);
      for (OSSObjectSummary s : page.getObjectSummaries()) {
        keys.add(s.getKey());
      }
      token = page.isTruncated() ? page.getNextContinuationToken() : null;
    } while (token != null);
    return keys;
  }

  private List<OSSObjectSummary> listSummaries(String prefix) throws IOException {
    List<OSSObjectSummary> out = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Result page = listPage(prefix, false, token);
      out.addAll(page.getObjectSummaries());
      token = page.isTruncated() ? page.getNextContinuationToken() : null;
    } while (token != null);
    return out;
  }

  /**
   * The keys and the companion record key of each object among them (FMT-26), so a deleted object
   * leaves no record behind. A key without a companion costs nothing: DeleteObjects ignores it.
   */
  private static List<String> withCompanions(List<String> keys) {
    List<String> out = new ArrayList<>(keys.size() * 2);
    for (String k : keys) {
      out.add(k);
      if (!k.endsWith("/") && !k.startsWith(AUTH_PREFIX)) {
        out.add(AUTH_PREFIX + k);
      }
    }
    return out;
  }

  /**
   * The keys of the authenticated objects among what a rename moves: those with a companion record
   * (FMT-26). A file costs one HEAD of its companion, a directory one listing of the companion
   * prefix.
   */
  private Set<String> authenticatedKeys(String srcKey, boolean directory) throws IOException {
    Set<String> out = new HashSet<>();
    if (!directory) {
      try {
        if (oss.doesObjectExist(bucket, AUTH_PREFIX + srcKey)) {
          out.add(srcKey);
        }
      } catch (Exception e) {
        throw OssErrors.translate("rename", srcKey, e);
      }
      return out;
    }
    for (String companion : listKeys(AUTH_PREFIX + srcKey + "/")) {
      out.add(companion.substring(AUTH_PREFIX.length()));
    }
    return out;
  }

  /** {@code keys}, each tagged one followed by its companion (deleted after its object). */
  private static List<String> withCompanions(List<String> keys, Set<String> tagged) {
    List<String> out = new ArrayList<>(keys.size() + tagged.size());
    for (String k : keys) {
      out.add(k);
      if (tagged.contains(k)) {
        out.add(AUTH_PREFIX + k);
      }
    }
    return out;
  }

  /** DeleteObjects in batches of 1000 keys. */
  private void deleteKeys(List<String> keys) throws IOException {
    for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
      List<String> batch = keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH));
      DeleteObjectsRequest req = new DeleteObjectsRequest(bucket);
      req.setKeys(new ArrayList<>(batch));
      req.setQuiet(true);
      try {
        oss.deleteObjects(req);
      } catch (Exception e) {
        throw OssErrors.translate("delete", batch.get(0), e);
      }
    }
  }

  // ---------------------------------------------------------------- rename

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    String srcKey = pathToKey(src);
    String dstKey = pathToKey(dst);
    if (srcKey.isEmpty()) {
      return false;
    }
    FileStatus srcStatus = getFileStatus(src);
    if (srcKey.equals(dstKey)) {
      return srcStatus.isFile();
    }
    if (srcStatus.isDirectory() && (dstKey + "/").startsWith(srcKey + "/")) {
      return false;
    }
    FileStatus dstStatus = dstKey.isEmpty() ? dirStatus(keyToPath("")) : statusOrNull(dst);
    if (dstStatus != null) {
      if (dstStatus.isFile()) {
        throw new FileAlreadyExistsException("rename destination is an existing file: " + dst);
      }
      dstKey = dstKey.isEmpty() ? src.getName() : dstKey + "/" + src.getName();
      FileStatus inner = statusOrNull(keyToPath(dstKey));
      if (inner != null) {
        if (inner.isFile() || hasChildren(dstKey + "/")) {
          throw new FileAlreadyExistsException("rename destination exists: " + inner.getPath());
        }
      }
    } else {
      Path parent = makeQualified(dst).getParent();
      if (parent != null && !parent.isRoot()) {
        FileStatus ps = statusOrNull(parent);
        if (ps == null) {
          throw new FileNotFoundException("rename destination parent does not exist: " + parent);
        }
        if (ps.isFile()) {
          throw new ParentNotDirectoryException("rename destination parent is a file: " + parent);
        }
      }
    }
    Set<String> tagged = authenticatedKeys(srcKey, srcStatus.isDirectory());
    if (srcStatus.isFile()) {
      move(srcKey, dstKey, srcStatus.getLen(), tagged.contains(srcKey));
      deleteKeys(withCompanions(List.of(srcKey), tagged));
    } else {
      String from = srcKey + "/";
      String to = dstKey + "/";
      List<OSSObjectSummary> all = listSummaries(from);
      List<Future<?>> copies = new ArrayList<>();
      for (OSSObjectSummary s : all) {
        String target = to + s.getKey().substring(from.length());
        boolean t = tagged.contains(s.getKey());
        copies.add(pool.submit(() -> moveUnchecked(s.getKey(), target, s.getSize(), t)));
      }
      await(copies);
      putMarker(dstKey);
      List<String> keys = new ArrayList<>();
      for (OSSObjectSummary s : all) {
        keys.add(s.getKey());
      }
      deleteKeys(withCompanions(keys, tagged));
    }
    keepParent(srcKey);
    return true;
  }

  private Void moveUnchecked(String from, String to, long size, boolean tagged) throws IOException {
    move(from, to, size, tagged);
    return null;
  }

  /**
   * Copies one object for a rename; the caller deletes the source afterwards. An authenticated
   * object's record binds its key (FMT-29), so the binding verifies the source's record and puts it
   * re-rooted to the new key first, and the object is then copied on the condition of the verified
   * ETag: the copy is never readable without a valid record, a source that does not verify is not
   * copied, and a failed copy removes the new record again (the source is untouched throughout).
   */
  private void move(String from, String to, long size, boolean tagged) throws IOException {
    if (!tagged) {
      copy(from, to, size, null);
      return;
    }
    checkCopySize(from, size);
    String etag;
    try {
      etag = cse.core().copyAuthenticationRecord(bucket, from, bucket, to);
    } catch (GeneralSecurityException e) {
      throw new PathIOException(
          keyToPath(from).toString(),
          "rename refused: the content key needed to carry the authentication record did not"
              + " open: "
              + e.getMessage());
    } catch (RuntimeException e) {
      // The record's PUT failed; it may still have landed.
      throw removeRecord(to, OssErrors.translate("rename", from, e));
    }
    try {
      copy(from, to, size, etag);
    } catch (IOException e) {
      throw removeRecord(to, e);
    }
  }

  /** Deletes the record put for {@code to} when its copy did not happen; returns {@code e}. */
  private IOException removeRecord(String to, IOException e) {
    try {
      oss.deleteObject(bucket, AUTH_PREFIX + to);
    } catch (RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
    return e;
  }

  private static void await(List<Future<?>> futures) throws IOException {
    IOException first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("rename interrupted");
      } catch (ExecutionException e) {
        if (first == null) {
          first =
              e.getCause() instanceof IOException io
                  ? io
                  : new IOException(e.getCause().getMessage(), e.getCause());
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Server-side copy with the COPY directive, which keeps every header of the source, envelope
   * included (FMT-24), so the ciphertext is never decrypted.
   */
  private void copy(String from, String to, long size, String ifMatch) throws IOException {
    checkCopySize(from, size);
    CopyObjectRequest req = new CopyObjectRequest(bucket, from, bucket, to);
    if (ifMatch != null) {
      req.setMatchingETagConstraints(List.of(ifMatch));
    }
    try {
      oss.copyObject(req);
    } catch (Exception e) {
      throw OssErrors.translate("rename", from, e);
    }
  }

  private static void checkCopySize(String from, long size) throws IOException {
    if (size > MAX_SINGLE_COPY) {
      throw new IOException(
          "rename "
              + from
              + ": "
              + size
              + " bytes is above the single CopyObject limit of 5 GiB, and OSS refuses"
              + " UploadPartCopy for client-side-encrypted objects");
    }
  }

  // ---------------------------------------------------------------- capabilities

  @Override
  public boolean hasPathCapability(Path path, String capability) throws IOException {
    switch (validatePathCapabilityArgs(makeQualified(path), capability)) {
      case CommonPathCapabilities.FS_APPEND:
      case CommonPathCapabilities.FS_CONCAT:
      case CommonPathCapabilities.FS_PERMISSIONS:
      case CommonPathCapabilities.FS_ACLS:
      case CommonPathCapabilities.FS_XATTRS:
      case CommonPathCapabilities.FS_TRUNCATE:
      case CommonPathCapabilities.FS_SNAPSHOTS:
      case CommonPathCapabilities.FS_STORAGEPOLICY:
      case CommonPathCapabilities.FS_SYMLINKS:
      case CommonPathCapabilities.FS_CHECKSUMS:
      case CommonPathCapabilities.FS_MULTIPART_UPLOADER:
        return false;
      case CAPABILITY_CLIENT_SIDE_ENCRYPTION:
      case CommonPathCapabilities.ETAGS_AVAILABLE:
        return true;
      default:
        return super.hasPathCapability(path, capability);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      if (cse != null) {
        cse.clearKeyCache();
      }
      if (pool != null) {
        pool.shutdownNow();
        uploadDrivers.shutdownNow();
      }
      if (oss != null) {
        oss.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "OssCseFileSystem{" + uri + ", " + settings + '}';
  }

  /** The read policies of openFile(), reduced to the two this stream has. */
  enum ReadPolicy {
    ADAPTIVE,
    SEQUENTIAL,
    RANDOM;

    static ReadPolicy parse(String option) {
      if (option == null) {
        return ADAPTIVE;
      }
      for (String p : option.split(",")) {
        switch (p.trim().toLowerCase(Locale.ROOT)) {
          case "random":
          case "vector":
          case "parquet":
          case "orc":
          case "columnar":
          case "hbase":
            return RANDOM;
          case "sequential":
          case "whole-file":
          case "csv":
          case "json":
          case "avro":
            return SEQUENTIAL;
          case "adaptive":
          case "default":
            return ADAPTIVE;
          default:
            // unknown policies are skipped, as the openFile() specification asks
        }
      }
      return ADAPTIVE;
    }
  }
}
