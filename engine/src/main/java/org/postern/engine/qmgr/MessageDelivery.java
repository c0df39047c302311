package org.postern.engine.qmgr;

import org.postern.engine.global.Transport;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.engine.bounce.DsnReport;
import org.postern.engine.bounce.Notifier;
import org.postern.engine.bounce.RecipientReport;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.CorruptQueueFileException;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.DeliveryStatus.Entry;
import org.postern.engine.queue.DeliveryStatus.Result;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * One delivery attempt of one queued message, as commented steps: take it into active/,
 * validate it, deliver every pending recipient, queue the notices the sender asked for,
 * record progress durably, then remove the message or move it to deferred/.
 *
 * <p>Trusts nothing in the queue file until QueueFileReader validated it; a damaged file
 * goes to corrupt/ and is logged. Unexpected exceptions from a transport become
 * "Deferred 4.3.0" (a bug must never bounce or lose mail). Stateless apart from its
 * collaborators; safe to use from several threads on different messages.
 */
final class MessageDelivery {
  /** Where double bounces go (Postfix's 2bounce_notice_recipient default). */
  private static final String POSTMASTER = "postmaster";

  /** What became of the message after this attempt. */
  enum Disposition {
    REMOVED,
    DEFERRED,
    CORRUPT,
    SKIPPED
  }

  private final QueueDirectory queue;
  private final Router router;
  private final Notifier notifier;
  private final Backoff backoff;
  private final MailLog log;
  private final MailLog agentLog;
  private final Clock clock;

  /** {@code agentLog} carries the delivery agents' {@code to=} lines, as Postfix's local(8). */
  MessageDelivery(
      QueueDirectory queue,
      Router router,
      Notifier notifier,
      Backoff backoff,
      MailLog log,
      MailLog agentLog,
      Clock clock) {
    this.queue = queue;
    this.router = router;
    this.notifier = notifier;
    this.backoff = backoff;
    this.log = log;
    this.agentLog = agentLog;
    this.clock = clock;
  }

