package dev.osscse.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The multipart uploads {@code put} has started and not finished, one JSON file each (mode 0600) in
 * the user's state directory: {@code $XDG_STATE_HOME/oss-cse/uploads}, else {@code
 * ~/.local/state/oss-cse/uploads} (mode 0700). A file holds what {@code uploads resume} needs
 * besides the master key: where the upload is, the source file and the upload's resume token. It
 * holds no key material; the token only lets the holder prove the upload is its own.
 */
final class UploadStateStore {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** One unfinished upload. Field names are the JSON names; stable. */
  static final class Entry {
    String endpoint;
    String bucket;
    String key;
    String uploadId;
    String file;
    long fileSize;
    long partSize;
    String resumeToken;
    String masterKey;
    String started;
  }

  private final Path dir;

  UploadStateStore(Path dir) {
    this.dir = dir;
  }

  /** The store of this run: {@code $XDG_STATE_HOME} or {@code $HOME/.local/state}. */
  static UploadStateStore of(CliContext ctx) {
    String xdg = ctx.env("XDG_STATE_HOME");
    Path base;
    if (xdg != null && Path.of(xdg).isAbsolute()) {
      base = Path.of(xdg);
    } else {
      String home = ctx.env("HOME");
      base = Path.of(home != null ? home : System.getProperty("user.home"), ".local", "state");
    }
    return new UploadStateStore(base.resolve("oss-cse").resolve("uploads"));
  }

  /** The directory holding the files. */
  Path dir() {
    return dir;
  }

  /** The file of one upload (whether or not it exists). */
  Path fileOf(String endpoint, String bucket, String key, String uploadId) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String s : new String[] {endpoint, bucket, key, uploadId}) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
      }
      return dir.resolve(HexFormat.of().formatHex(d.digest(), 0, 12) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Writes an entry, owner-only, replacing an older one of the same upload; returns its path. */
  Path save(Entry e) throws IOException {
    createPrivateDirectories(dir);
    Path target = fileOf(e.endpoint, e.bucket, e.key, e.uploadId);
    Path temp = dir.resolve("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    if (posix()) {
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(temp);
    }
    Files.writeString(temp, GSON.toJson(e), StandardCharsets.UTF_8);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException x) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /** The entry of one upload, if this user's store has it. */
  Optional<Entry> find(String endpoint, String bucket, String key, String uploadId) {
    return read(fileOf(endpoint, bucket, key, uploadId))
        .filter(
            e ->
                endpoint.equals(e.endpoint)
                    && bucket.equals(e.bucket)
                    && key.equals(e.key)
                    && uploadId.equals(e.uploadId));
  }

  /** Removes the entry of one upload; true if there was one. */
  boolean delete(String endpoint, String bucket, String key, String uploadId) throws IOException {
    return Files.deleteIfExists(fileOf(endpoint, bucket, key, uploadId));
  }

  /** Every readable entry. */
  List<Entry> all() throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        read(f).ifPresent(out::add);
      }
    }
    return out;
  }

  private static Optional<Entry> read(Path f) {
    try {
      Entry e = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), Entry.class);
      if (e == null || e.bucket == null || e.key == null || e.uploadId == null) {
        return Optional.empty();
      }
      return Optional.of(e);
    } catch (IOException | JsonParseException x) {
      return Optional.empty();
    }
  }

  private boolean posix() {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private void createPrivateDirectories(Path d) throws IOException {
    if (Files.isDirectory(d)) {
      return;
    }
    Path parent = d.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      if (posix()) {
        Files.createDirectory(
            d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(d);
      }
    } catch (FileAlreadyExistsException raced) {
      // made meanwhile by another run
    }
    PosixFileAttributeView v = Files.getFileAttributeView(d, PosixFileAttributeView.class);
    if (v != null) {
      v.setPermissions(PosixFilePermissions.fromString("rwx------"));
    }
  }
}
