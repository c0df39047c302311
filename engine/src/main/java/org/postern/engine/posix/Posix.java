package org.postern.engine.posix;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens files and directories the way the JDK cannot: with O_NOFOLLOW and O_NONBLOCK, the
 * status taken from the open descriptor (fstat), and directories held open for openat. With
 * {@link FsIdentity} this is the whole of Postern's native surface.
 *
 * <p>Trusts nothing on disk: the caller decides from {@link FileStatus} whether what it
 * opened is acceptable. Errors are the java.nio.file exceptions the JDK throws for the same
 * errno. Stateless and thread-safe.
 */
public final class Posix {
  private Posix() {}

  /** open(2) of {@code path} with {@code flags}; {@code mode} for a file it creates. */
  public static OpenedFile open(Path path, Set<OpenFlag> flags, int mode) throws IOException {
    int fd;
    try {
      fd = Libc.C.open(path.toString(), OpenFlag.bits(flags), mode);
    } catch (LastErrorException e) {
      throw Errno.exception(path.toString(), e);
    }
    return opened(path.toString(), fd, flags);
  }

  /** The directory {@code path}, itself not a symbolic link, held open for openat. */
  public static Directory directory(Path path) throws IOException {
    int fd;
    try {
      fd = Libc.C.open(path.toString(),
          Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw Errno.exception(path.toString(), e);
    }
    try {
      return new Directory(path.toString(), fd, FileStatus.of(fd));
    } catch (IOException | RuntimeException e) {
      close(fd);
      throw e;
    }
  }

  /** kill(2): sends {@code signal} to process {@code pid}. */
  public static void kill(long pid, int signal) throws IOException {
    try {
      Libc.C.kill((int) pid, signal);
    } catch (LastErrorException e) {
      throw Errno.exception("PID " + pid, e);
    }
  }

  /**
   * Whether process {@code pid} exists, by kill(2) with signal 0: it may belong to another
   * user (EPERM) and be hidden from /proc ({@code hidepid}), which ProcessHandle cannot see.
   */
  public static boolean alive(long pid) throws IOException {
    try {
      Libc.C.kill((int) pid, 0);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.ESRCH) {
        return false;
      }
      if (e.getErrorCode() == Errno.EPERM) {
        return true;
      }
      throw Errno.exception("PID " + pid, e);
    }
  }

  static OpenedFile opened(String name, int fd, Set<OpenFlag> flags) throws IOException {
    try {
      return new OpenedFile(name, fd, FileStatus.of(fd), flags);
    } catch (IOException | RuntimeException e) {
      close(fd);
      throw e;
    }
  }

  static void close(int fd) throws IOException {
    try {
      Libc.C.close(fd);
    } catch (LastErrorException e) {
      throw Errno.exception("descriptor " + fd, e);
    }
  }
}
