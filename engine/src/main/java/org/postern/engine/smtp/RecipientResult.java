package org.postern.engine.smtp;

import java.util.Optional;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.queue.Recipient;

/**
 * What became of one recipient in one SMTP transaction: the outcome (its reason text is
 * Postfix's, e.g. "host mx[192.0.2.1] said: 550 5.1.1 ... (in reply to RCPT TO command)"), and
 * the remote reply that decided it, when a server's reply did (absent for connection failures
 * and for our own decisions such as a size limit). Immutable.
 */
public record RecipientResult(
    Recipient recipient, DeliveryOutcome outcome, Optional<RemoteReply> remote) {}
