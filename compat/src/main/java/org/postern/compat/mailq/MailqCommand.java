package org.postern.compat.mailq;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;
import org.postern.engine.global.TempFailException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueListing;
import org.postern.engine.showq.QueueScanner;
import org.postern.engine.util.ProcessIdentity;

/**
 * mailq / {@code sendmail -bp}: lists the queue in sendmail 8's layout (spec b.1) or, with
 * {@code mailq_format = postfix}, Postfix's (b.2), limited to the messages the caller's
 * {@code -q[!]I/R/S/Q} flags select (sendmail's count adjusts to what is printed). With
 * {@code -qL} it lists the lost items of corrupt/ instead (see QueueScanner#scanLost), read
 * here or, like the queue, through the daemon's showq socket.
 *
 * <p>Runs in the command, for the user running it, or in the daemon ({@link #forPeer}), for
 * the peer of a submission socket connection (the kernel's word), with the same rules and
 * the same bytes; the daemon's copy reads the queue itself and never asks a socket, so the
 * two never call each other. Reads the queue without changing it. A caller
 * authorized_mailq_users does not admit, or one the queue files refuse (without the daemon
 * only the queue's owner can read them), gets sendmail's {@code You are not permitted to
 * see the queue} and EX_NOPERM (77). Other read failures are EX_IOERR (74); a daemon that
 * hangs or cuts its answer short EX_TEMPFAIL (75); a bad mailq_format is a ConfigException. Not thread-safe.
 */
public final class MailqCommand {
  private final MailSystem system;
  private final Clock clock;
  private final QueueScanner scanner;
  /** The daemon's caller; empty: this process's user, who may need the showq socket. */
  private final Optional<ProcessIdentity> peer;

  public MailqCommand(MailSystem system) {
    this(system, Clock.systemDefaultZone());
  }

  /** With a given clock: its zone dates the entries and its time marks backoff ("-"). */
  public MailqCommand(MailSystem system, Clock clock) {
    this(system, clock, new QueueScanner(system.queue(), system.log("showq")), Optional.empty());
  }

  private MailqCommand(MailSystem system, Clock clock, QueueScanner scanner,
      Optional<ProcessIdentity> peer) {
    this.system = system;
    this.clock = clock;
    this.scanner = scanner;
    this.peer = peer;
  }

  /** The daemon's listing for {@code peer}, from the daemon's own {@code scanner}. */
  public static MailqCommand forPeer(MailSystem system, Clock clock, QueueScanner scanner,
      ProcessIdentity peer) {
    return new MailqCommand(system, clock, scanner, Optional.of(peer));
  }

  /** The whole queue. */
  public int print(PrintStream out, PrintStream err) throws ConfigException {
    return print(out, err, e -> true, false, false);
  }

  /**
   * The messages {@code selected} admits; {@code verbose} is {@code mailq -v}; {@code lost}
   * lists corrupt/ instead of the queue ({@code -qL}).
   */
  public int print(PrintStream out, PrintStream err, Predicate<QueueEntry> selected,
      boolean verbose, boolean lost) throws ConfigException {
    QueuePrinter printer =
        new QueuePrinter(system.config(), system.queue().root().toString(), clock);
    List<QueueEntry> entries;
    try {
      if (!access().mayList()) {
        return notPermitted(err);
      }
      Optional<List<QueueEntry>> listed = entries(lost);
      if (listed.isEmpty()) {
        return notPermitted(err);
      }
      entries = listed.get();
    } catch (IOException e) {
      err.println("mailq: cannot read the queue: " + e.getMessage());
      return Sysexit.EX_IOERR.code();
    } catch (TempFailException e) {
      return daemonFailed(err, e);
    }
    printer.print(out, entries.stream().filter(selected).toList(), verbose);
    return Sysexit.EX_OK.code();
  }

  private QueueAccess access() throws IOException, ConfigException {
    return peer.isPresent() ? QueueAccess.of(system.config(), system.queue().root(), peer.get())
        : QueueAccess.of(system.config(), system.queue().root());
  }

  /**
   * The queue's entries, read here when the files let us, else (in the command) from the
   * running daemon's showq socket (a system queue is the mail owner's); empty when neither
   * lets us see them. {@code lost}: corrupt/'s lost items instead.
   */
  private Optional<List<QueueEntry>> entries(boolean lost)
      throws IOException, TempFailException {
    try {
      return Optional.of(lost ? scanner.scanLost() : scanner.scan());
    } catch (AccessDeniedException e) {
      if (peer.isPresent()) {
        throw e; // the daemon cannot read its own queue: an I/O error, not the peer's fault
      }
      try {
        return new ShowqClient(ShowqServer.path(system.config()))
            .fetch(lost ? QueueListing.Request.LOST : QueueListing.Request.QUEUE);
      } catch (IOException noDaemon) {
        return Optional.empty();
      }
    }
  }

  /** {@code sendmail -bP}: the number of queued messages, as sendmail prints it. */
  public int printCount(PrintStream out, PrintStream err) throws ConfigException {
    try {
      if (!access().mayList()) {
        return notPermitted(err);
      }
      Optional<List<QueueEntry>> entries = entries(false);
      if (entries.isEmpty()) {
        return notPermitted(err);
      }
      out.println(system.queue().root() + ": entries=" + entries.get().size());
      return Sysexit.EX_OK.code();
    } catch (IOException e) {
      err.println("mailq: cannot read the queue: " + e.getMessage());
      return Sysexit.EX_IOERR.code();
    } catch (TempFailException e) {
      return daemonFailed(err, e);
    }
  }

  /** The daemon's showq service hung or cut its answer short: try again later. */
  private static int daemonFailed(PrintStream err, TempFailException e) {
    err.println("mailq: cannot list the queue: " + e.getMessage());
    return Sysexit.EX_TEMPFAIL.code();
  }

  private static int notPermitted(PrintStream err) {
    // sendmail's words (restrictmailq), which scripts may look for.
    err.println("mailq: You are not permitted to see the queue");
    return Sysexit.EX_NOPERM.code();
  }
}