  Disposition attempt(QueueId id, QueueState from) throws IOException {
    // Take the message; another runner may have taken it first.
    try {
      queue.move(id, from, QueueState.ACTIVE);
    } catch (NoSuchFileException e) {
      return Disposition.SKIPPED;
    }

    // Validate it completely before acting on anything in it.
    QueueFile message;
    DeliveryStatus status;
    try {
      message = QueueFileReader.read(queue.file(QueueState.ACTIVE, id));
      status = DeliveryStatus.read(queue.statusFile(id));
    } catch (CorruptQueueFileException e) {
      queue.move(id, QueueState.ACTIVE, QueueState.CORRUPT);
      log.warning(id + ": " + e.getMessage() + ": moved to corrupt/");
      return Disposition.CORRUPT;
    }
    Envelope env = message.envelope();
    log.info(
        id + ": from=<" + env.sender() + ">, size=" + message.contentLength()
            + ", nrcpt=" + env.recipients().size() + " (queue active)");

    // Deliver each pending recipient.
    long now = clock.millis();
    List<RecipientReport> bounced = new ArrayList<>();
    List<RecipientReport> deferred = new ArrayList<>();
    List<RecipientReport> delivered = new ArrayList<>();
    List<Recipient> rcpts = env.recipients();
    for (int i = 0; i < rcpts.size(); i++) {
      if (!status.isPending(i)) {
        continue;
      }
      Recipient r = rcpts.get(i);
      DestinationProgress progress = new DestinationProgress(status.finishedDestinations(i));
      long started = clock.millis();
      Attempt a = deliverOne(id, message, r, progress);
      long when = clock.millis();
      if (!progress.loggedPerDestination()) {
        logDelivery(id, env, r, a, started, when);
      }
      RecipientReport notice = report(r, a.outcome.status(), when);
      if (a.outcome instanceof DeliveryOutcome.Delivered) {
        status = status.with(i, new Entry(Result.DELIVERED, a.outcome.status(), when));
        delivered.add(notice);
      } else if (a.outcome instanceof DeliveryOutcome.Bounced) {
        status = status.with(i, new Entry(Result.BOUNCED, a.outcome.status(), when));
        bounced.add(notice);
      } else {
        status = status.with(i, new Entry(Result.DEFERRED, a.outcome.status(), when));
        deferred.add(notice);
      }
      status = status.withFinished(
          i, a.outcome instanceof DeliveryOutcome.Deferred ? progress.done() : Set.of());
    }

    // A message queued too long gives up on what is still deferred.
    if (!deferred.isEmpty() && backoff.expired(now, env.arrivalMillis(), env.isNullSender())) {
      for (RecipientReport d : deferred) {
        int i = rcpts.indexOf(d.recipient());
        DsnStatus expired = new DsnStatus("5.4.7", "delivery time expired: " + d.status().text());
        status = status.with(i, new Entry(Result.BOUNCED, expired, now));
        bounced.add(report(d.recipient(), expired, now));
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
      return Disposition.REMOVED;
    }
    status = status.withAttempt(backoff.nextAttempt(now, status.attempts() + 1));
    status.write(queue.statusFile(id));
    queue.move(id, QueueState.ACTIVE, QueueState.DEFERRED);
    return Disposition.DEFERRED;
  }

  private record Attempt(DeliveryOutcome outcome, String relay) {}

  private Attempt deliverOne(
      QueueId id, QueueFile message, Recipient r, DestinationProgress progress) {
    Transport t;
    try {
      t = router.route(r);
    } catch (TempFailException e) {
      return new Attempt(DeliveryOutcome.of(e), "none");
    }
    try {
      return new Attempt(t.deliver(id, message, r, progress), t.name());
    } catch (RuntimeException e) {
      // A bug must never bounce or lose mail: log it once with its cause, and defer.
      log.error(id + ": unexpected error delivering to <" + r.address() + ">: " + e);
      return new Attempt(DeliveryOutcome.deferred("4.3.0", "internal error: " + e), t.name());
    }
  }

  private static RecipientReport report(Recipient r, DsnStatus status, long when) {
    return new RecipientReport(
        r, status, RecipientReport.LOCAL, status.text(), Optional.empty(), when);
  }

  private void notifyIfWanted(
      DsnReport.Kind kind,
      String event,
      QueueId id,
      QueueFile message,
      List<RecipientReport> notices)
      throws IOException {
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
   * The delivery agent's log line in Postfix's shape; {@code delays=a/b/c/d} are the time
   * before this attempt (queued), in the queue manager (nothing measurable here), setting up
   * (included in d for local delivery) and the delivery itself.
   */
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

  private void logDelivery(
      QueueId id, Envelope env, Recipient r, Attempt a, long started, long when) {
    String status;
    if (a.outcome instanceof DeliveryOutcome.Delivered) {
      status = "sent";
    } else if (a.outcome instanceof DeliveryOutcome.Bounced) {
      status = "bounced";
    } else {
      status = "deferred";
    }
    StringBuilder b = new StringBuilder();
    b.append(id).append(": to=<").append(r.address()).append('>');
    if (!r.original().equals(r.address())) {
      b.append(", orig_to=<").append(r.original()).append('>');
    }
    b.append(", relay=").append(a.relay);
    b.append(", delay=").append(seconds(when - env.arrivalMillis()));
    b.append(", delays=").append(seconds(started - env.arrivalMillis())).append("/0/0/")
        .append(seconds(when - started));
    b.append(", dsn=").append(a.outcome.status().code());
    b.append(", status=").append(status).append(" (").append(a.outcome.reason()).append(')');
    agentLog.info(b.toString());
  }

  /** Seconds with two decimals, as the delay fields are written. */
  private static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.2f", Math.max(0, millis) / 1000.0);
  }
}
