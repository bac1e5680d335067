package dev.osscse.hadoop;

import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/** A file or directory status that carries the object's ETag (null for directories). */
final class OssCseFileStatus extends FileStatus implements EtagSource {
  private static final long serialVersionUID = 1L;

  private final String etag;

  OssCseFileStatus(
      long length, boolean dir, long blockSize, long mtime, String owner, Path path, String etag) {
    super(
        length,
        dir,
        1,
        blockSize,
        mtime,
        0,
        dir ? FsPermission.getDirDefault() : FsPermission.getFileDefault(),
        owner,
        owner,
        path);
    this.etag = etag;
  }

  @Override
  public String getEtag() {
    return etag;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
