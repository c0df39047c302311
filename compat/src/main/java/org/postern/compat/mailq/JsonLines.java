package org.postern.compat.mailq;

import java.io.PrintStream;
import java.util.List;
import org.postern.engine.showq.QueueEntry;

/**
 * The queue as {@code postqueue -j} prints it (spec b.2; Postfix showq_json.c): one JSON
 * object per message per line, with queue_name, queue_id, arrival_time (epoch seconds),
 * message_size, forced_expire (always false: we have no forced expiry), sender (the null
 * sender as MAILER-DAEMON, as showq reports it) and recipients, each an address plus a
 * delay_reason when its last attempt was deferred.
 *
 * <p>Written by hand, escaped as Postfix's json_quote() does (RFC 8259 §7): quote and
 * backslash escaped, short escapes for BS FF LF CR TAB, a backslash-u escape for other
 * control characters and DEL; non-ASCII text passes as UTF-8. Stateless.
 */
final class JsonLines {
  private JsonLines() {}

  static void print(PrintStream out, List<QueueEntry> entries) {
    StringBuilder b = new StringBuilder();
    for (QueueEntry e : entries) {
      b.append("{\"queue_name\": \"").append(quote(e.state().dirName()))
          .append("\", \"queue_id\": \"").append(quote(e.id().value()))
          .append("\", \"arrival_time\": ").append(Math.floorDiv(e.arrivalMillis(), 1000L))
          .append(", \"message_size\": ").append(e.size())
          .append(", \"forced_expire\": false, \"sender\": \"")
          .append(quote(PostfixLayout.senderOf(e))).append("\", \"recipients\": [");
      for (int i = 0; i < e.pending().size(); i++) {
        QueueEntry.Pending p = e.pending().get(i);
        b.append(i > 0 ? ", " : "").append("{\"address\": \"").append(quote(p.address()))
            .append('"');
        p.deferReason().ifPresent(
            r -> b.append(", \"delay_reason\": \"").append(quote(r)).append('"'));
        b.append('}');
      }
      b.append("]}\n");
      QueuePrinter.emit(out, b);
    }
  }

  static String quote(String text) {
    if (plain(text)) {
      return text; // the usual case: nothing to escape, nothing to copy
    }
    StringBuilder b = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static boolean plain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
