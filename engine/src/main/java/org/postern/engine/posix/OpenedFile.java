package org.postern.engine.posix;

import com.sun.jna.LastErrorException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * A file opened by {@link Posix}: its descriptor, the status fstat gave for exactly that file,
 * and a JDK channel on the same open file (reopened through /proc/self/fd, which names the
 * open file, not a path anyone can change).
 *
 * <p>Trusts the descriptor it was given. Owns the descriptor and the channel until {@link
 * #close}. Not thread-safe beyond what FileChannel offers.
 */
public final class OpenedFile implements Closeable {
  private final String name;
  private final int fd;
  private final FileStatus status;
  private final Set<OpenFlag> flags;
  private FileChannel channel;

  OpenedFile(String name, int fd, FileStatus status, Set<OpenFlag> flags) {
    this.name = name;
    this.fd = fd;
    this.status = status;
    this.flags = flags;
  }

  /** The name it was opened by, for messages. */
  public String name() {
    return name;
  }

  public FileStatus status() {
    return status;
  }

  /**
   * The open file as a channel with the same access mode. Only for a regular file (a FIFO
   * or device would block or misbehave when reopened): check {@link #status} first.
   */
  public synchronized FileChannel channel() throws IOException {
    if (channel == null) {
      if (!status.isRegularFile()) {
        throw new IOException(name + ": not a regular file");
      }
      Set<OpenOption> options = new HashSet<>();
      if (flags.contains(OpenFlag.READ)) {
        options.add(StandardOpenOption.READ);
      }
      if (flags.contains(OpenFlag.WRITE)) {
        options.add(StandardOpenOption.WRITE);
      }
      if (flags.contains(OpenFlag.APPEND)) {
        options.add(StandardOpenOption.APPEND);
      }
      if (options.isEmpty()) {
        options.add(StandardOpenOption.READ);
      }
      channel = FileChannel.open(Path.of("/proc/self/fd/" + fd), options);
    }
    return channel;
  }

  /** fchown(2): gives the open file to {@code uid}:{@code gid}. */
  public void chown(int uid, int gid) throws IOException {
    try {
      Libc.C.fchown(fd, uid, gid);
    } catch (LastErrorException e) {
      throw Errno.exception(name, e);
    }
  }

  /** fchmod(2): exactly these permission bits, whatever the umask did. */
  public void chmod(int mode) throws IOException {
    try {
      Libc.C.fchmod(fd, mode);
    } catch (LastErrorException e) {
      throw Errno.exception(name, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      if (channel != null) {
        channel.close();
      }
    } finally {
      Posix.close(fd);
    }
  }
}
