package org.postern.compat.submit;

import java.util.Optional;
import org.postern.compat.sendmail.Intake;
import org.postern.engine.global.Sysexit;
import org.postern.engine.global.TempFailException;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;

/**
 * The intake of a submission received over the socket: straight into incoming/ through
 * pickup's cleanup step, with the peer's uid as the trusted identity (what a maildrop file's
 * owner is for pickup), then the daemon's scheduler is woken.
 *
 * <p>Trusts the uid from SO_PEERCRED only. Never writes in the user's name: a dead.letter
 * copy is kept here for the client to save as its user. Delivery modes start nothing: the
 * daemon delivers on its own schedule (deviation: {@code -odi}/{@code -v} do not wait for
 * the delivery, as they do not for the command run by anyone but the queue owner). Write
 * failures are temporary. One per submission; not thread-safe.
 */
final class DaemonIntake implements Intake {
  private final Pickup pickup;
  private final int uid;
  private final Runnable onQueued;
  private Optional<byte[]> deadLetter = Optional.empty();
  private boolean queuedAny;

  DaemonIntake(Pickup pickup, int uid, Runnable onQueued) {
    this.pickup = pickup;
    this.uid = uid;
    this.onQueued = onQueued;
  }

  @Override
  public QueueId queue(Envelope envelope, byte[] content) throws TempFailException {
    QueueId id = pickup.enqueue(envelope, content, uid);
    queuedAny = true;
    onQueued.run();
    return id;
  }

  @Override
  public void saveDeadLetter(byte[] content) {
    deadLetter = Optional.of(content);
  }

  @Override
  public int startDelivery(Optional<QueueId> queued) {
    return Sysexit.EX_OK.code();
  }

  /** Whether anything (the message, or a DSN for -oem) was queued. */
  boolean queuedAny() {
    return queuedAny;
  }

  /** The copy the client is to append to its ~/dead.letter, if one was asked for. */
  Optional<byte[]> deadLetter() {
    return deadLetter;
  }
}
