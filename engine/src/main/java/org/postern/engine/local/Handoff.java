package org.postern.engine.local;

import java.io.IOException;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;

/**
 * Where local delivery sends what it does not deliver itself: copies forwarded to addresses
 * elsewhere and failure notices to list owners (Postfix's local(8) hands both to cleanup).
 * In one process they are queued at once ({@link QueueingHandoff}); root's local delivery
 * service only collects them for the mail owner's daemon to queue, since root writes nothing
 * into the mail owner's queue.
 *
 * <p>An IOException means nothing was handed off: the caller defers what depended on it.
 */
public interface Handoff {
  /** Queues {@code copy} of {@code original} (message {@code id}) under {@code copy.id()}. */
  void forward(QueueId id, QueueFile original, ForwardedCopy copy) throws IOException;

  /** Sends {@code notice} about message {@code id} to its list owner. */
  void notifyOwner(QueueId id, QueueFile original, OwnerNotice notice) throws IOException;
}
