package org.postern.engine.smtp;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.Recipient;

/**
 * One message for one SMTP transaction: the queue id (for log lines), the envelope sender
 * ("" is {@code <>}), the recipients of this destination, the DSN envelope parameters
 * ({@code ret} "full"/"hdrs" or "", {@code envid} decoded or ""), the content, and the
 * address each recipient is sent as in RCPT TO (its own, unless smtp_generic_maps maps it).
 *
 * <p>Trusts the queue file it was built from (validated by the queue reader). Immutable.
 */
public record OutgoingMessage(
    String queueId,
    String sender,
    List<Recipient> recipients,
    String ret,
    String envid,
    MessageContent content,
    List<String> rcptTo) {
  public OutgoingMessage {
    recipients = List.copyOf(recipients);
    rcptTo = List.copyOf(rcptTo);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("no recipients for " + queueId);
    }
    if (rcptTo.size() != recipients.size()) {
      throw new IllegalArgumentException("one RCPT TO address per recipient for " + queueId);
    }
  }

  /** A message whose recipients are sent as their own addresses. */
  public OutgoingMessage(String queueId, String sender, List<Recipient> recipients, String ret,
      String envid, MessageContent content) {
    this(queueId, sender, recipients, ret, envid, content,
        recipients.stream().map(Recipient::address).toList());
  }

  /** The message of a queue file, for those of its recipients that go to one destination. */
  public static OutgoingMessage of(String queueId, QueueFile file, List<Recipient> recipients)
      throws IOException {
    Envelope env = file.envelope();
    return new OutgoingMessage(
        queueId,
        env.sender(),
        recipients,
        env.attribute(Envelope.ATTR_RET).toLowerCase(Locale.ROOT),
        env.attribute(Envelope.ATTR_ENVID),
        MessageContent.of(file));
  }

  /** RFC 6531: an envelope address is not ASCII, so the server must offer SMTPUTF8. */
  public boolean needsSmtputf8() {
    return !XText.isAscii(sender)
        || rcptTo.stream().anyMatch(a -> !XText.isAscii(a));
  }
}
