package org.postern.compat.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.engine.posix.Directory;
import org.postern.engine.posix.FileStatus;
import org.postern.engine.posix.NotRegularFileException;
import org.postern.engine.posix.OpenFlag;
import org.postern.engine.posix.OpenedFile;
import org.postern.engine.posix.Posix;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.io.FileOwner;
import org.postern.maps.io.ProcessId;

/**
 * A daemon's pid file, {@code $queue_directory/pid/NAME.pid} ({@link #MASTER} for the mail
 * system, {@link #LOCAL} for the local delivery service), locked (fcntl) for as long
 * as the daemon lives: the lock, not the number in the file, says whether a daemon runs, so
 * a daemon killed with SIGKILL never leaves a stale "running" behind (Postfix's
 * master.pid works the same way).
 *
 * <p>Trusts no name under the queue directory (the mail owner's, who may rename pid/ away):
 * pid/ is opened without following a link and must be owned by root or by us and writable
 * by nobody else (root's is root's, as Postfix keeps pid/), else an IOException naming the
 * directory and the fix; each file is opened relative to that descriptor without following
 * a link or blocking and must be a regular file with one link. The mail owner's daemon
 * cannot create master.pid in root's pid/: root makes it for that owner ({@link #prepare}).
 * Not thread-safe; the daemon keeps one for its lifetime.
 */
final class PidFile implements AutoCloseable {
  /** The mail system's daemon (postern start). */
  static final String MASTER = "master";

  /** The local delivery service (postern local). */
  static final String LOCAL = "local";

  private static final String DIR = "pid";
  private static final int MODE = 0644;

  private final OpenedFile file;
  private final FileLock lock;

  private PidFile(OpenedFile file, FileLock lock) {
    this.file = file;
    this.lock = lock;
  }

  static Path path(Path queueRoot, String name) {
    return queueRoot.resolve(DIR).resolve(name + ".pid");
  }

  /** Locks the pid file and writes our pid; empty when another daemon holds it. */
  static Optional<PidFile> claim(Path queueRoot, String name) throws IOException {
    int me = ProcessIdentity.current().effectiveUid();
    OpenedFile f;
    try (Directory dir = directory(queueRoot, true)) {
      f = open(dir, name, EnumSet.of(OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE), me);
    }
    try {
      FileChannel ch = f.channel();
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        f.close();
        return Optional.empty();
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(String.format("%10d%n", ProcessId.current())
          .getBytes(StandardCharsets.US_ASCII)), 0);
      ch.force(true);
      return Optional.of(new PidFile(f, l));
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /**
   * Root, before the mail owner's daemon starts: makes {@code NAME.pid} in root's pid/ (if
   * missing) and gives it to {@code owner}, by descriptor.
   */
  static void prepare(Path queueRoot, String name, FileOwner owner) throws IOException {
    try (Directory dir = directory(queueRoot, true);
        OpenedFile f = open(dir, name, EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE), -1)) {
      if (f.status().uid() != owner.uid() || f.status().gid() != owner.gid()) {
        f.chown(owner.uid(), owner.gid());
      }
      f.chmod(MODE);
    }
  }

  /** The running daemon's pid, or empty when none holds the lock. */
  static OptionalLong runningPid(Path queueRoot, String name) throws IOException {
    // A shared lock needs only read access, so any user can ask.
    try (Directory dir = directory(queueRoot, false);
        OpenedFile f = open(dir, name, EnumSet.of(OpenFlag.READ), -1)) {
      FileChannel ch = f.channel();
      FileLock probe;
      try {
        probe = ch.tryLock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException e) {
        probe = null; // this very process is the daemon
      }
      if (probe != null) {
        probe.release();
        return OptionalLong.empty();
      }
      ByteBuffer b = ByteBuffer.allocate(32);
      ch.read(b, 0);
      String text = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
      return text.matches("\\d{1,10}") ? OptionalLong.of(Long.parseLong(text))
          : OptionalLong.empty();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * pid/ held open and checked: a real directory (not a link), owned by root or by us, not
   * writable by group or others. {@code create}: made (0755 less the umask) when missing.
   */
  private static Directory directory(Path queueRoot, boolean create) throws IOException {
    Path path = queueRoot.resolve(DIR);
    if (create) {
      try {
        // Not chmod'ed by name afterwards: the name may lead elsewhere a moment later.
        Files.createDirectory(path, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwxr-xr-x")));
      } catch (FileAlreadyExistsException e) {
        // checked below, whoever made it
      }
    }
    Directory dir;
    try {
      dir = Posix.directory(path);
    } catch (NotRegularFileException e) {
      throw untrusted(path, "is a symbolic link");
    }
    FileStatus s = dir.status();
    int me = ProcessIdentity.current().effectiveUid();
    if (s.uid() != 0 && s.uid() != me) {
      dir.close();
      throw untrusted(path, "belongs to uid " + s.uid());
    }
    if (s.writableByOthers()) {
      dir.close();
      throw untrusted(path, "is writable by group or others");
    }
    return dir;
  }

  private static IOException untrusted(Path dir, String why) {
    return new IOException(dir + " " + why + ": pid files need a directory of root's (or of"
        + " the user running this instance) that nobody else may change; fix it with \"chown"
        + " root:root " + dir + "; chmod 755 " + dir + "\" (the packages' set-permissions)");
  }

  /**
   * NAME.pid in {@code dir}: a regular file with one link, owned by {@code owner} unless
   * that is -1; never through a link, never blocking.
   */
  private static OpenedFile open(Directory dir, String name, Set<OpenFlag> flags, int owner)
      throws IOException {
    Set<OpenFlag> all = EnumSet.copyOf(flags);
    all.add(OpenFlag.NOFOLLOW);
    all.add(OpenFlag.NONBLOCK);
    OpenedFile f = dir.open(name + ".pid", all, MODE);
    FileStatus s = f.status();
    if (!s.isRegularFile() || s.nlink() != 1 || owner >= 0 && s.uid() != owner) {
      f.close();
      throw new IOException(f.name() + ": not a regular file of uid " + (owner >= 0 ? owner
          : s.uid()) + " with one link: remove it");
    }
    return f;
  }

  @Override
  public void close() throws IOException {
    lock.release();
    file.close();
  }
}
