package org.postern.engine.smtpd;

import java.io.IOException;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * The daemon's intake for SMTP mail: cleanup and incoming/ through {@link Pickup#enqueue},
 * under the daemon's own uid (the message comes from the network, not from a local user) and
 * the id smtpd's Received header names; cleanup adds no Received header of its own.
 *
 * <p>Trusts the session's envelope as far as cleanup re-checks it. A message to be held is
 * moved from incoming/ to hold/ right after it is queued (a queue run starting in between
 * may deliver it first). Thread-safe.
 */
public final class PickupIntake implements SmtpIntake {
  private final Pickup pickup;
  private final QueueDirectory queue;
  private final int uid;
  private final MailLog log;

  public PickupIntake(Pickup pickup, QueueDirectory queue, int uid, MailLog log) {
    this.pickup = pickup;
    this.queue = queue;
    this.uid = uid;
    this.log = log;
  }

  @Override
  public void queue(QueueId id, Envelope envelope, byte[] content) throws TempFailException {
    pickup.enqueue(id, envelope, content, uid, Cleanup.Origin.SMTP);
  }

  @Override
  public void hold(QueueId id, String reason) throws TempFailException {
    try {
      queue.move(id, QueueState.INCOMING, QueueState.HOLD);
    } catch (IOException e) {
      throw new TempFailException("4.3.0", id + ": cannot move to hold: " + e.getMessage(), e);
    }
    log.info(id + ": hold: " + reason);
  }
}
