package org.postern.maps.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one durable write: temp file in the target's directory, write, fsync, atomic rename,
 * fsync of the directory. No other code writes queue or table state.
 *
 * <p>Trusts its caller's paths. On any failure the temp file is removed and the IOException
 * propagates (callers turn it into a temporary failure); the target is then untouched.
 * Temp files are named {@code .tmp.PID.RANDOM}: the prefix lets directory scanners skip them,
 * the writer's pid lets a reaper tell an abandoned one from a write in progress.
 * Stateless and thread-safe. It lives in maps, the lowest module, so that compiled tables
 * and the queue share the one implementation (STYLE names it engine.util; it moved here).
 */
public final class DurableFiles {
  /** Prefix of every temp file this class creates. */
  public static final String TEMP_PREFIX = ".tmp.";

  private DurableFiles() {}

  /** Body of a durable write. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Writes {@code target} durably with the given permissions (e.g. "rw-------"). */
  public static void write(Path target, String permissions, Writer body) throws IOException {
    try (DurableFile file = open(target, permissions)) {
      body.write(file.out());
      file.commit();
    }
  }

  /**
   * Starts a durable write of {@code target} to be streamed by the caller: write to
   * {@link DurableFile#out()}, then {@link DurableFile#commit()}; closing it uncommitted
   * removes the temp file.
   */
  public static DurableFile open(Path target, String permissions) throws IOException {
    return DurableFile.create(target, permissions);
  }

  /** Creates a new empty temp file in {@code dir}, for writers that must stream first. */
  public static Path createTemp(Path dir, String permissions) throws IOException {
    Set<PosixFilePermission> perms = PosixFilePermissions.fromString(permissions);
    FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(perms);
    for (int attempt = 0; ; attempt++) {
      Path temp =
          dir.resolve(
              TEMP_PREFIX
                  + ProcessId.current()
                  + "."
                  + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      try {
        Files.createFile(temp, attr);
        // The umask may have masked bits away; set exactly what was asked for.
        Files.setPosixFilePermissions(temp, perms);
        return temp;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 10) {
          throw e;
        }
      }
    }
  }

  /** The pid of the process that created temp file {@code name}, if the name carries one. */
  public static OptionalLong writerPid(String name) {
    if (!name.startsWith(TEMP_PREFIX)) {
      return OptionalLong.empty();
    }
    int end = name.indexOf('.', TEMP_PREFIX.length());
    try {
      long pid = Long.parseLong(name.substring(TEMP_PREFIX.length(), end));
      return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return OptionalLong.empty(); // not one of ours (anyone may write into maildrop/)
    }
  }

  /** Atomically renames {@code from} to {@code to} and fsyncs the target directory. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("rename " + from + " to " + to + ": not atomic on this file system", e);
    }
    try {
      syncDirectory(to.toAbsolutePath().getParent());
    } catch (java.nio.file.AccessDeniedException e) {
      // A submitter may write into maildrop/ (mode 1733) but not open it. fsync(2) of the
      // renamed file commits the file system's journal, rename included (ext4, xfs).
      try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      return;
    }
    Path fromDir = from.toAbsolutePath().getParent();
    if (!fromDir.equals(to.toAbsolutePath().getParent())) {
      syncDirectory(fromDir);
    }
  }

  /** Deletes {@code file} and fsyncs its directory, so the removal survives a crash. */
  public static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
    syncDirectory(file.toAbsolutePath().getParent());
  }

  /** fsync(2) of a directory: makes creates, renames and unlinks in it durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
