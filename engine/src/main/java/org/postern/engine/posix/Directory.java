package org.postern.engine.posix;

import com.sun.jna.LastErrorException;
import java.io.Closeable;
import java.io.IOException;
import java.util.Set;

/**
 * A directory held open by descriptor, so that names are opened relative to the directory
 * that was checked (openat(2)), not to whatever a path names a moment later.
 *
 * <p>Trusts nothing in the names it is given: a name with a slash is refused, so every open
 * stays in this directory. Owns the descriptor until {@link #close}. Thread-safe.
 */
public final class Directory implements Closeable {
  private final String name;
  private final int fd;
  private final FileStatus status;

  Directory(String name, int fd, FileStatus status) {
    this.name = name;
    this.fd = fd;
    this.status = status;
  }

  public FileStatus status() {
    return status;
  }

  /** openat(2) of {@code child}, a plain name in this directory, with {@code flags}. */
  public OpenedFile open(String child, Set<OpenFlag> flags, int mode) throws IOException {
    if (child.isEmpty() || child.contains("/") || child.equals(".") || child.equals("..")) {
      throw new IllegalArgumentException("not a plain file name: " + child);
    }
    String path = name + "/" + child;
    int child_fd;
    try {
      child_fd = Libc.C.openat(fd, child, OpenFlag.bits(flags), mode);
    } catch (LastErrorException e) {
      throw Errno.exception(path, e);
    }
    return Posix.opened(path, child_fd, flags);
  }

  @Override
  public void close() throws IOException {
    Posix.close(fd);
  }
}
