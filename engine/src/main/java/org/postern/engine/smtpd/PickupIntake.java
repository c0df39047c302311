package org.postern.engine.smtpd;

import java.util.Optional;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * The daemon's intake for SMTP mail: cleanup and the queue through {@link Pickup#open},
 * under the daemon's own uid (the message comes from the network, not from a local user) and
 * the id smtpd's Received header names; cleanup adds no Received header of its own.
 *
 * <p>Trusts the session's envelope as far as cleanup re-checks it. A message to be held is
 * written straight into hold/ (logged when its file is opened, as Postfix's cleanup logs
 * {@code hold:} while it reads the message). Thread-safe.
 */
public final class PickupIntake implements SmtpIntake {
  private final Pickup pickup;
  private final int uid;
  private final MailLog log;

  public PickupIntake(Pickup pickup, int uid, MailLog log) {
    this.pickup = pickup;
    this.uid = uid;
    this.log = log;
  }

  @Override
  public MessageSink open(QueueId id, Envelope envelope, Optional<String> holdReason,
      boolean localClient) throws TempFailException {
    MessageSink sink = pickup.open(id, envelope, uid,
        localClient ? Cleanup.Origin.SMTP_LOCAL_CLIENT : Cleanup.Origin.SMTP,
        holdReason.isPresent() ? QueueState.HOLD : QueueState.INCOMING);
    holdReason.ifPresent(reason -> log.info(id + ": hold: " + reason));
    return sink;
  }
}
