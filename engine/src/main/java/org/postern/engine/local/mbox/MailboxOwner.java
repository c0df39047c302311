package org.postern.engine.local.mbox;

/**
 * The local user a spool mailbox belongs to, as taken from the passwd entry.
 *
 * <p>{@code chown} is true when we run as root and must give a newly created mailbox to the
 * user (uid {@code uid}, group of the spool directory), and may act as the user ({@code uid},
 * {@code gid}); it is false in development mode, where everything runs as one ordinary user.
 * Immutable and thread-safe.
 */
public record MailboxOwner(int uid, int gid, boolean chown) {
  public MailboxOwner {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("bad uid/gid " + uid + "/" + gid);
    }
  }
}
