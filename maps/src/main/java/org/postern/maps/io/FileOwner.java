package org.postern.maps.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The owner a file written by a privileged process is handed to before it is renamed into
 * place: root's local delivery service writes queue files (forwarded copies, notices) that
 * the mail owner's daemon must read and remove.
 *
 * <p>Trusts its ids (the queue directory's own owner). chown needs root (CAP_CHOWN): any
 * failure is an IOException for the writer, which then leaves nothing behind. Immutable.
 */
public record FileOwner(int uid, int gid) {
  /** The owner of an existing file or directory, not following a final symlink. */
  public static FileOwner of(Path path) throws IOException {
    return new FileOwner(
        (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS),
        (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
  }

  /** chown(2) of {@code path} to this owner. */
  public void applyTo(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }
}
