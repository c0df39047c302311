package org.postern.engine.local;

import java.nio.file.Path;
import org.postern.maps.passwd.PasswdEntry;

/**
 * The identity a {@code |command} or {@code /file} delivery runs with: the recipient for a
 * .forward, the alias file's owner or default_privs for an alias (the caller decides; Postfix
 * local(8) DELIVERY RIGHTS). Supplementary groups are never used, as in Postfix.
 *
 * <p>Root acts as this user through setpriv (commands) or FsIdentity (files), so the kernel
 * decides what the user may do. Trusts its values (passwd entry, alias file owner).
 * Immutable and thread-safe.
 *
 * @param home the user's home directory, the command's working directory when searchable
 * @param shell the login shell, exported as SHELL; empty when unknown
 */
public record RunAs(String user, int uid, int gid, Path home, String shell) {
  /** The identity of the user {@code p}. */
  public static RunAs of(PasswdEntry p) {
    return new RunAs(p.name(), p.uid(), p.gid(), p.home(), p.shell());
  }

  public RunAs {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("bad uid/gid " + uid + "/" + gid);
    }
    if (user == null || home == null || shell == null) {
      throw new IllegalArgumentException("incomplete identity for uid " + uid);
    }
  }
}
