package org.postern.engine.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.MailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.local.expand.Destination;
import org.postern.engine.local.maildir.MaildirWriter;
import org.postern.engine.local.mbox.MailboxOwner;
import org.postern.engine.local.mbox.MboxAppender;
import org.postern.engine.local.mbox.MboxMessage;
import org.postern.engine.local.pipe.CommandDelivery;
import org.postern.engine.local.pipe.CommandEnvironment;
import org.postern.engine.posix.FsIdentity;
import org.postern.maps.passwd.PasswdEntry;

/**
 * Delivers to a local user's mailbox once aliases and .forward are done with, in Postfix
 * local/mailbox.c's order: mailbox_command_maps, mailbox_command (run as the recipient, as
 * {@code default_privs} for root, like a .forward {@code |command}), home_mailbox (a maildir
 * or an mbox in the home directory, written with the recipient's filesystem identity), else
 * the mbox in mail_spool_directory.
 *
 * <p>Trusts the passwd entry and main.cf; the agents judge paths and commands. Outcomes as
 * the agent that delivers reports them; a failed table or user lookup is temporary.
 * Thread-safe.
 */
public final class MailboxDelivery {
  /** The parts that store a message. */
  public record Agents(MboxAppender mboxes, MaildirWriter maildirs, CommandDelivery commands) {}

  /** Where mailboxes are: the command, the home mailbox, the spool. */
  public record Stores(MailboxCommand command, Optional<HomeMailbox> home, Path spool) {}

  private final Agents agents;
  private final Stores stores;
  private final DeliveryRights rights;
  private final boolean root;

  public MailboxDelivery(Agents agents, Stores stores, DeliveryRights rights, boolean root) {
    this.agents = agents;
    this.stores = stores;
    this.rights = rights;
    this.root = root;
  }

  /** Delivers {@code message} to {@code m}'s mailbox; {@code env} is for a command. */
  public DeliveryOutcome deliver(
      Destination.Mailbox m, CommandEnvironment env, MboxMessage message) {
    PasswdEntry user = m.user();
    // Postfix's next step, mailbox_transport(_maps), belongs here when it is supported.
    try {
      Optional<String> command = stores.command().forUser(user.name());
      if (command.isPresent()) {
        // Root's mail runs as default_privs (Postfix local/command.c).
        return agents.commands().deliver(command.get(), rights.unprivileged(RunAs.of(user)),
            env, message);
      }
      if (stores.home().isPresent()) {
        HomeMailbox home = stores.home().get();
        return asRecipient(user, home.in(user.home()), home.maildir(), message);
      }
      agents.mboxes().append(stores.spool().resolve(user.name()),
          new MailboxOwner(user.uid(), user.gid(), root), message);
      return DeliveryOutcome.delivered("2.0.0", "delivered to mailbox");
    } catch (MailException e) {
      return DeliveryOutcome.of(e);
    }
  }

  /**
   * A mailbox in the home directory: every step (directories, lock, file) with the
   * recipient's filesystem identity, so quotas and permissions are the user's (Postfix).
   */
  private DeliveryOutcome asRecipient(PasswdEntry user, Path mailbox, boolean maildir,
      MboxMessage message) throws MailException {
    // The message is the mail system's, unreadable to the user: open it before switching.
    try (InputStream content = message.content().open();
        FsIdentity as = FsIdentity.assume(user.uid(), user.gid())) {
      MboxMessage opened = message.withContent(() -> content);
      if (maildir) {
        agents.maildirs().deliver(mailbox, opened);
        return DeliveryOutcome.delivered("2.0.0", "delivered to maildir");
      }
      agents.mboxes().append(mailbox, new MailboxOwner(user.uid(), user.gid(), false), opened);
      return DeliveryOutcome.delivered("2.0.0", "delivered to mailbox");
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "cannot deliver to " + mailbox + ": "
          + e.getMessage(), e);
    }
  }
}
