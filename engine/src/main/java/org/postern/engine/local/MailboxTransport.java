package org.postern.engine.local;

import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * Postfix's {@code mailbox_transport}: local delivery hands a user's mailbox delivery, after
 * aliases and .forward, to another transport (an LMTP store such as Dovecot) instead of
 * appending to the mbox, as Postfix's local(8) passes it with deliver_pass.
 *
 * <p>Trusts the validated queue file. Logs its own {@code to=} line (the relay is the store),
 * and never throws for a delivery problem. Thread-safe.
 */
public interface MailboxTransport {
  /** Delivers message {@code id} to {@code recipient}'s mailbox in the store. */
  DeliveryOutcome deliver(QueueId id, QueueFile message, Recipient recipient);
}
