package org.postern.compat.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * {@code postern queue show ID}: one queued message in the shape of Postfix's postcat -q:
 * the envelope records, the delivery status of each recipient, then the message content
 * exactly as stored, each part under a {@code *** ... STATE/ID ***} line.
 *
 * <p>Trusts the queue file (validated by QueueFileReader) and the status file (validated by
 * DeliveryStatus); envelope text is printed with control characters escaped, the content
 * raw. Times in the given zone. Stateless.
 */
final class MessageDump {
  private static final DateTimeFormatter CTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

  private final ZoneId zone;

  MessageDump(ZoneId zone) {
    this.zone = zone;
  }

  void print(PrintStream out, QueueState state, QueueFile file, DeliveryStatus status)
      throws IOException {
    String where = state.dirName() + "/" + file.path().getFileName();
    Envelope env = file.envelope();
    out.println("*** ENVELOPE RECORDS " + where + " ***");
    out.println("message_arrival_time: " + time(env.arrivalMillis()));
    out.println("uid: " + env.uid());
    out.println("login: " + text(env.login()));
    out.println("sender: " + text(env.sender()));
    for (Map.Entry<String, String> a : new TreeMap<>(env.attributes()).entrySet()) {
      out.println("named_attribute: " + text(a.getKey() + "=" + a.getValue()));
    }
    for (Recipient r : env.recipients()) {
      if (!r.original().equals(r.address())) {
        out.println("original_recipient: " + text(r.original()));
      }
      if (!r.notifyList().isEmpty()) {
        out.println("notify_flags: " + text(r.notifyList()));
      }
      out.println("recipient: " + text(r.address()));
    }
    out.println("*** DELIVERY STATUS " + where + " ***");
    out.println("attempts: " + status.attempts());
    if (status.nextAttemptMillis() > 0) {
      out.println("next_attempt: " + time(status.nextAttemptMillis()));
    }
    out.println("delay_warning_sent: " + (status.delayWarned() ? "yes" : "no"));
    for (int i = 0; i < env.recipients().size(); i++) {
      out.println("recipient: " + text(env.recipients().get(i).address()) + ": "
          + result(status.recipients().get(i)));
    }
    out.println("*** MESSAGE CONTENTS " + where + " ***");
    byte[] content = file.readContent();
    out.write(content);
    if (content.length > 0 && content[content.length - 1] != '\n') {
      out.println(); // keep the end marker on a line of its own
    }
    out.println("*** MESSAGE FILE END " + where + " ***");
  }

  private String result(DeliveryStatus.Entry e) {
    if (e == null) {
      return "pending";
    }
    return e.result().name().toLowerCase(Locale.ROOT) + " " + e.status().code() + " "
        + text(e.status().text()) + " (" + time(e.whenMillis()) + ")";
  }

  private String time(long millis) {
    return CTIME.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  private static String text(String s) {
    return MailLog.printable(s);
  }
}
