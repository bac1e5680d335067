package dev.osscse.cli;

import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.EncryptedMultipartUpload;
import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MultipartUploadException;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code put}: encrypt a file and upload it. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    header = "Encrypt a file and upload it.",
    description = {
      "Encrypt a file on the client (AES-256-CTR under a fresh content key) and upload it,"
          + " with the content key wrapped by one master key (RSA public key or KMS key).",
      "Large files (or any file when --part-size is given) are sent as a multipart upload."
    })
final class PutCommand extends BaseCommand {
  /** Files at least this large go multipart when no --part-size is given. */
  static final long MULTIPART_THRESHOLD = 64L * 1024 * 1024;

  /** Default part size for multipart uploads (larger when a file would need more parts). */
  static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

  /** OSS's smallest part size (every part but the last): 100 KiB. */
  static final long MIN_PART_SIZE = 100L * 1024;

  /** OSS's largest part size: 5 GiB. */
  static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

  /** OSS's largest part count. */
  static final int MAX_PARTS = EncryptedMultipartUpload.MAX_PARTS;

  @Mixin ConnectionOptions connection;

  @Option(names = "--bucket", paramLabel = "B", required = true, description = "Bucket.")
  String bucket;

  @Option(names = "--key", paramLabel = "K", required = true, description = "Object key.")
  String key;

  @Option(names = "--file", paramLabel = "F", required = true, description = "File to upload.")
  Path file;

  @ArgGroup(exclusive = true, multiplicity = "1")
  MasterKeyOptions master;

  @Option(
      names = "--matdesc",
      paramLabel = "JSON",
      description =
          "Material description, a JSON object of strings, stored in"
              + " x-oss-meta-client-side-encryption-matdesc (e.g. '{\"desc\":\"backup\"}').")
  String matDesc;

