package org.postern.engine.local.service;

import java.util.ArrayList;
import java.util.List;
import org.postern.engine.local.ForwardedCopy;
import org.postern.engine.local.Handoff;
import org.postern.engine.local.OwnerNotice;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;

/**
 * What root's local delivery service does with forwarded copies and list owners' notices:
 * keeps them for the {@link DeliverReply}, so the mail owner's daemon queues them. Root
 * writes nothing into the mail owner's queue (Postfix's local(8) hands such mail to cleanup).
 *
 * <p>Trusts local delivery's records. Never fails: the daemon decides what a copy it cannot
 * queue means. One per request; not thread-safe.
 */
final class CollectedHandoff implements Handoff {
  private final List<ForwardedCopy> forwards = new ArrayList<>();
  private final List<OwnerNotice> notices = new ArrayList<>();

  @Override
  public void forward(QueueId id, QueueFile original, ForwardedCopy copy) {
    forwards.add(copy);
  }

  @Override
  public void notifyOwner(QueueId id, QueueFile original, OwnerNotice notice) {
    notices.add(notice);
  }

  List<ForwardedCopy> forwards() {
    return List.copyOf(forwards);
  }

  List<OwnerNotice> notices() {
    return List.copyOf(notices);
  }
}
