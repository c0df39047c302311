package org.postern.engine.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What fstat(2) says about an open file: type, permission bits, owner, group, link count
 * and identity (device and inode). Read through the descriptor, never through a name.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode the st_mode bits, type included
 */
public record FileStatus(int mode, int uid, int gid, int nlink, long dev, long ino) {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;

  /** fstat of {@code fd}: stat(2) of /proc/self/fd/N names exactly the open file. */
  static FileStatus of(int fd) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:mode,uid,gid,nlink,dev,ino");
    return new FileStatus((Integer) a.get("mode"), (Integer) a.get("uid"),
        (Integer) a.get("gid"), (Integer) a.get("nlink"), (Long) a.get("dev"),
        (Long) a.get("ino"));
  }

  public boolean isRegularFile() {
    return (mode & S_IFMT) == S_IFREG;
  }

  /** The permission bits (07777). */
  public int permissions() {
    return mode & 07777;
  }

  /** Whether group or others may write (the sticky bit aside). */
  public boolean writableByOthers() {
    return (mode & 022) != 0;
  }
}