  @Option(
      names = "--part-size",
      paramLabel = "N",
      converter = SizeConverter.class,
      description =
          "Multipart part size (a multiple of 16, at least 100 KiB; e.g. 8M). Giving it forces a"
              + " multipart upload; otherwise files of 64 MiB or more use 8 MiB parts.")
  Long partSize;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "4",
      description = "Parts uploaded at once in a multipart upload (default ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--authenticate",
      description =
          "Also write chunk tags (HMAC-SHA256 per 1 MiB, in the companion object .oss-cse-auth/<key>) so"
              + " that get/cat --require-authentication detect any change; the object stays"
              + " readable by every official SDK. --part-size must then be a multiple of 1 MiB.")
  boolean authenticate;

  PutCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() throws Exception {
    if (parallel < 1 || parallel > 64) {
      throw new CliException(ExitCodes.USAGE, "--parallel must be 1..64, got " + parallel);
    }
    Map<String, String> md = Keys.parseMatDesc(matDesc);
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          ExitCodes.NOT_FOUND, "--file " + file + ": no such file (or not a regular file)");
    }
    long size = Files.size(file);
    String subject = uri(bucket, key);
    if (partSize != null) {
      checkPartSize(subject, partSize, size);
      if (authenticate && partSize % (1L << 20) != 0) {
        throw new CliException(
            ExitCodes.USAGE,
            subject
                + ": --part-size "
                + partSize
                + " is not a multiple of 1 MiB, which --authenticate needs (each part tags its"
                + " own 1 MiB chunks); e.g. 8M");
      }
    }
    try (Connections c = new Connections(ctx, connection)) {
      MasterKey mk = master.masterKey(c, md);
      OssCseClient client =
          OssCseClient.builder(c.oss()).encryptWith(mk).authenticate(authenticate).build();
      boolean multipart = partSize != null || size >= MULTIPART_THRESHOLD;
      long t0 = System.nanoTime();
      try (Progress progress = Progress.start(ctx, quiet(), "put " + key, size)) {
        if (multipart) {
          long ps = partSize != null ? partSize : defaultPartSize(size);
          multipart(c, client, ps, size, subject, progress);
        } else {
          ObjectMetadata meta = new ObjectMetadata();
          meta.setContentLength(size);
          try (InputStream in = progress.counting(Files.newInputStream(file))) {
            client.putObject(bucket, key, in, meta);
          }
        }
      } catch (CliException e) {
        throw e;
      } catch (Exception e) {
        throw Errors.classify(e, subject);
      }
      long t = System.nanoTime() - t0;
      note(
          "put "
              + subject
              + ": "
              + Format.bytes(size)
              + (multipart ? " (multipart)" : "")
              + (authenticate ? " authenticated," : "")
              + " encrypted with "
              + master.describe()
              + " "
              + Format.took(size, t));
    }
    return ExitCodes.OK;
  }

  /**
   * A multipart upload that leaves nothing behind silently: recorded in the state directory while
   * it runs, aborted on SIGINT/SIGTERM, and when it fails and cannot be aborted, the message says
   * how to resume or abort it.
   */
  private void multipart(
      Connections c, OssCseClient client, long ps, long size, String subject, Progress progress)
      throws Exception {
    try (PutUploadGuard guard =
        new PutUploadGuard(
            UploadStateStore.of(ctx),
            c::newOss,
            ctx.err(),
            c.ossEndpoint(),
            bucket,
            key,
            file,
            size,
            ps,
            master.describe(),
            "--file "
                + UploadsCommand.Shell.quote(file.toAbsolutePath())
                + " "
                + master.resumeOptions(),
            quiet())) {
      try {
        Uploads.multipart(client, bucket, key, file, ps, parallel, progress, guard::started);
        guard.finish(true);
      } catch (MultipartUploadException e) {
        boolean kept = !e.aborted() && e.uploadId().isPresent();
        guard.finish(!kept);
        CliException ce = Errors.classify(e, subject);
        if (kept) {
          throw new CliException(ce.exitCode(), ce.getMessage() + "; " + guard.resumeHint(), e);
        }
        throw ce;
      }
    }
  }

  /**
   * Refuses, before anything is sent, a part size OSS or the format would refuse later: not a
   * multiple of 16 (each part must start on an AES block), below 100 KiB or above 5 GiB, or so
   * small that the file needs more than 10,000 parts.
   */
  static void checkPartSize(String subject, long partSize, long fileSize) {
    if (partSize % 16 != 0) {
      throw new CliException(
          ExitCodes.USAGE,
          subject
              + ": --part-size "
              + partSize
              + " is not a multiple of 16 (each part must start on an AES block boundary);"
              + " e.g. 8M");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new CliException(
          ExitCodes.USAGE,
          subject
              + ": --part-size "
              + partSize
              + " is below OSS's minimum part size of 100 KiB ("
              + MIN_PART_SIZE
              + " bytes); e.g. 8M");
    }
    if (partSize > MAX_PART_SIZE) {
      throw new CliException(
          ExitCodes.USAGE,
          subject + ": --part-size " + partSize + " is above OSS's maximum part size of 5 GiB");
    }
    long parts = fileSize == 0 ? 1 : (fileSize + partSize - 1) / partSize;
    if (parts > MAX_PARTS) {
      throw new CliException(
          ExitCodes.USAGE,
          subject
              + ": --part-size "
              + partSize
              + " would cut the "
              + fileSize
              + "-byte file into "
              + parts
              + " parts, more than OSS's "
              + MAX_PARTS
              + "; use at least "
              + minPartSize(fileSize)
              + " bytes");
    }
  }

  /** 8 MiB, or the smallest whole MiB that keeps the file within 10,000 parts. */
  static long defaultPartSize(long fileSize) {
    long mib = 1024L * 1024;
    long needed = (minPartSize(fileSize) + mib - 1) / mib * mib;
    return Math.max(DEFAULT_PART_SIZE, needed);
  }

  /** The smallest multiple of 16 that cuts {@code fileSize} bytes into at most 10,000 parts. */
  private static long minPartSize(long fileSize) {
    long min = (fileSize + MAX_PARTS - 1) / MAX_PARTS;
    return Math.max(MIN_PART_SIZE, (min + 15) / 16 * 16);
  }
}
