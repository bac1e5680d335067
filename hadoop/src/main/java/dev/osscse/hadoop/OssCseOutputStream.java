package dev.osscse.hadoop;

import com.aliyun.oss.model.ObjectMetadata;
import dev.osscse.oss.MultipartUploader;
import dev.osscse.oss.aliyun.OssCseClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.Abortable;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * The encrypting output stream of an {@code osscse://} file.
 *
 * <p><b>What it is.</b> Bytes up to one part size are kept in memory; a file that ends there is one
 * encrypted PutObject at {@link #close()}. A longer file becomes one streaming encrypted multipart
 * upload ({@link MultipartUploader}): the bytes pass through a bounded pipe to the uploader, which
 * encrypts and sends up to {@code parallelism} parts at once.
 *
 * <p><b>Security guarantees.</b> Nothing is sent in plaintext; the object becomes visible only when
 * {@link #close()} completes the PUT or the multipart upload. A failed or {@link #abort() aborted}
 * multipart upload is aborted on OSS, so no part is left behind.
 *
 * <p><b>Restrictions / failure behaviour.</b> Memory: one part buffer, four 256 KiB chunks, and the
 * uploader's {@code parallelism} part buffers. No hflush or hsync (the object does not exist before
 * close). After a failure every call throws; close then throws the failure again and does not
 * commit. Not thread-safe.
 */
final class OssCseOutputStream extends OutputStream implements StreamCapabilities, Abortable {
  private static final int CHUNK = 256 << 10;

  private final OssCseClient cse;
  private final MultipartUploader uploader;
  private final ExecutorService drivers;
  private final String bucket;
  private final String key;
  private final Object path;
  private final int partSize;

  private byte[] first = new byte[4096];
  private int firstLength;
  private ChunkPipe pipe;
  private Future<?> upload;
  private byte[] chunk;
  private int chunkLength;
  private boolean closed;
  private boolean aborted;
  private IOException failure;

  OssCseOutputStream(
      OssCseClient cse,
      MultipartUploader uploader,
      ExecutorService drivers,
      String bucket,
      String key,
      Object path) {
    this.cse = cse;
    this.uploader = uploader;
    this.drivers = drivers;
    this.bucket = bucket;
    this.key = key;
    this.path = path;
    this.partSize = (int) Math.min(uploader.partSize(), MultipartUploader.MAX_BUFFERED_PART_SIZE);
  }

  private void checkOpen() throws IOException {
    if (failure != null) {
      throw new IOException("write " + path + " failed earlier: " + failure.getMessage(), failure);
    }
    if (closed) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED + ": " + path);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    checkOpen();
    if (off < 0 || len < 0 || len > b.length - off) {
      throw new IndexOutOfBoundsException("off " + off + ", len " + len);
    }
    try {
      if (pipe == null) {
        int room = partSize - firstLength;
        int n = Math.min(room, len);
        if (firstLength + n > first.length) {
          first =
              Arrays.copyOf(
                  first, (int) Math.min(partSize, Math.max(2L * first.length, firstLength + n)));
        }
        System.arraycopy(b, off, first, firstLength, n);
        firstLength += n;
        off += n;
        len -= n;
        if (len == 0) {
          return;
        }
        startMultipart();
      }
      while (len > 0) {
        if (chunk == null) {
          chunk = new byte[CHUNK];
          chunkLength = 0;
        }
        int n = Math.min(len, CHUNK - chunkLength);
        System.arraycopy(b, off, chunk, chunkLength, n);
        chunkLength += n;
        off += n;
        len -= n;
        if (chunkLength == CHUNK) {
          pipe.put(chunk);
          chunk = null;
        }
      }
    } catch (IOException e) {
      fail(e);
      throw e;
    }
  }

  private void startMultipart() {
    pipe = new ChunkPipe(4);
    SequenceInputStream source =
        new SequenceInputStream(new ByteArrayInputStream(first, 0, firstLength), pipe.reader());
    first = null;
    ChunkPipe p = pipe;
    upload =
        drivers.submit(
            () -> {
              try {
                return uploader.upload(bucket, key, source, -1, null);
              } catch (Exception | Error e) {
                p.fail(new IOException("upload of " + path + " failed", e));
                throw e;
              }
            });
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    if (pipe != null) {
      pipe.fail(e);
      awaitUpload();
    }
  }

  private void awaitUpload() {
    try {
      upload.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException ignored) {
      // the failure that made the uploader abort; the caller's failure is reported
    }
  }

  /** Nothing is visible before close: flush sends nothing. */
  @Override
  public void flush() throws IOException {
    checkOpen();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      if (failure != null && !aborted) {
        throw new IOException("write " + path + " failed: " + failure.getMessage(), failure);
      }
      return;
    }
    closed = true;
    if (failure != null) {
      throw new IOException("write " + path + " failed: " + failure.getMessage(), failure);
    }
    try {
      if (pipe == null) {
        ObjectMetadata md = new ObjectMetadata();
        md.setContentLength(firstLength);
        byte[] data = firstLength == first.length ? first : Arrays.copyOf(first, firstLength);
        first = null;
        cse.putObject(bucket, key, data, md);
        return;
      }
      if (chunk != null && chunkLength > 0) {
        pipe.put(Arrays.copyOf(chunk, chunkLength));
      }
      chunk = null;
      pipe.finish();
      upload.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      failure = OssErrors.translate("write", path, cause instanceof Exception x ? x : e);
      throw failure;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pipe.fail(new IOException("interrupted"));
      failure = new java.io.InterruptedIOException("write " + path + " interrupted");
      throw failure;
    } catch (Exception e) {
      failure = OssErrors.translate("write", path, e);
      if (pipe != null) {
        pipe.fail(failure);
        awaitUpload();
      }
      throw failure;
    }
  }

  /** Abandons the file: a multipart upload in progress is aborted, nothing becomes visible. */
  @Override
  public AbortableResult abort() {
    boolean already = closed;
    if (!closed) {
      closed = true;
      aborted = true;
      if (pipe != null) {
        pipe.fail(new IOException("write " + path + " aborted"));
        awaitUpload();
      }
      first = null;
    }
    return new AbortableResult() {
      @Override
      public boolean alreadyClosed() {
        return already;
      }

      @Override
      public IOException anyCleanupException() {
        return null;
      }
    };
  }

  @Override
  public boolean hasCapability(String capability) {
    return StreamCapabilities.ABORTABLE_STREAM.equals(capability.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "OssCseOutputStream{" + path + ", multipart=" + (pipe != null) + '}';
  }
}
