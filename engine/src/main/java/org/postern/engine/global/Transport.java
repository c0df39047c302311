package org.postern.engine.global;

import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;

/**
 * A delivery agent as the queue manager sees it: one recipient of one validated queue file
 * in, one outcome out. Implementations decide temporary versus permanent where they see
 * the cause, and must never throw for a delivery problem.
 */
public interface Transport {
  /** The {@code relay=} name in the delivery log line. */
  String name();

  /**
   * Delivers {@code recipient}; a transport that fans one recipient out to several
   * destinations skips those {@code progress} has and marks each one it completes.
   */
  DeliveryOutcome deliver(
      QueueId id, QueueFile message, Recipient recipient, DestinationProgress progress);
}
