package org.postern.maps.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A file's owner and group: the queue directory's owner is the mail owner, whom root's
 * commands and services act as (setpriv, a filesystem identity) or hand files to (fchown).
 *
 * <p>Trusts the file it is read from (never through a final symlink). Immutable.
 */
public record FileOwner(int uid, int gid) {
  /** The owner of an existing file or directory, not following a final symlink. */
  public static FileOwner of(Path path) throws IOException {
    return new FileOwner(
        (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS),
        (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
  }
}
