package org.postern.engine.local.expand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.posix.FileStatus;

/**
 * sendmail's safefile() checks for {@code .forward} and {@code :include:} files, which tell
 * local delivery to run commands and write files: the opened file must be a regular file
 * owned by its user, root or us, not group- or world-writable, and every directory from /
 * down to it (for a symlink: to the link and to its target) must be owned by root, that user
 * or us and not group- or world-writable unless sticky (/tmp).
 *
 * <p>Trusts the status of the open file (fstat: what is read is what was judged) and
 * judges the directories by name, with the identity of the reader (see {@link MemberFile}):
 * they decide who else could have changed the file, not what the reader may read, which the
 * kernel has decided. The answer is a problem in words, or empty when the file is safe.
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

  /** Why {@code file}, opened with status {@code st}, may not be obeyed for {@code uid}. */
  Optional<String> problem(Path file, FileStatus st, int uid) throws IOException {
    if (!st.isRegularFile()) {
      return Optional.of("not a regular file");
    }
    if (!trustedOwner(st.uid(), uid)) {
      return Optional.of("owned by uid " + st.uid() + ", not by its user");
    }
    if ((st.permissions() & GROUP_WRITE) != 0) {
      return Optional.of("group writable");
    }
    if ((st.permissions() & OTHER_WRITE) != 0) {
      return Optional.of("world writable");
    }
    Path abs = file.toAbsolutePath().normalize();
    Optional<String> dir = unsafeDirectory(abs.getParent(), uid);
    if (dir.isEmpty() && Files.isSymbolicLink(abs)) {
      dir = unsafeDirectory(abs.toRealPath().getParent(), uid);
    }
    return dir;
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
