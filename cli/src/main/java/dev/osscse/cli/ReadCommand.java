package dev.osscse.cli;

import com.aliyun.oss.event.ProgressEventType;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.ByteRange;
import dev.osscse.oss.EnvelopeCodec;
import dev.osscse.oss.UnauthenticatedObjectStream;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code get} and {@code cat} share: download and decrypt an object or a range of it. */
abstract class ReadCommand extends BaseCommand {
  @Mixin ConnectionOptions connection;

  @Option(names = "--bucket", paramLabel = "B", required = true, description = "Bucket.")
  String bucket;

  @Option(names = "--key", paramLabel = "K", required = true, description = "Object key.")
  String key;

  @Option(
      names = "--range",
      paramLabel = "SPEC",
      description = "Plaintext byte range as in HTTP: a-b (inclusive), a- (from a) or -n (last n).")
  String range;

  @Mixin DecryptionOptions keys;

  @Option(
      names = "--require-authentication",
      description =
          "Refuse an object that is not authenticated (written with put --authenticate) or whose"
              + " tags do not verify; no byte of a 1 MiB chunk is output before it verified.")
  boolean requireAuthentication;

  ReadCommand(CliContext ctx) {
    super(ctx);
  }

  /** The output file, or null for standard output. */
  abstract Path target();

  @Override
  public Integer call() throws Exception {
    ByteRange r;
    try {
      r = range == null ? null : ByteRange.parse(range);
    } catch (IllegalArgumentException e) {
      throw Errors.classify(e, null);
    }
    Path target = target();
    if (target != null) {
      if (Files.isDirectory(target)) {
        throw new CliException(
            ExitCodes.USAGE, "--out " + target + " is a directory; give a file name");
      }
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new CliException(ExitCodes.NOT_FOUND, "--out " + target + ": no such directory");
      }
    }
    String subject = uri(bucket, key);
    try (Connections c = new Connections(ctx, connection)) {
      OssCseClient client = keys.client(c, requireAuthentication);
      long t0 = System.nanoTime();
      long n;
      boolean encrypted;
      try (Progress progress = Progress.start(ctx, quiet(), spec.name() + " " + key, -1)) {
        GetObjectRequest request = new GetObjectRequest(bucket, key);
        request.setProgressListener(
            e -> {
              if (e.getEventType() == ProgressEventType.RESPONSE_BYTE_TRANSFER_EVENT) {
                progress.add(e.getBytes());
              } else if (e.getEventType() == ProgressEventType.RESPONSE_CONTENT_LENGTH_EVENT) {
                progress.total(e.getBytes());
              }
            });
        if (target != null) {
          ObjectMetadata md = client.downloadObject(request, r, target);
          n = md.getContentLength();
          encrypted = EnvelopeCodec.fromUserMetadata(md.getUserMetadata()).isPresent();
        } else {
          try (UnauthenticatedObjectStream in = client.getObject(request, r)) {
            encrypted = in.isEncrypted();
            OutputStream o = new StdoutStream(ctx.out());
            n = in.transferTo(o);
            o.flush();
          }
        }
      } catch (CliException e) {
        throw e;
      } catch (OutputClosedException e) {
        // The reader went away (cat ... | head): stop quietly and succeed, as Unix tools do.
        return ExitCodes.OK;
      } catch (Exception e) {
        CliException keyChoice = keys.explain(e, subject);
        throw keyChoice != null ? keyChoice : Errors.classify(e, subject);
      }
      long t = System.nanoTime() - t0;
      note(
          spec.name()
              + " "
              + subject
              + (r == null ? "" : " range " + r)
              + ": "
              + Format.bytes(n)
              + (encrypted
                  ? (requireAuthentication ? " authenticated and decrypted" : " decrypted")
                  : " read as stored (plaintext object, no client-side encryption headers)")
              + (target == null ? "" : " to " + target)
              + " "
              + Format.took(n, t));
    }
    return ExitCodes.OK;
  }

  /** Standard output that fails fast once the reader is gone (e.g. {@code cat ... | head}). */
  private static final class StdoutStream extends FilterOutputStream {
    private final PrintStream target;

    StdoutStream(PrintStream target) {
      super(target);
      this.target = target;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
      check();
    }

    @Override
    public void flush() throws IOException {
      target.flush();
      check();
    }

    private void check() throws IOException {
      if (target.checkError()) {
        throw new OutputClosedException();
      }
    }
  }

  /** Standard output's reader is gone (a broken pipe); not an error for {@code cat}. */
  private static final class OutputClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    OutputClosedException() {
      super("standard output was closed before the end; stopped");
    }
  }
}
