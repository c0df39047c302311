package org.postern.engine.local;

import java.util.List;
import java.util.Set;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * One copy of a message that local delivery forwards to addresses elsewhere: the queue id it
 * gets (chosen when the forward is decided, so the log can name it), its envelope sender and
 * recipients, the Delivered-To lines put in front of the content, and the destination keys
 * of the recipient's expansion it settles (not done while the copy is not queued).
 *
 * <p>Checks that every prepended line is one Delivered-To header. Immutable.
 */
public record ForwardedCopy(QueueId id, String sender, List<Recipient> recipients,
    List<String> deliveredTo, Set<String> keys) {
  public ForwardedCopy {
    recipients = List.copyOf(recipients);
    deliveredTo = List.copyOf(deliveredTo);
    keys = Set.copyOf(keys);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException(id + ": a forwarded copy without recipients");
    }
    for (String h : deliveredTo) {
      if (!h.startsWith("Delivered-To: ") || h.indexOf('\n') >= 0 || h.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(id + ": not a Delivered-To line: " + h);
      }
    }
  }
}
