package org.postern.engine.smtpd;

import java.util.Optional;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;

/**
 * Where the SMTP session hands an accepted message: the daemon's queue (cleanup, incoming/,
 * {@link PickupIntake}) or, for {@code sendmail -bs}, the maildrop in the caller's name.
 *
 * <p>The caller picks the message's id first ({@link QueueId#next()}), because the Received
 * header it puts on top names it. {@link #queue} returns only once the message is durable
 * (file and directory fsync'd); its failures are temporary and leave nothing behind.
 * Implementations are thread-safe.
 */
public interface SmtpIntake {
  /**
   * Queues the message under {@code id} (a fresh id, named in its Received header); with a
   * {@code holdReason} (access map QUARANTINE) straight into hold/, so no queue run can
   * deliver it first.
   */
  void queue(QueueId id, Envelope envelope, byte[] content, Optional<String> holdReason)
      throws TempFailException;
}
