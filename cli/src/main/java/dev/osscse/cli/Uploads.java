package dev.osscse.cli;

import dev.osscse.oss.MultipartUploadResult;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.ResumeToken;
import dev.osscse.oss.UploadedPart;
import dev.osscse.oss.aliyun.OssCseClient;
import java.nio.file.Path;
import java.util.function.BiConsumer;

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
    return multipart(client, bucket, key, file, partSize, parallel, progress, (id, t) -> {});
  }

  /**
   * Uploads a file in parts, counting finished parts into {@code progress}.
   *
   * @param initiated told the upload id and resume token once the upload exists, before any part
   */
  static MultipartUploadResult multipart(
      OssCseClient client,
      String bucket,
      String key,
      Path file,
      long partSize,
      int parallel,
      Progress progress,
      BiConsumer<String, String> initiated)
      throws Exception {
    return uploader(client, partSize, parallel, progress, initiated)
        .upload(bucket, key, file, null);
  }

  /** Resumes an upload of a file with its resume token. */
  static MultipartUploadResult resume(
      OssCseClient client,
      String bucket,
      String key,
      String uploadId,
      ResumeToken token,
      Path file,
      int parallel,
      Progress progress)
      throws Exception {
    return uploader(client, token.partSize(), parallel, progress, (id, t) -> {})
        .resume(bucket, key, uploadId, token, file);
  }

  private static MultipartUploader uploader(
      OssCseClient client,
      long partSize,
      int parallel,
      Progress progress,
      BiConsumer<String, String> initiated) {
    return MultipartUploader.builder(client.core())
        .partSize(partSize)
        .parallelism(parallel)
        .listener(
            new MultipartUploader.PartListener() {
              @Override
              public void uploadInitiated(
                  String bucket, String key, String uploadId, ResumeToken token) {
                initiated.accept(uploadId, token == null ? null : token.toString());
              }

              @Override
              public void partUploaded(UploadedPart part) {
                progress.add(part.size());
              }
            })
        .build();
  }
}
