package org.postern.compat.mailq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.util.ProcessIdentity;

/**
 * Who may see and change the queue. The queue's administrators are root and the owner of
 * the queue directory (the mail owner; in a test instance, the user who made it): they see
 * and change everything. Anyone else may list the queue only as authorized_mailq_users
 * allows (Postfix's parameter: {@code static:anyone}, the default; {@code static:root} or
 * {@code static:noone}; or a list of user names), and may change or show only messages
 * whose envelope uid is theirs.
 *
 * <p>Trusts the kernel's view of the caller ({@link ProcessIdentity}) and the queue
 * directory's owner. These rules come on top of the file modes: a caller the files refuse is
 * refused whatever the parameter says. Another table type in authorized_mailq_users is a
 * ConfigException. Immutable.
 */
public final class QueueAccess {
  private static final String ANYONE = "static:anyone";
  private static final Set<String> NO_ONE = Set.of("static:root", "static:noone");

  private final int uid;
  private final boolean admin;
  private final boolean mayList;

  QueueAccess(int uid, boolean admin, boolean mayList) {
    this.uid = uid;
    this.admin = admin;
    this.mayList = mayList;
  }

  /** The access of the user running this command to the instance's queue. */
  public static QueueAccess of(Config config, Path queueRoot)
      throws IOException, ConfigException {
    return of(config, queueRoot, ProcessIdentity.current());
  }

  /** The access of {@code me} (a showq peer, as the kernel named it) to the queue. */
  public static QueueAccess of(Config config, Path queueRoot, ProcessIdentity me)
      throws IOException, ConfigException {
    int owner;
    try {
      owner = (Integer) Files.getAttribute(queueRoot, "unix:uid");
    } catch (IOException e) {
      owner = -1; // no queue to own (a broken instance): only root administers it
    }
    boolean admin = me.isRoot() || me.effectiveUid() == owner;
    return new QueueAccess(me.uid(), admin,
        admin || authorized(config.list(Params.AUTHORIZED_MAILQ_USERS), me));
  }

  static boolean authorized(List<String> setting, ProcessIdentity me) throws ConfigException {
    if (setting.equals(List.of(ANYONE))) {
      return true;
    }
    if (setting.size() == 1 && NO_ONE.contains(setting.get(0))) {
      return false;
    }
    for (String user : setting) {
      if (user.indexOf(':') >= 0) {
        throw new ConfigException(Params.AUTHORIZED_MAILQ_USERS.name() + " = "
            + String.join(", ", setting) + ": only static:anyone, static:root, static:noone"
            + " or a list of user names is supported");
      }
    }
    return setting.contains(me.name()) || setting.contains(Integer.toString(me.uid()));
  }

  /** Root or the queue's owner. */
  public boolean isAdmin() {
    return admin;
  }

  /** Whether the caller may list the whole queue (mailq, postern queue list). */
  public boolean mayList() {
    return mayList;
  }

  /** Whether the caller may show, hold, release, remove or requeue this message. */
  public boolean mayChange(QueueEntry e) {
    return admin || e.uid() == uid;
  }
}
