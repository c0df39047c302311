package org.postern.engine.qmgr;

import org.postern.engine.global.Transport;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * Holds mail for other domains until a remote transport exists (the SMTP client is its own
 * issue): every attempt defers with 4.4.1, so the message stays queued and expires by the
 * ordinary queue lifetime rule instead of being lost or bounced early.
 */
public final class DeferringTransport implements Transport {
  @Override
  public String name() {
    return "none";
  }

  @Override
  public DeliveryOutcome deliver(
      QueueId id, QueueFile message, Recipient recipient, DestinationProgress progress) {
    int at = recipient.address().lastIndexOf('@');
    String domain = at < 0 ? recipient.address() : recipient.address().substring(at + 1);
    return DeliveryOutcome.deferred(
        "4.4.1", "delivery temporarily suspended: no transport for remote domain " + domain);
  }
}
