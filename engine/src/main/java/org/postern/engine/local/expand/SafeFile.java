package org.postern.engine.local.expand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * sendmail's safefile() checks for {@code .forward} and {@code :include:} files, which tell
 * local delivery to run commands and write files: the file (after any symlink) must be a
 * regular file owned by its user, root or us, not group- or world-writable, and every
 * directory from / down to it (for a symlink: to the link and to its target) must be owned
 * by root, that user or us and not group- or world-writable unless sticky (/tmp).
 *
 * <p>Trusts nothing on disk; reads only attributes (lstat/stat). The answer is a problem in
 * words, or empty when the file is safe; a missing file is a {@link NoSuchFileException}.
 * Stateless.
 */
final class SafeFile {
  private static final int GROUP_WRITE = 0020;
  private static final int OTHER_WRITE = 0002;
  private static final int STICKY = 01000;

  private final int ourUid;

  SafeFile(int ourUid) {
    this.ourUid = ourUid;
  }

  /** Why {@code file} may not be obeyed for a user with {@code uid}, or empty if it may. */
  Optional<String> problem(Path file, int uid) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(abs.toString());
    }
    Optional<String> dir = unsafeDirectory(abs.getParent(), uid);
    if (dir.isPresent()) {
      return dir;
    }
    Path target = abs;
    if (Files.isSymbolicLink(abs)) {
      target = abs.toRealPath(); // a dangling link is a missing file
      Optional<String> targetDir = unsafeDirectory(target.getParent(), uid);
      if (targetDir.isPresent()) {
        return targetDir;
      }
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("not a regular file");
    }
    Map<String, Object> a = Files.readAttributes(target, "unix:mode,uid");
    int mode = (Integer) a.get("mode");
    int owner = (Integer) a.get("uid");
    if (!trustedOwner(owner, uid)) {
      return Optional.of("owned by uid " + owner + ", not by its user");
    }
    if ((mode & GROUP_WRITE) != 0) {
      return Optional.of("group writable");
    }
    if ((mode & OTHER_WRITE) != 0) {
      return Optional.of("world writable");
    }
    return Optional.empty();
  }

  private Optional<String> unsafeDirectory(Path dir, int uid) throws IOException {
    for (Path d = dir; d != null; d = d.getParent()) {
      Map<String, Object> a = Files.readAttributes(d, "unix:mode,uid");
      int mode = (Integer) a.get("mode");
      int owner = (Integer) a.get("uid");
      boolean writable = (mode & (GROUP_WRITE | OTHER_WRITE)) != 0;
      if (writable && (mode & STICKY) == 0) {
        return Optional.of("in unsafe directory " + d + " (group or world writable)");
      }
      if (!trustedOwner(owner, uid)) {
        return Optional.of("in unsafe directory " + d + " (owned by uid " + owner + ")");
      }
    }
    return Optional.empty();
  }

  private boolean trustedOwner(int owner, int uid) {
    return owner == 0 || owner == uid || owner == ourUid;
  }
}
