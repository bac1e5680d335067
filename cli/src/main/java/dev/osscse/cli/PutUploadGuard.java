package dev.osscse.cli;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.ListPartsRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Keeps a multipart {@code put} from leaving an orphaned upload silently. When the upload is
 * initiated its record (upload id, resume token, source file) is written to the user's state
 * directory and a shutdown hook is installed; on SIGINT/SIGTERM the hook aborts the upload and
 * removes the record, or, if the abort fails, prints the upload id and the commands that resume or
 * abort it. When {@code put} ends on its own the hook is removed, and the record is removed unless
 * the upload was kept.
 */
final class PutUploadGuard implements AutoCloseable {
  private final UploadStateStore store;
  private final Supplier<OSS> abortClient;
  private final PrintStream err;
  private final String endpoint;
  private final String bucket;
  private final String key;
  private final Path file;
  private final long fileSize;
  private final long partSize;
  private final String masterKey;
  private final String resumeKeyOptions;
  private final boolean quiet;

  private volatile String uploadId;
  private volatile String resumeToken;
  private volatile Path record;
  private Thread hook;
  private volatile boolean finished;

  PutUploadGuard(
      UploadStateStore store,
      Supplier<OSS> abortClient,
      PrintStream err,
      String endpoint,
      String bucket,
      String key,
      Path file,
      long fileSize,
      long partSize,
      String masterKey,
      String resumeKeyOptions,
      boolean quiet) {
    this.store = store;
    this.abortClient = abortClient;
    this.err = err;
    this.endpoint = endpoint;
    this.bucket = bucket;
    this.key = key;
    this.file = file.toAbsolutePath();
    this.fileSize = fileSize;
    this.partSize = partSize;
    this.masterKey = masterKey;
    this.resumeKeyOptions = resumeKeyOptions;
    this.quiet = quiet;
  }

  /** The upload was initiated: record it and arm the shutdown hook. */
  synchronized void started(String id, String resumeToken) {
    this.uploadId = id;
    this.resumeToken = resumeToken;
    UploadStateStore.Entry e = new UploadStateStore.Entry();
    e.endpoint = endpoint;
    e.bucket = bucket;
    e.key = key;
    e.uploadId = id;
    e.file = file.toString();
    e.fileSize = fileSize;
    e.partSize = partSize;
    e.resumeToken = resumeToken;
    e.masterKey = masterKey;
    e.started = Instant.now().toString();
    try {
      record = store.save(e);
    } catch (IOException x) {
      record = null;
      err.println(
          "oss-cse: warning: cannot record multipart upload "
              + id
              + " in "
              + store.dir()
              + " ("
              + x.getClass().getSimpleName()
              + "); if this put is killed, find it with 'oss-cse uploads list --bucket "
              + bucket
              + "'");
    }
    if (!quiet && record != null) {
      err.println(
          "put "
              + BaseCommand.uri(bucket, key)
              + ": multipart upload "
              + id
              + " started; recorded in "
              + record
              + " until it ends");
    }
    if (hook == null) {
      hook = new Thread(this::onShutdown, "oss-cse-put-interrupted");
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /** The upload id, once started. */
  String uploadId() {
    return uploadId;
  }

  /** The record file, once written. */
  Path record() {
    return record;
  }

  /**
   * {@code put} is over: the upload was completed or aborted ({@code gone}), or it is kept on the
   * server ({@code !gone}, its record stays for {@code uploads resume}).
   */
  synchronized void finish(boolean gone) {
    finished = true;
    if (gone) {
      deleteRecord();
    }
  }

  /** How to resume (when the upload has a resume token) or abort the kept upload. */
  String resumeHint() {
    String id = uploadId;
    if (id == null) {
      return "";
    }
    String abort = "delete its parts with '" + UploadsCommand.abortCommand(bucket, key, id) + "'";
    String where = record == null ? "" : " (record: " + record + ")";
    if (resumeToken == null) {
      return abort + where;
    }
    return "resume it with 'oss-cse uploads resume --bucket "
        + UploadsCommand.Shell.quote(bucket)
        + " --key "
        + UploadsCommand.Shell.quote(key)
        + " --upload-id "
        + UploadsCommand.Shell.quote(id)
        + " "
        + resumeKeyOptions
        + "' or "
        + abort
        + where;
  }

  private void deleteRecord() {
    String id = uploadId;
    if (id == null) {
      return;
    }
    try {
      store.delete(endpoint, bucket, key, id);
    } catch (IOException ignored) {
      // a stale record is harmless: uploads list shows the upload is gone
    }
  }

  /** SIGINT/SIGTERM while the upload runs: abort it, or say how to finish it. */
  private void onShutdown() {
    String id;
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      id = uploadId;
    }
    if (id == null) {
      return;
    }
    String subject = BaseCommand.uri(bucket, key);
    // A client of its own: the command's may be shut down meanwhile by the failing upload.
    OSS oss;
    try {
      oss = abortClient.get();
    } catch (RuntimeException e) {
      err.println(
          "oss-cse: put "
              + subject
              + " interrupted: multipart upload "
              + id
              + " is kept on the server (and billed): "
              + resumeHint());
      err.flush();
      return;
    }
    try {
      abortAndReport(oss, id, subject);
    } finally {
      oss.shutdown();
    }
  }

  private void abortAndReport(OSS oss, String id, String subject) {
    RuntimeException failure = null;
    boolean gone = false;
    // A part in flight while the abort runs may still be stored (OSS documents this); abort until
    // the upload is gone, at most three times.
    for (int attempt = 0; attempt < 3 && !gone && failure == null; attempt++) {
      try {
        oss.abortMultipartUpload(new AbortMultipartUploadRequest(bucket, key, id));
      } catch (OSSException e) {
        if (!"NoSuchUpload".equals(e.getErrorCode())) {
          failure = e;
        }
      } catch (RuntimeException e) {
        failure = e;
      }
      gone = failure == null && gone(oss, id);
    }
    if (gone) {
      deleteRecord();
      err.println(
          "oss-cse: put "
              + subject
              + " interrupted: multipart upload "
              + id
              + " aborted, no part left on the server");
    } else {
      err.println(
          "oss-cse: put "
              + subject
              + " interrupted: multipart upload "
              + id
              + (failure == null
                  ? " is still listed after three aborts"
                  : " could not be aborted (" + Errors.classify(failure, null).getMessage() + ")")
              + "; its parts stay on the server (and are billed): "
              + resumeHint());
    }
    err.flush();
  }

  private boolean gone(OSS oss, String id) {
    try {
      oss.listParts(new ListPartsRequest(bucket, key, id));
      return false;
    } catch (OSSException e) {
      return "NoSuchUpload".equals(e.getErrorCode());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Removes the shutdown hook (unless the JVM is already shutting down). */
  @Override
  public synchronized void close() {
    finished = true;
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs or has run
      }
      hook = null;
    }
  }
}
