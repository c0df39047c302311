package org.postern.engine.bounce;

import static org.postern.engine.bounce.FieldText.escape;

import java.time.Duration;
import org.postern.engine.queue.Recipient;

/**
 * Writes the human-readable first part of a notification in Postfix's words: who is writing, what
 * happened, then one {@code <address>: reason} paragraph per recipient.
 *
 * <p>Addresses and reasons are escaped ({@link FieldText#escape}) and wrapped, so the part is plain
 * US-ASCII with short lines whatever a remote server answered. Stateless, thread-safe.
 */
final class NotificationText {
  private static final String SIGNATURE = "                   The mail system\n";
  private static final String ASSISTANCE =
      "For further assistance, please send mail to postmaster.\n"
          + "\n"
          + "If you do so, please include this problem report. You can\n"
          + "delete your own text from the attached returned message.\n"
          + "\n";

  private final String myhostname;

  NotificationText(String myhostname) {
    this.myhostname = myhostname;
  }

  /** The whole part, LF line ends; {@code nowMillis} dates a delay notice. */
  String write(DsnReport report, long nowMillis) {
    StringBuilder b = new StringBuilder();
    b.append("This is the mail system at host ").append(escape(myhostname)).append(".\n\n");
    switch (report.kind()) {
      case FAILURE -> b.append(failure());
      case DELAY -> b.append(delay(report, nowMillis));
      case SUCCESS -> b.append(success());
    }
    b.append(SIGNATURE);
    for (RecipientReport r : report.recipients()) {
      b.append('\n').append(recipientLine(r));
    }
    return b.toString();
  }

  private static String failure() {
    return "I'm sorry to have to inform you that your message could not\n"
        + "be delivered to one or more recipients. It's attached below.\n"
        + "\n"
        + ASSISTANCE;
  }

  private static String delay(DsnReport report, long nowMillis) {
    long arrival = report.envelope().arrivalMillis();
    long hours = Math.max(0, Duration.ofMillis(nowMillis - arrival).toHours());
    long until = report.willRetryUntilMillis().orElseThrow();
    long days = Math.max(1, Math.round((until - arrival) / (double) Duration.ofDays(1).toMillis()));
    return "####################################################################\n"
        + "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
        + "####################################################################\n"
        + "\n"
        + "Your message could not be delivered for "
        + hours
        + " hour(s).\n"
        + "It will be retried until it is "
        + days
        + " day(s) old.\n"
        + "\n"
        + ASSISTANCE;
  }

  private static String success() {
    return "Your message was successfully delivered to the destination(s)\n"
        + "listed below. If the message was delivered to mailbox you will\n"
        + "receive no further notifications. Otherwise you may still receive\n"
        + "notifications of mail delivery errors from other systems.\n"
        + "\n";
  }

  // Postfix's shape: "<rcpt> (expanded from <orig>): host H said: reason".
  private static String recipientLine(RecipientReport r) {
    Recipient rcpt = r.recipient();
    StringBuilder line = new StringBuilder("<").append(escape(rcpt.address())).append('>');
    if (!rcpt.original().isEmpty() && !rcpt.original().equalsIgnoreCase(rcpt.address())) {
      line.append(" (expanded from <").append(escape(rcpt.original())).append(">)");
    }
    line.append(':');
    r.remoteMta().ifPresent(mta -> line.append(" host ").append(escape(mta)).append(" said:"));
    String reason = r.diagnostic().isEmpty() ? r.status().text() : r.diagnostic();
    line.append(' ').append(escape(reason.isEmpty() ? r.status().code() : reason));
    return FieldText.wrap(line.toString(), "    ");
  }
}
