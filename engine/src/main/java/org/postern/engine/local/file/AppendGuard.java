package org.postern.engine.local.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.RunAs;
import org.postern.engine.local.mbox.FileGuard;

/**
 * Decides a /file append from what the kernel says about the open file (Postfix
 * local/file.c): a regular file with one link, not executable. When root appends for another
 * user ({@code asUser}), the user's rights decide as the kernel would after set_eugid():
 * search on every directory above, write on the file, or write and search on the directory
 * to create it; the file we create is then made 0600 and given to the user.
 *
 * <p>Trusts the kernel (fstat and the name of the open descriptor, see {@link OpenFile}), not
 * the path: rights are checked on the inode that was opened, and a file created in another
 * directory than the one checked is refused. Refusals are permanent (5.2.0); procfs or stat
 * errors are temporary (4.3.0). One instance per append; not thread-safe.
 */
final class AppendGuard implements FileGuard {
  private final RunAs as;
  private final boolean asUser;
  private Object checkedDirectory;

  /** {@code asUser}: root appends for {@code as}, whose rights must be checked. */
  AppendGuard(RunAs as, boolean asUser) {
    this.as = as;
    this.asUser = asUser;
  }

  /**
   * Before anything else: may the user reach the file's directory at all? Refused as the
   * kernel would refuse the user (ENOENT, ENOTDIR, EACCES), before root looks at the file.
   */
  void checkReachable(Path file) throws TempFailException, PermFailException {
    if (asUser) {
      requireSearchable(file, realParent(file));
    }
  }

  @Override
  public boolean allowsDotlock(Path file) throws TempFailException {
    if (!asUser) {
      return true; // the kernel decides, and MailboxLock skips a dotlock it may not make
    }
    try {
      Path dir = file.getParent().toRealPath();
      return allows(status(file, dir), RunAs.WRITE | RunAs.SEARCH);
    } catch (IOException e) {
      return false; // no such directory: the open reports it
    }
  }

  @Override
  public void checkCreate(Path file) throws TempFailException, PermFailException {
    if (!asUser) {
      return;
    }
    Path dir = realParent(file);
    Map<String, Object> st = status(file, dir);
    if (!allows(st, RunAs.WRITE | RunAs.SEARCH)) {
      throw denied(file);
    }
    checkedDirectory = st.get("fileKey");
  }

  @Override
  public void checkOpened(Path file, FileChannel channel, boolean created)
      throws TempFailException, PermFailException {
    try {
      OpenFile open = OpenFile.of(channel);
      Map<String, Object> st = open.status();
      // The same checks as for the path, now on what was really opened (safe_open.c).
      if (!Boolean.TRUE.equals(st.get("isRegularFile")) || (Integer) st.get("nlink") != 1) {
        throw new PermFailException(
            "5.2.0", "cannot append message to file " + file + ": not a regular file with one"
                + " link");
      }
      // Postfix local/file.c: never append to a program.
      if (((Integer) st.get("mode") & 0111) != 0) {
        throw new PermFailException(
            "5.2.0", "cannot append message to file " + file + ": file is executable");
      }
      if (!asUser) {
        if (created) {
          open.setMode0600();
        }
        return;
      }
      Path dir = open.path().getParent();
      requireSearchable(file, dir);
      if (created) {
        // Created where checkCreate looked, not in a directory swapped in since?
        Object key = Files.readAttributes(dir, "unix:fileKey").get("fileKey");
        if (!Objects.equals(key, checkedDirectory)) {
          throw new TempFailException(
              "4.2.0", "cannot append message to file " + file + ": directory changed while"
                  + " the file was created");
        }
        open.giveTo(as.uid(), as.gid());
      } else if (!allows(st, RunAs.WRITE)) {
        throw denied(file);
      }
    } catch (IOException e) {
      throw new TempFailException(
          "4.3.0", "cannot examine file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The directory the file would be in, symlinks resolved as the kernel would. */
  private static Path realParent(Path file) throws TempFailException, PermFailException {
    Path parent = file.getParent();
    try {
      return parent.toRealPath();
    } catch (NoSuchFileException e) {
      throw refused(file, "No such file or directory");
    } catch (NotDirectoryException e) {
      throw refused(file, "Not a directory");
    } catch (FileSystemException e) {
      if (String.valueOf(e.getReason()).contains("Not a directory")) {
        throw refused(file, "Not a directory");
      }
      throw new TempFailException(
          "4.3.0", "cannot examine directory " + parent + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TempFailException(
          "4.3.0", "cannot examine directory " + parent + ": " + e.getMessage(), e);
    }
  }

  /** The user needs search permission on {@code dir} and every directory above it. */
  private void requireSearchable(Path file, Path dir) throws TempFailException, PermFailException {
    for (Path d = dir; d != null; d = d.getParent()) {
      if (!allows(status(file, d), RunAs.SEARCH)) {
        throw denied(file);
      }
    }
  }

  private boolean allows(Map<String, Object> st, int want) {
    return as.mayAccess(
        (Integer) st.get("uid"), (Integer) st.get("gid"), (Integer) st.get("mode"), want);
  }

  private static Map<String, Object> status(Path file, Path dir) throws TempFailException {
    try {
      return Files.readAttributes(dir, "unix:uid,gid,mode,fileKey");
    } catch (IOException e) {
      throw new TempFailException(
          "4.3.0", "cannot examine " + dir + " for file " + file + ": " + e.getMessage(), e);
    }
  }

  private static PermFailException denied(Path file) {
    return refused(file, "Permission denied");
  }

  private static PermFailException refused(Path file, String why) {
    return new PermFailException("5.2.0", "cannot append message to file " + file + ": " + why);
  }
}
