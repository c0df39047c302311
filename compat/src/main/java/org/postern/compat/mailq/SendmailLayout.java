package org.postern.compat.mailq;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;

/**
 * The queue listing in sendmail 8's layout (spec b.1; sendmail queue.c print_single_queue):
 * a {@code \t\t<dir> (N requests)} header, the column line, per message the id, a status
 * character, size, date and sender, a QUARANTINE line for held mail, a body-type/deferral
 * line, recipients after five tabs and a space, and the {@code \t\tTotal requests: N}
 * trailer. Entries are ordered by sendmail's priority, as QueueSortOrder=priority does.
 *
 * <p>Status characters: {@code *} in active/ (being delivered), {@code -} deferred and its
 * retry time not yet reached (sendmail's "too young"), {@code ?} a lost item (corrupt/,
 * listed by {@code -qL}), blank otherwise. Held messages are
 * sendmail's quarantined ones: blank status and a {@code QUARANTINE:} line. Our queue ids
 * are 16 characters, so the id column is two wider than the (unchanged) column header, as
 * sendmail's own {@code %13s} widens for a longer id. Deviation: sendmail cuts the sender
 * to 39, recipients to 38 and the deferral reason to 60 characters; we print them whole,
 * since a cut address or reason is useless to the scripts that grep the listing. Unprintable
 * characters are shown as {@code \ooo} and a backslash doubled, as sendmail's prtstr() does.
 * Immutable.
 */
final class SendmailLayout {
  private static final DateTimeFormatter CTIME16 =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm", Locale.ROOT);
  private static final DateTimeFormatter CTIME12 =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ROOT);
  private static final String HEADINGS =
      "-----Q-ID----- --Size-- -----Q-Time----- ------------Sender/Recipient-----------";
  private static final String VERBOSE_HEADINGS =
      "-----Q-ID----- --Size-- -Priority- ---Q-Time--- --------Sender/Recipient--------";

  private final ZoneId zone;
  private final long nowMillis;
  private final boolean verbose;

  SendmailLayout(ZoneId zone, long nowMillis, boolean verbose) {
    this.zone = zone;
    this.nowMillis = nowMillis;
    this.verbose = verbose;
  }

  void print(PrintStream out, String dir, List<QueueEntry> entries) {
    StringBuilder b = new StringBuilder();
    int n = entries.size();
    if (n == 0) {
      b.append(dir).append(" is empty\n");
    } else {
      b.append("\t\t").append(dir).append(" (").append(n).append(" request")
          .append(n == 1 ? "" : "s").append(")\n");
      b.append(verbose ? VERBOSE_HEADINGS : HEADINGS).append('\n');
      List<QueueEntry> sorted = new ArrayList<>(entries);
      sorted.sort(Comparator.comparingLong(SendmailLayout::priority)
          .thenComparingLong(QueueEntry::arrivalMillis).thenComparing(QueueEntry::id));
      for (QueueEntry e : sorted) {
        entry(b, e);
        QueuePrinter.emit(out, b);
      }
    }
    b.append("\t\tTotal requests: ").append(n).append('\n');
    QueuePrinter.emit(out, b);
  }

  private void entry(StringBuilder b, QueueEntry e) {
    // printf's %13s, %8ld, %10ld and %10.10s by hand: a listing may have 50,000 entries.
    padded(b, e.id().value(), 13).append(mark(e));
    padded(b, Long.toString(e.bodySize()), 8).append(' ');
    Instant arrival = Instant.ofEpochMilli(e.arrivalMillis());
    if (verbose) {
      padded(b, Long.toString(priority(e)), 10).append(e.delayWarned() ? '+' : ' ')
          .append(CTIME12.format(arrival.atZone(zone))).append(' ');
    } else {
      b.append(CTIME16.format(arrival.atZone(zone))).append(' ');
    }
    b.append(printable(e.sender().isEmpty() ? "<>" : e.sender()));
    if (e.state() == QueueState.HOLD) {
      b.append("\n     QUARANTINE: ").append(QueuePrinter.HOLD_REASON);
    }
    Optional<String> status = e.lastReason().map(r -> "Deferred: " + r);
    if (status.isPresent() || !e.bodyType().isEmpty()) {
      String type = e.bodyType();
      padded(b.append("\n    "), type.substring(0, Math.min(10, type.length())), 10);
      status.ifPresent(s -> b.append("   (").append(printable(s)).append(')'));
    }
    for (QueueEntry.Pending p : e.pending()) {
      b.append(verbose ? "\n\t\t\t\t\t\t" : "\n\t\t\t\t\t ").append(printable(p.address()));
      // sendmail -v's per-recipient status line, for a reason other than the message's own.
      if (verbose && p.deferReason().isPresent() && !p.deferReason().equals(e.lastReason())) {
        b.append("\n\t\t (Deferred: ").append(printable(p.deferReason().get())).append(')');
      }
    }
    b.append('\n');
  }

  /** {@code text} right-aligned in {@code width} columns (printf's %Ns; longer: whole). */
  private static StringBuilder padded(StringBuilder b, String text, int width) {
    for (int i = text.length(); i < width; i++) {
      b.append(' ');
    }
    return b.append(text);
  }

  private char mark(QueueEntry e) {
    if (e.state() == QueueState.ACTIVE) {
      return '*';
    }
    if (e.state() == QueueState.CORRUPT) {
      return '?';
    }
    return e.waitsForRetry(nowMillis) ? '-' : ' ';
  }

  /**
   * sendmail's work priority with its default factors (lower runs first): message size,
   * minus ClassFactor 1800 times the Precedence class, plus RecipientFactor 30000 per
   * recipient, plus RetryFactor 90000 per attempt made.
   */
  static long priority(QueueEntry e) {
    return e.size() - 1800L * precedenceClass(e.precedence()) + 30000L * e.recipientCount()
        + 90000L * e.attempts();
  }

  /** The classes of sendmail.cf's P lines (cf/m4/proto.m4). */
  private static int precedenceClass(String precedence) {
    return switch (precedence) {
      case "special-delivery" -> 100;
      case "list" -> -30;
      case "bulk" -> -60;
      case "junk" -> -100;
      default -> 0;
    };
  }

  /** sendmail's prtstr(), without its length limit: {@code \ooo} for unprintable bytes. */
  static String printable(String s) {
    if (plain(s)) {
      return s; // the usual case: printable ASCII, nothing to escape
    }
    StringBuilder out = new StringBuilder();
    for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
      int c = raw & 0xff;
      if (c == '\\') {
        out.append("\\\\");
      } else if (c >= 0x20 && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append(String.format("\\%03o", c));
      }
    }
    return out.toString();
  }

  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
