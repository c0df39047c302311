package org.postern.compat.mailq;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueScanner;

/**
 * mailq / {@code sendmail -bp} in sendmail 8's layout (spec b.1), which is what scripts of
 * sites replacing sendmail parse: a header per queue, one entry per message, the deferral
 * reason, recipients indented five tabs, and the exact {@code Total requests:} trailer.
 * Our queue ids are 16 characters, so the id column is two wider than sendmail's.
 *
 * <p>Reads the queue without changing it. Exit 0, or 74 when the queue cannot be read.
 */
public final class MailqCommand {
  private static final DateTimeFormatter CTIME16 =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm", Locale.ROOT);

  private final MailSystem system;

  public MailqCommand(MailSystem system) {
    this.system = system;
  }

  public int print(PrintStream out, PrintStream err) {
    List<QueueEntry> entries;
    try {
      entries = new QueueScanner(system.queue(), system.log("showq")).scan();
    } catch (java.nio.file.AccessDeniedException e) {
      // Without the daemon, only the queue's owner can read it (sendmail's restrictmailq).
      err.println("mailq: You are not permitted to see the queue");
      return Sysexit.EX_NOPERM.code();
    } catch (IOException e) {
      err.println("mailq: cannot read the queue: " + e.getMessage());
      return Sysexit.EX_IOERR.code();
    }
    String dir = system.queue().root().toString();
    if (entries.isEmpty()) {
      out.println(dir + " is empty");
      out.println("\t\tTotal requests: 0");
      return Sysexit.EX_OK.code();
    }
    int n = entries.size();
    out.println("\t\t" + dir + " (" + n + " request" + (n == 1 ? "" : "s") + ")");
    out.println(
        "------Q-ID------ --Size-- -----Q-Time----- ------------Sender/Recipient-----------");
    for (QueueEntry e : entries) {
      String mark = e.state() == QueueState.ACTIVE ? "*" : " ";
      String when = CTIME16.format(Instant.ofEpochMilli(e.arrivalMillis()).atZone(ZoneId.systemDefault()));
      String sender = e.sender().isEmpty() ? "<>" : e.sender();
      out.printf("%-16s%s%8d %s %s%n", e.id(), mark, e.size(), when, sender);
      e.deferReason().ifPresent(r -> out.println("                 (Deferred: " + r + ")"));
      if (e.state() == QueueState.HOLD) {
        out.println("     QUARANTINE: held by the administrator");
      }
      for (String r : e.pendingRecipients()) {
        out.println("\t\t\t\t\t " + r);
      }
    }
    out.println("\t\tTotal requests: " + n);
    return Sysexit.EX_OK.code();
  }

  /** {@code sendmail -bP}: the number of queued messages, as sendmail prints it. */
  public int printCount(PrintStream out, PrintStream err) {
    try {
      int n = new QueueScanner(system.queue(), system.log("showq")).scan().size();
      out.println(system.queue().root() + ": entries=" + n);
      return Sysexit.EX_OK.code();
    } catch (IOException e) {
      err.println("mailq: cannot read the queue: " + e.getMessage());
      return Sysexit.EX_IOERR.code();
    }
  }
}
