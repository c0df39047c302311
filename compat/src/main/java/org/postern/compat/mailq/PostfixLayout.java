package org.postern.compat.mailq;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;

/**
 * The queue listing in Postfix's layout (spec b.2; Postfix showq_compat.c), chosen with
 * {@code mailq_format = postfix}: the column line, per message {@code %-11s %7ld %20.20s %s}
 * (id with {@code *} for active, {@code !} for held; content size; asctime; sender, the null
 * sender as MAILER-DAEMON), a parenthesised reason ending in column 78 before each run of
 * recipients sharing it ({@code (reason unavailable)} after a reason, for one without), the
 * recipients indented 41, a blank line between messages, and {@code -- N Kbytes in M
 * Requests.}; an empty queue is {@code Mail queue is empty}. Entries keep arrival order.
 *
 * <p>Our 16-character ids overflow the 11-column id field exactly as Postfix's short format
 * lets them (the brief asks for that format, not Postfix's long-id one). Immutable.
 */
final class PostfixLayout {
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
  private static final String ROW = "%-11s %7s %-20s %s\n";

  private final ZoneId zone;

  PostfixLayout(ZoneId zone) {
    this.zone = zone;
  }

  void print(PrintStream out, List<QueueEntry> entries) {
    if (entries.isEmpty()) {
      out.print("Mail queue is empty\n");
      return;
    }
    StringBuilder b = new StringBuilder();
    b.append(String.format(ROW, "-Queue ID-", "--Size--", "----Arrival Time----",
        "-Sender/Recipient-------"));
    long bytes = 0;
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        b.append('\n');
      }
      QueueEntry e = entries.get(i);
      bytes += e.size();
      entry(b, e);
      QueuePrinter.emit(out, b);
    }
    int n = entries.size();
    b.append(String.format("\n-- %d Kbytes in %d Request%s.\n", bytes / 1024, n,
        n == 1 ? "" : "s"));
    QueuePrinter.emit(out, b);
  }

  private void entry(StringBuilder b, QueueEntry e) {
    String id = e.id() + (e.state() == QueueState.ACTIVE ? "*"
        : e.state() == QueueState.HOLD ? "!" : "");
    String when = ASCTIME.format(Instant.ofEpochMilli(e.arrivalMillis()).atZone(zone)) + "\n";
    b.append(String.format("%-11s %7d %20.20s %s\n", id, e.size(), when, senderOf(e)));
    String saved = "";
    for (QueueEntry.Pending p : e.pending()) {
      String why = p.deferReason().orElse("");
      if (!why.equals(saved)) {
        saved = why;
        String show = saved.isEmpty() ? "reason unavailable" : saved;
        int padding = Math.max(0, 76 - show.getBytes(StandardCharsets.UTF_8).length);
        b.append(" ".repeat(padding)).append('(').append(show).append(")\n");
      }
      b.append(String.format(ROW, "", "", "", p.address()));
    }
  }

  /** Postfix shows the null sender as its empty_address_recipient, MAILER-DAEMON. */
  static String senderOf(QueueEntry e) {
    return e.sender().isEmpty() ? "MAILER-DAEMON" : e.sender();
  }
}
