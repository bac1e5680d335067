package dev.osscse.hadoop;

import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;

/** A located file status that keeps the object's ETag. */
final class OssCseLocatedFileStatus extends LocatedFileStatus implements EtagSource {
  private static final long serialVersionUID = 1L;

  private final String etag;

  OssCseLocatedFileStatus(FileStatus status) {
    super(status, locations(status));
    this.etag = status instanceof EtagSource e ? e.getEtag() : null;
  }

  /** One block on "localhost" covering the file, as FileSystem#getFileBlockLocations reports. */
  private static BlockLocation[] locations(FileStatus status) {
    if (status.isDirectory()) {
      return new BlockLocation[0];
    }
    return new BlockLocation[] {
      new BlockLocation(
          new String[] {"localhost:9866"}, new String[] {"localhost"}, 0, status.getLen())
    };
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
