package org.postern.engine.smtp;

import java.util.List;
import java.util.Optional;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.queue.Recipient;

/**
 * The outcome of one message sent to one destination: one result per recipient, in the order
 * the message listed them, and the server that was talked to last (absent when none could be
 * reached at all). Immutable.
 */
public record TransactionResult(Optional<Endpoint> server, List<RecipientResult> recipients) {
  public TransactionResult {
    recipients = List.copyOf(recipients);
  }

  /** The {@code relay=} value of the delivery log line: {@code host[ip]:port}, or none. */
  public String relay() {
    return server.map(Endpoint::namaddrport).orElse("none");
  }

  /** The outcome for that recipient (one the message listed). */
  public DeliveryOutcome outcomeOf(Recipient recipient) {
    return recipients.stream()
        .filter(r -> r.recipient().equals(recipient))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not in this transaction: " + recipient))
        .outcome();
  }
}
