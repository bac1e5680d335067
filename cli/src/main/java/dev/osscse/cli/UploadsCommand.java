package dev.osscse.cli;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.MultipartUpload;
import com.aliyun.oss.model.MultipartUploadListing;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code uploads list|abort|resume}: multipart uploads that were started and not completed. */
@Command(
    name = "uploads",
    mixinStandardHelpOptions = true,
    header = "List, abort or resume unfinished multipart uploads.",
    description = {
      "A multipart upload that was started and neither completed nor aborted (an interrupted or"
          + " failed put) keeps its parts on the server, and OSS bills for them. List them, abort"
          + " them, or resume one that put recorded here from what the server holds.",
      "put records each multipart upload it starts, with its resume token, in the state directory"
          + " ($XDG_STATE_HOME/oss-cse/uploads, else ~/.local/state/oss-cse/uploads) until it ends;"
          + " resume needs that record."
    },
    subcommands = {
      UploadsCommand.ListCommand.class,
      UploadsCommand.AbortCommand.class,
      UploadsResumeCommand.class
    })
final class UploadsCommand extends BaseCommand {
  UploadsCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(ctx.err());
    return ExitCodes.USAGE;
  }

  /** Every unfinished multipart upload of a bucket (under a prefix), all pages. */
  static List<MultipartUpload> listAll(OSS oss, String bucket, String prefix) {
    List<MultipartUpload> all = new ArrayList<>();
    String keyMarker = null;
    String idMarker = null;
    for (int page = 0; page < 10_000; page++) {
      ListMultipartUploadsRequest r = new ListMultipartUploadsRequest(bucket);
      r.setPrefix(prefix);
      r.setMaxUploads(1000);
      r.setKeyMarker(keyMarker);
      r.setUploadIdMarker(idMarker);
      MultipartUploadListing l = oss.listMultipartUploads(r);
      all.addAll(l.getMultipartUploads());
      if (!l.isTruncated()
          || l.getNextKeyMarker() == null
          || (l.getNextKeyMarker().equals(keyMarker)
              && java.util.Objects.equals(l.getNextUploadIdMarker(), idMarker))) {
        break;
      }
      keyMarker = l.getNextKeyMarker();
      idMarker = l.getNextUploadIdMarker();
    }
    return all;
  }

  /** The command that aborts one upload, for messages. */
  static String abortCommand(String bucket, String key, String uploadId) {
    return "oss-cse uploads abort --bucket "
        + Shell.quote(bucket)
        + " --key "
        + Shell.quote(key)
        + " --upload-id "
        + Shell.quote(uploadId);
  }

  /** {@code uploads list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      header = "List the unfinished multipart uploads of a bucket.",
      description = {
        "One line per upload on standard output: upload id, start time, object and, when put"
            + " recorded it here, its record file in the state directory (else '-')."
      })
  static final class ListCommand extends BaseCommand {
    @Mixin ConnectionOptions connection;

    @Option(names = "--bucket", paramLabel = "B", required = true, description = "Bucket.")
    String bucket;

    @Option(
        names = "--prefix",
        paramLabel = "P",
        description = "Only uploads of object keys starting with P.")
    String prefix;

    ListCommand(CliContext ctx) {
      super(ctx);
    }

    @Override
    public Integer call() {
      UploadStateStore store = UploadStateStore.of(ctx);
      try (Connections c = new Connections(ctx, connection)) {
        List<MultipartUpload> uploads;
        try {
          uploads = listAll(c.oss(), bucket, prefix);
        } catch (RuntimeException e) {
          throw Errors.classify(e, "oss://" + bucket + "/" + (prefix == null ? "" : prefix));
        }
        String endpoint = c.ossEndpoint();
        PrintStream o = ctx.out();
        for (MultipartUpload u : uploads) {
          Optional<UploadStateStore.Entry> state =
              store.find(endpoint, bucket, u.getKey(), u.getUploadId());
          o.println(
              u.getUploadId()
                  + "  "
                  + (u.getInitiated() == null
                      ? "-"
                      : DateTimeFormatter.ISO_INSTANT.format(u.getInitiated().toInstant()))
                  + "  "
                  + uri(bucket, u.getKey())
                  + "  "
                  + (state.isPresent()
                      ? store.fileOf(endpoint, bucket, u.getKey(), u.getUploadId()).toString()
                      : "-"));
        }
        o.flush();
        if (uploads.isEmpty()) {
          note("uploads: no unfinished multipart upload in oss://" + bucket + "/" + orEmpty());
        } else {
          note(
              "uploads: "
                  + uploads.size()
                  + " unfinished multipart upload"
                  + (uploads.size() == 1 ? "" : "s")
                  + " in oss://"
                  + bucket
                  + "/"
                  + orEmpty()
                  + "; their parts are stored (and billed) until each is resumed or aborted:"
                  + " oss-cse uploads resume|abort --bucket "
                  + bucket
                  + " --key K --upload-id ID");
        }
      }
      return ExitCodes.OK;
    }

    private String orEmpty() {
      return prefix == null ? "" : prefix;
    }
  }

  /** {@code uploads abort}. */
  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      header = "Abort an unfinished multipart upload (its parts are deleted).",
      description = {
        "Abort one multipart upload: the server deletes its parts and stops billing for them, and"
            + " the local record of it is removed."
      })
  static final class AbortCommand extends BaseCommand {
    @Mixin ConnectionOptions connection;

    @Option(names = "--bucket", paramLabel = "B", required = true, description = "Bucket.")
    String bucket;

    @Option(names = "--key", paramLabel = "K", required = true, description = "Object key.")
    String key;

    @Option(
        names = "--upload-id",
        paramLabel = "ID",
        required = true,
        description = "Upload id, as uploads list or an interrupted put printed it.")
    String uploadId;

    AbortCommand(CliContext ctx) {
      super(ctx);
    }

    @Override
    public Integer call() throws Exception {
      String subject = uri(bucket, key);
      UploadStateStore store = UploadStateStore.of(ctx);
      try (Connections c = new Connections(ctx, connection)) {
        String endpoint = c.ossEndpoint();
        try {
          c.oss().abortMultipartUpload(new AbortMultipartUploadRequest(bucket, key, uploadId));
        } catch (RuntimeException e) {
          CliException ce = Errors.classify(e, subject);
          if (ce.exitCode() == ExitCodes.NOT_FOUND) {
            store.delete(endpoint, bucket, key, uploadId);
          }
          throw ce;
        }
        boolean had = store.delete(endpoint, bucket, key, uploadId);
        note(
            "uploads: aborted multipart upload "
                + uploadId
                + " of "
                + subject
                + (had ? "; removed its record in " + store.dir() : ""));
      }
      return ExitCodes.OK;
    }
  }

  /** Quoting for commands printed for the user to paste into a POSIX shell. */
  static final class Shell {
    private Shell() {}

    static String quote(String s) {
      if (!s.isEmpty()
          && s.chars()
              .allMatch(ch -> Character.isLetterOrDigit(ch) || "-_./:=@%+,".indexOf(ch) >= 0)) {
        return s;
      }
      return "'" + s.replace("'", "'\\''") + "'";
    }

    static String quote(Path p) {
      return quote(p.toString());
    }
  }
}
