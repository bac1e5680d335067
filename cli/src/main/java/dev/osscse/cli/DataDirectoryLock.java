package dev.osscse.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a {@code serve-local} data directory ({@code DIR/serve-local.lock}), held
 * while the endpoints run, so that a second {@code serve-local} on the same directory is refused
 * instead of regenerating the trust store and the files the first one serves. The operating system
 * drops the lock when the process ends, however it ends; the file itself stays and holds the pid of
 * the last holder, for the message.
 */
final class DataDirectoryLock implements AutoCloseable {
  static final String FILE_NAME = "serve-local.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir}, creating the directory if needed.
   *
   * @throws CliException (exit 1) if another process holds it
   */
  static DataDirectoryLock acquire(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE_NAME);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(ch);
      ch.close();
      throw new CliException(
          ExitCodes.GENERIC,
          "--dir "
              + dir
              + " is in use by another serve-local"
              + (holder.isEmpty() ? "" : " (pid " + holder + ")")
              + "; stop it first, or pass another --dir (two servers on one directory would"
              + " overwrite each other's trust store and data)");
    }
    ch.truncate(0);
    ch.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
        0);
    ch.force(false);
    return new DataDirectoryLock(ch, lock);
  }

  private static String holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      ch.read(b, 0);
      String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
      return s.chars().allMatch(Character::isDigit) ? s : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
