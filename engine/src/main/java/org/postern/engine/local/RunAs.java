package org.postern.engine.local;

import java.nio.file.Path;

/**
 * The identity a {@code |command} or {@code /file} delivery runs with: the recipient for a
 * .forward, the alias file's owner or default_privs for an alias (the caller decides; Postfix
 * local(8) DELIVERY RIGHTS). Supplementary groups are never used, as in Postfix.
 *
 * <p>{@link #mayAccess} answers what the kernel would let this user do with a file, for code
 * that runs as root on the user's behalf. Trusts its values (passwd entry, alias file owner).
 * Immutable and thread-safe.
 *
 * @param home the user's home directory, the command's working directory when searchable
 * @param shell the login shell, exported as SHELL; empty when unknown
 */
public record RunAs(String user, int uid, int gid, Path home, String shell) {
  /** The write bit of a permission class, for {@link #mayAccess}. */
  public static final int WRITE = 02;

  /** The search (execute) bit of a permission class, for {@link #mayAccess}. */
  public static final int SEARCH = 01;

  public RunAs {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("bad uid/gid " + uid + "/" + gid);
    }
    if (user == null || home == null || shell == null) {
      throw new IllegalArgumentException("incomplete identity for uid " + uid);
    }
  }

  /**
   * Whether this user, with only its primary group, has all {@code want} bits ({@link #WRITE},
   * {@link #SEARCH}) on a file of that owner, group and mode. As the kernel does for a non-root
   * process, only one class counts: owner if the user owns the file, else group if the group
   * matches, else other; a write bit for "other" does not help an owner without one.
   */
  public boolean mayAccess(int fileUid, int fileGid, int mode, int want) {
    if (uid == 0) {
      return true;
    }
    int granted;
    if (fileUid == uid) {
      granted = mode >> 6;
    } else if (fileGid == gid) {
      granted = mode >> 3;
    } else {
      granted = mode;
    }
    return (granted & want & 07) == (want & 07);
  }
}
