package org.postern.engine.qmgr;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.qmgr.DestinationResolver.Group;
import org.postern.engine.qmgr.DestinationSlots.Destination;
import org.postern.engine.queue.CorruptQueueFileException;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * One delivery attempt of one queued message, split into its destination groups that the
 * {@link ActiveQueue} runs independently (Postfix's qmgr message and its delivery requests):
 * the first group to start claims the message into active/ and validates it, once; each
 * group but the last records its recipients' progress in the status sidecar durably as it
 * ends; after the last, {@link MessageFinisher} removes, defers or bounces the message once.
 *
 * <p>Trusts nothing in the queue file until QueueFileReader validated it; a damaged file goes
 * to corrupt/ and is logged, and the other groups then do nothing. Owns the message's claim
 * and its sidecar while in flight: claims and sidecar writes are serialized on this object,
 * and an outcome is durable before its group ends (the last group's: before the message is
 * finished), so a crash repeats at most the groups not recorded yet. An IOException of the queue leaves the message in active/. Thread-safe.
 */
final class MessageDelivery implements ActiveQueue.Message {
  /** What became of the message after this attempt. */
  enum Disposition {
    REMOVED,
    DEFERRED,
    CORRUPT,
    SKIPPED
  }

  /** The collaborators every message shares. */
  record Agents(QueueDirectory queue, GroupDelivery groups, MessageFinisher finisher,
      MailLog log) {}

  private final QueueId id;
  private final QueueState from;
  private final Agents agents;
  private final List<ActiveQueue.Group> groups;
  /** Guarded by this: the claim and its result, the recorded progress, the outcomes. */
  private boolean claimTried;
  private Optional<Disposition> unclaimable = Optional.empty();
  private QueueFile message;
  private DeliveryStatus status;
  private final List<GroupDelivery.Result> results = new ArrayList<>();
  private int recorded;

  MessageDelivery(QueueId id, QueueState from, List<Group> groups, Agents agents) {
    this.id = id;
    this.from = from;
    this.agents = agents;
    this.groups = groups.stream().<ActiveQueue.Group>map(GroupRun::new).toList();
  }

  @Override
  public QueueId id() {
    return id;
  }

  @Override
  public List<ActiveQueue.Group> groups() {
    return groups;
  }

  @Override
  public synchronized Disposition finish() throws IOException {
    if (unclaimable.isPresent()) {
      return unclaimable.get();
    }
    return agents.finisher().finish(id, message, status, results);
  }

  /** One group's run: claim (once per message), deliver, record. */
  private final class GroupRun implements ActiveQueue.Group {
    private final Group group;

    GroupRun(Group group) {
      this.group = group;
    }

    @Override
    public Optional<Destination> destination() {
      return group.destination();
    }

    @Override
    public void run() throws IOException {
      Optional<Claimed> claimed = claim();
      if (claimed.isPresent()) {
        Claimed c = claimed.get();
        record(agents.groups().deliver(id, c.message(), c.status(), group));
      }
    }
  }

  /** The validated message and its progress so far. */
  private record Claimed(QueueFile message, DeliveryStatus status) {}

  /** Takes the message into active/ and validates it, once; empty when it is not ours. */
  private synchronized Optional<Claimed> claim() throws IOException {
    if (!claimTried) {
      claimTried = true;
      // A failed claim (an IOException) leaves the message to recovery: no group delivers.
      unclaimable = Optional.of(Disposition.SKIPPED);
      unclaimable = take();
    }
    return unclaimable.isPresent() ? Optional.empty() : Optional.of(new Claimed(message, status));
  }

  /** The claim's steps; what became of a message that is not ours after all. */
  private Optional<Disposition> take() throws IOException {
    QueueDirectory queue = agents.queue();
    // Take the message; another runner may have taken it first.
    try {
      queue.move(id, from, QueueState.ACTIVE);
    } catch (NoSuchFileException e) {
      return Optional.of(Disposition.SKIPPED);
    }

    // Validate it completely before acting on anything in it.
    try {
      message = QueueFileReader.read(queue.file(QueueState.ACTIVE, id));
      status = DeliveryStatus.read(queue.statusFile(id));
    } catch (CorruptQueueFileException e) {
      queue.move(id, QueueState.ACTIVE, QueueState.CORRUPT);
      agents.log().warning(id + ": " + e.getMessage() + ": moved to corrupt/");
      return Optional.of(Disposition.CORRUPT);
    }
    Envelope env = message.envelope();
    agents.log().info(id + ": from=<" + env.sender() + ">, size=" + message.contentLength()
        + ", nrcpt=" + env.recipients().size() + " (queue active)");
    return Optional.empty();
  }

  /**
   * Records a group's outcomes: durably at once what needs no notice, the rest (bounces,
   * notified deliveries) only as progress until the finish queued their notices. The last
   * group to end leaves its record to the finish that follows at once (one durable write
   * fewer; a crash before it repeats that group's deliveries, as before it was recorded).
   */
  private synchronized void record(List<GroupDelivery.Result> outcomes) throws IOException {
    results.addAll(outcomes);
    if (++recorded == groups.size()) {
      return;
    }
    DeliveryStatus next = status;
    for (GroupDelivery.Result r : outcomes) {
      next = r.recordableAtOnce() ? r.recordedIn(next)
          : next.withFinished(r.index(), r.finished());
    }
    if (!next.equals(status)) {
      next.write(agents.queue().statusFile(id));
      status = next;
    }
  }
}
