package dev.osscse.cli;

import dev.osscse.oss.MultipartUploadResult;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.OssCseClient;
import dev.osscse.oss.UploadedPart;
import java.nio.file.Path;

/** Multipart uploads through the binding's {@link MultipartUploader}. */
final class Uploads {
  private Uploads() {}

  /** Uploads a file in parts, counting finished parts into {@code progress}. */
  static MultipartUploadResult multipart(
      OssCseClient client,
      String bucket,
      String key,
      Path file,
      long partSize,
      int parallel,
      Progress progress)
      throws Exception {
    MultipartUploader up =
        MultipartUploader.builder(client)
            .partSize(partSize)
            .parallelism(parallel)
            .listener(
                new MultipartUploader.PartListener() {
                  @Override
                  public void partUploaded(UploadedPart part) {
                    progress.add(part.size());
                  }
                })
            .build();
    return up.upload(bucket, key, file, null);
  }
}
