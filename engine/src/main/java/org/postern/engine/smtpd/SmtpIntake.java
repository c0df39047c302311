package org.postern.engine.smtpd;

import java.util.Optional;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueId;

/**
 * Where the SMTP session hands an accepted message: the daemon's queue (cleanup, incoming/,
 * {@link PickupIntake}) or, for {@code sendmail -bs}, the maildrop in the caller's name.
 *
 * <p>The caller picks the message's id first ({@link QueueId#next()}), because the Received
 * header it puts on top names it, and streams the content into the {@link MessageSink} it
 * gets: {@link MessageSink#commit()} returns only once the message is durable (file and
 * directory fsync'd); failures are temporary, and a sink closed uncommitted leaves nothing
 * behind. Implementations are thread-safe.
 */
public interface SmtpIntake {
  /**
   * Opens the queue file of the message {@code id} (a fresh id, named in its Received header);
   * with a {@code holdReason} (access map QUARANTINE) it goes straight into hold/, so no queue
   * run can deliver it first. {@code localClient}: the client is on one of this machine's own
   * addresses (its header addresses are then qualified, as a local submission's).
   */
  MessageSink open(QueueId id, Envelope envelope, Optional<String> holdReason,
      boolean localClient) throws TempFailException;
}
