package org.postern.engine.local;

import java.io.IOException;
import java.util.OptionalLong;
import org.postern.engine.bounce.DsnReport;
import org.postern.engine.bounce.Notifier;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;

/**
 * Queues forwarded copies and list owners' notices in the queue of the process that owns it:
 * local delivery in the same process (local_delivery_service = no), or the mail owner's
 * daemon with what root's local delivery service handed back.
 *
 * <p>Trusts the validated original queue file and what it is given. Each call returns once
 * its message is durable; an IOException means it was not queued. Thread-safe.
 */
public final class QueueingHandoff implements Handoff {
  private final Forwarder forwarder;
  private final Notifier notifier;

  public QueueingHandoff(Forwarder forwarder, Notifier notifier) {
    this.forwarder = forwarder;
    this.notifier = notifier;
  }

  @Override
  public void forward(QueueId id, QueueFile original, ForwardedCopy copy) throws IOException {
    forwarder.forward(id, original, copy);
  }

  @Override
  public void notifyOwner(QueueId id, QueueFile original, OwnerNotice notice)
      throws IOException {
    Envelope env = original.envelope();
    Envelope toOwner = new Envelope(env.arrivalMillis(), env.uid(), env.login(), notice.owner(),
        env.recipients(), env.attributes());
    notifier.send(new DsnReport(id, toOwner, DsnReport.Kind.FAILURE, notice.reports(),
        OptionalLong.empty()), original);
  }
}
