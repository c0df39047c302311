package org.postern.engine.qmgr;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.engine.bounce.DsnReport;
import org.postern.engine.bounce.Notifier;
import org.postern.engine.bounce.RecipientReport;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.DeliveryStatus.Entry;
import org.postern.engine.queue.DeliveryStatus.Result;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * Ends one attempt of a message in active/ once all its destination groups ended (Postfix's
 * qmgr_active_done): gives up on what stayed deferred too long, queues the notices the
 * sender asked for (one per kind, naming every recipient concerned), then removes a message
 * with nothing left to deliver or records its progress and moves it to deferred/.
 *
 * <p>Trusts the claimed queue file and the outcomes handed in. Notices are queued before the
 * progress that depends on them is durable, so a crash repeats a notice, never loses one;
 * an IOException leaves the message in active/. Stateless apart from its collaborators;
 * thread-safe.
 */
final class MessageFinisher {
  /** Where double bounces go (Postfix's 2bounce_notice_recipient default). */
  private static final String POSTMASTER = "postmaster";

  private final QueueDirectory queue;
  private final Notifier notifier;
  private final Backoff backoff;
  private final MailLog log;
  private final Clock clock;

  MessageFinisher(QueueDirectory queue, Notifier notifier, Backoff backoff, MailLog log,
      Clock clock) {
    this.queue = queue;
    this.notifier = notifier;
    this.backoff = backoff;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Finishes message {@code id}: {@code status} is its recorded progress, {@code results}
   * every outcome of this attempt.
   */
  MessageDelivery.Disposition finish(QueueId id, QueueFile message, DeliveryStatus status,
      List<GroupDelivery.Result> results) throws IOException {
    long now = clock.millis();
    Envelope env = message.envelope();
    List<RecipientReport> bounced = new ArrayList<>();
    List<RecipientReport> deferred = new ArrayList<>();
    List<RecipientReport> delivered = new ArrayList<>();
    for (GroupDelivery.Result r : results) {
      status = r.recordedIn(status);
      (r.outcome() instanceof DeliveryOutcome.Delivered ? delivered
          : r.outcome() instanceof DeliveryOutcome.Bounced ? bounced : deferred)
          .add(r.report());
    }

    // A message queued too long gives up on what is still deferred.
    if (!deferred.isEmpty() && backoff.expired(now, env.arrivalMillis(), env.isNullSender())) {
      for (RecipientReport d : deferred) {
        int i = env.recipients().indexOf(d.recipient());
        DsnStatus expired = new DsnStatus("5.4.7", "delivery time expired: " + d.status().text());
        status = status.with(i, new Entry(Result.BOUNCED, expired, now))
            .withFinished(i, Set.of());
        bounced.add(GroupDelivery.report(d.recipient(), expired, now));
        log.info(id + ": to=<" + d.recipient().address() + ">, status=expired, returned to sender");
      }
      deferred.clear();
    }

    // Queue the notices the sender asked for before recording progress: a crash between
    // the two repeats a notice, it never loses one.
    notifyIfWanted(DsnReport.Kind.FAILURE, "failure", id, message, bounced);
    notifyIfWanted(DsnReport.Kind.SUCCESS, "success", id, message, delivered);
    if (!deferred.isEmpty()
        && !status.delayWarned()
        && backoff.delayWarningDue(now, env.arrivalMillis())) {
      notifyIfWanted(DsnReport.Kind.DELAY, "delay", id, message, deferred);
      status = status.withDelayWarned();
    }

    // Finish: remove a completed message, or record progress and wait in deferred/.
    if (deferred.isEmpty()) {
      queue.remove(id, QueueState.ACTIVE);
      log.info(id + ": removed");
      return MessageDelivery.Disposition.REMOVED;
    }
    status = status.withAttempt(backoff.nextAttempt(now, status.attempts() + 1));
    status.write(queue.statusFile(id));
    queue.move(id, QueueState.ACTIVE, QueueState.DEFERRED);
    return MessageDelivery.Disposition.DEFERRED;
  }

  private void notifyIfWanted(DsnReport.Kind kind, String event, QueueId id, QueueFile message,
      List<RecipientReport> notices) throws IOException {
    List<RecipientReport> wanted = new ArrayList<>();
    for (RecipientReport n : notices) {
      if (n.recipient().wantsNotice(event)) {
        wanted.add(n);
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    if (message.envelope().isNullSender()) {
      if (kind == DsnReport.Kind.FAILURE) {
        doubleBounce(id, message, wanted);
      }
      return;
    }
    Envelope env = message.envelope();
    OptionalLong until =
        kind == DsnReport.Kind.DELAY
            ? OptionalLong.of(env.arrivalMillis() + backoff.queueLifetimeMillis())
            : OptionalLong.empty();
    notifier.send(new DsnReport(id, env, kind, wanted, until), message);
  }

  /**
   * A bounce (null sender) that cannot be delivered is never bounced to its sender; the
   * postmaster gets a copy instead (Postfix's double bounce), unless it was itself such a
   * copy, which is dropped: no loop.
   */
  private void doubleBounce(QueueId id, QueueFile message, List<RecipientReport> failed)
      throws IOException {
    Envelope env = message.envelope();
    if (env.attribute(Envelope.ATTR_BOUNCE).equals(Envelope.DOUBLE_BOUNCE)) {
      log.info(id + ": undeliverable postmaster notification discarded");
      return;
    }
    Map<String, String> attributes = new HashMap<>(env.attributes());
    attributes.put(Envelope.ATTR_BOUNCE, Envelope.DOUBLE_BOUNCE);
    Envelope toPostmaster = new Envelope(env.arrivalMillis(), env.uid(), env.login(),
        POSTMASTER, env.recipients(), attributes);
    notifier.send(new DsnReport(id, toPostmaster, DsnReport.Kind.FAILURE, failed,
        OptionalLong.empty()), message);
    log.info(id + ": sender is null: undeliverable bounce sent to the postmaster");
  }
}
