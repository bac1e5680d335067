package dev.osscse.cli;

import dev.osscse.oss.MasterKey;
import dev.osscse.oss.MasterKeyRing;
import dev.osscse.oss.MultipartUploadException;
import dev.osscse.oss.MultipartUploadResult;
import dev.osscse.oss.ResumeToken;
import dev.osscse.oss.aliyun.OssCseClient;
import dev.osscse.provider.KmsKeyReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code uploads resume}: continue a multipart upload that {@code put} recorded here. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    header = "Resume an unfinished multipart upload of a put, from what the server holds.",
    description = {
      "Resume a multipart upload that put started and recorded in the state directory: the"
          + " content key the upload lists is unwrapped with the given key and checked against the"
          + " recorded resume token (an upload that is not this put's own is refused), every part"
          + " on the server is checked against the file, the missing parts are uploaded and the"
          + " object is completed and verified."
    })
final class UploadsResumeCommand extends BaseCommand {
  @Mixin ConnectionOptions connection;

  @Option(names = "--bucket", paramLabel = "B", required = true, description = "Bucket.")
  String bucket;

  @Option(names = "--key", paramLabel = "K", required = true, description = "Object key.")
  String key;

  @Option(
      names = "--upload-id",
      paramLabel = "ID",
      required = true,
      description = "Upload id, as put or uploads list printed it.")
  String uploadId;

  @Option(
      names = "--file",
      paramLabel = "F",
      description = "The file being uploaded (default: the one put recorded).")
  Path file;

  @ArgGroup(exclusive = true, multiplicity = "1")
  KeyOptions keys;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "4",
      description = "Parts uploaded at once (default ${DEFAULT-VALUE}).")
  int parallel;

  /** The key that unwraps what put wrapped: exactly one. */
  static final class KeyOptions {
    @Option(
        names = "--rsa-private",
        paramLabel = "PEM",
        required = true,
        description = "Private key of the RSA pair whose public key put used.")
    Path rsaPrivate;

    @Option(
        names = "--kms-key-id",
        paramLabel = "ID",
        required = true,
        description = "The KMS key put used.")
    String kmsKeyId;

    /** The key pair (or KMS key) of the upload: unwraps the listed key, wraps nothing new. */
    MasterKey masterKey(Connections c) {
      if (rsaPrivate != null) {
        return MasterKey.rsa(
            Keys.readPublic(rsaPrivate, "--rsa-private"),
            Keys.readPrivate(rsaPrivate, "--rsa-private"),
            Map.of());
      }
      return MasterKey.kms(KmsKeyReference.of(c.kms(), kmsKeyId), Map.of());
    }
  }

  UploadsResumeCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() throws Exception {
    if (parallel < 1 || parallel > 64) {
      throw new CliException(ExitCodes.USAGE, "--parallel must be 1..64, got " + parallel);
    }
    String subject = uri(bucket, key);
    UploadStateStore store = UploadStateStore.of(ctx);
    try (Connections c = new Connections(ctx, connection)) {
      String endpoint = c.ossEndpoint();
      UploadStateStore.Entry record =
          store
              .find(endpoint, bucket, key, uploadId)
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.NOT_FOUND,
                          subject
                              + ": no record of multipart upload "
                              + uploadId
                              + " in "
                              + store.dir()
                              + " (put writes one when it starts an upload); without its resume"
                              + " token the upload cannot be proven to be this put's own, so it is"
                              + " not resumed: delete its parts with '"
                              + UploadsCommand.abortCommand(bucket, key, uploadId)
                              + "' and put the file again"));
      Path source = file != null ? file : Path.of(record.file);
      if (!Files.isRegularFile(source)) {
        throw new CliException(
            ExitCodes.NOT_FOUND,
            (file != null ? "--file " : "the recorded file ")
                + source
                + ": no such file (or not a regular file)"
                + (file != null ? "" : "; pass --file"));
      }
      long size = Files.size(source);
      ResumeToken token;
      try {
        token = ResumeToken.parse(record.resumeToken == null ? "" : record.resumeToken);
      } catch (Exception e) {
        throw new CliException(
            ExitCodes.KEY,
            subject
                + ": the record "
                + store.fileOf(endpoint, bucket, key, uploadId)
                + " holds no usable resume token; the upload cannot be resumed, abort it with '"
                + UploadsCommand.abortCommand(bucket, key, uploadId)
                + "'",
            e);
      }
      MasterKey mk = keys.masterKey(c);
      OssCseClient client =
          OssCseClient.builder(c.oss())
              .encryptWith(mk)
              .decryptWith(MasterKeyRing.builder().defaultKey(mk).build())
              .build();
      long t0 = System.nanoTime();
      MultipartUploadResult r;
      try (Progress progress = Progress.start(ctx, quiet(), "resume " + key, size)) {
        r = Uploads.resume(client, bucket, key, uploadId, token, source, parallel, progress);
      } catch (MultipartUploadException e) {
        if (e.aborted()) {
          store.delete(endpoint, bucket, key, uploadId);
        }
        throw Errors.classify(e, subject);
      } catch (CliException e) {
        throw e;
      } catch (Exception e) {
        throw Errors.classify(e, subject);
      }
      store.delete(endpoint, bucket, key, uploadId);
      note(
          "resume "
              + subject
              + ": multipart upload "
              + uploadId
              + " completed, "
              + r.partCount()
              + " parts ("
              + r.resumedPartCount()
              + " were already on the server and matched the file), "
              + Format.bytes(size)
              + " "
              + Format.took(size, System.nanoTime() - t0));
    }
    return ExitCodes.OK;
  }
}
