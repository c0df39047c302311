package org.postern.engine.local.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel's handle on an open FileChannel, {@code /proc/self/fd/N}, for what Java has no
 * call for: fstat(2), fchmod(2), fchown(2) and the file's current name. Operations on that
 * magic link reach the open file itself, whatever has happened to its path since.
 *
 * <p>N is found by moving the channel to a random offset beyond any real mailbox and looking
 * for that offset in {@code /proc/self/fdinfo}; it is confirmed with a second offset, and the
 * position is restored. Needs Linux procfs (as ProcessIdentity does). Trusts the kernel only.
 * Does not own the channel. Not thread-safe: one user of the channel at a time.
 */
final class OpenFile {
  private static final Path FDS = Path.of("/proc/self/fd");
  private static final Path FDINFO = Path.of("/proc/self/fdinfo");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Offsets from 2 GiB up: seekable on any file system a mailbox lives on, never reached. */
  private static final long MARK_BASE = 1L << 31;

  private final Path link;

  private OpenFile(Path link) {
    this.link = link;
  }

  /** Finds the descriptor of {@code channel}; IOException when procfs cannot tell. */
  static OpenFile of(FileChannel channel) throws IOException {
    long position = channel.position();
    try {
      long mark = MARK_BASE + RANDOM.nextInt(1 << 30);
      channel.position(mark);
      Optional<String> fd = descriptorAt(mark, Optional.empty());
      if (fd.isPresent()) {
        channel.position(mark + 1);
        fd = descriptorAt(mark + 1, fd);
      }
      if (fd.isEmpty()) {
        throw new IOException("cannot find the open file in " + FDINFO);
      }
      return new OpenFile(FDS.resolve(fd.get()));
    } finally {
      channel.position(position);
    }
  }

  /** fstat(2): the attributes of the open file, as Files.readAttributes "unix:*" names them. */
  Map<String, Object> status() throws IOException {
    return Files.readAttributes(link, "unix:*");
  }

  /** The file's name now (readlink of the magic link); may end in " (deleted)". */
  Path path() throws IOException {
    return Files.readSymbolicLink(link);
  }

  /** fchmod(2) to 0600 and fchown(2) to {@code uid:gid} (the latter needs root). */
  void giveTo(int uid, int gid) throws IOException {
    Files.setAttribute(link, "unix:gid", gid);
    Files.setAttribute(link, "unix:uid", uid);
    setMode0600();
  }

  /** fchmod(2) to 0600 exactly, whatever the umask took away. */
  void setMode0600() throws IOException {
    Files.setPosixFilePermissions(link, PosixFilePermissions.fromString("rw-------"));
  }

  /** The one descriptor positioned at {@code offset} ({@code only}: it must be that one). */
  private static Optional<String> descriptorAt(long offset, Optional<String> only)
      throws IOException {
    String wanted = "pos:\t" + offset + "\n";
    if (only.isPresent()) {
      return hasPrefix(FDINFO.resolve(only.get()), wanted) ? only : Optional.empty();
    }
    Optional<String> found = Optional.empty();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(FDINFO)) {
      for (Path entry : entries) {
        if (hasPrefix(entry, wanted)) {
          if (found.isPresent()) {
            return Optional.empty(); // two at one offset: we cannot tell which is ours
          }
          found = Optional.of(entry.getFileName().toString());
        }
      }
    }
    return found;
  }

  private static boolean hasPrefix(Path fdinfo, String prefix) throws IOException {
    try {
      return new String(Files.readAllBytes(fdinfo), StandardCharsets.US_ASCII).startsWith(prefix);
    } catch (NoSuchFileException e) {
      return false; // a descriptor closed by another thread while we looked: not ours
    }
  }
}
