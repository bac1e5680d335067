package dev.osscse.hadoop.contract;

import dev.osscse.hadoop.LocalEndpoint;
import dev.osscse.hadoop.OssCseFileSystem;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.contract.AbstractFSContract;

/**
 * The osscse contract: the shared local endpoint, bucket {@code contract}, options in osscse.xml.
 */
public final class OssCseContract extends AbstractFSContract {
  static final String BUCKET = "contract";

  private FileSystem fs;

  public OssCseContract(Configuration conf) {
    super(conf);
    addConfResource("contract/osscse.xml");
  }

  @Override
  public void init() throws IOException {
    super.init();
    Configuration conf = getConf();
    LocalEndpoint.get().configuration(BUCKET);
    LocalEndpoint.get().applyTo(conf);
    fs = new OssCseFileSystem();
    fs.initialize(URI.create("osscse://" + BUCKET + "/"), conf);
  }

  @Override
  public FileSystem getTestFileSystem() {
    return fs;
  }

  @Override
  public String getScheme() {
    return OssCseFileSystem.SCHEME;
  }

  @Override
  public Path getTestPath() {
    return new Path("/test");
  }
}
