package org.postern.engine.local;

import java.util.Optional;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;

/**
 * Postfix local(8)'s DELIVERY RIGHTS for the superuser: a {@code |command} or {@code /file}
 * never runs as uid 0 but as {@code default_privs} (local/command.c, local/file.c), whether it
 * comes from root's .forward, mailbox_command for root's mail, or a root-owned alias table.
 *
 * <p>Trusts main.cf and the user directory. An unknown default_privs user is a temporary
 * failure (4.3.5, Postfix's "mail system configuration error"), a failed lookup 4.3.0.
 * Immutable; thread-safe when the user directory is.
 */
public final class DeliveryRights {
  private final UserDirectory users;
  private final String defaultPrivs;

  public DeliveryRights(UserDirectory users, String defaultPrivs) {
    this.users = users;
    this.defaultPrivs = defaultPrivs;
  }

  /**
   * {@code as}, or for root default_privs's uid and gid with the rest of {@code as}: the
   * name, home and shell a command's USER, HOME and SHELL come from stay the recipient's
   * (Postfix local/command.c changes only the uid and gid).
   */
  public RunAs unprivileged(RunAs as) throws TempFailException {
    if (as.uid() != 0) {
      return as;
    }
    PasswdEntry p = defaultPrivsEntry();
    return new RunAs(as.user(), p.uid(), p.gid(), as.home(), as.shell());
  }

  /** The rights of what a file owned by {@code uid} lists: its owner's, default_privs for root. */
  public RunAs ofOwner(int uid) throws TempFailException {
    if (uid == 0) {
      return RunAs.of(defaultPrivsEntry());
    }
    return RunAs.of(lookup(users -> users.byUid(uid)).orElseThrow(
        () -> new TempFailException("4.3.5", "no passwd entry for uid " + uid)));
  }

  private PasswdEntry defaultPrivsEntry() throws TempFailException {
    return lookup(users -> users.byName(defaultPrivs)).orElseThrow(() -> new TempFailException(
        "4.3.5", "default_privs user " + defaultPrivs + " does not exist"));
  }

  private interface Lookup {
    Optional<PasswdEntry> in(UserDirectory users) throws LookupException;
  }

  private Optional<PasswdEntry> lookup(Lookup l) throws TempFailException {
    try {
      return l.in(users);
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", "user lookup failure: " + e.getMessage(), e);
    }
  }
}
