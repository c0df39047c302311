package org.postern.engine.qmgr;

import org.postern.engine.global.Transport;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.engine.bounce.DsnReport;
import org.postern.engine.bounce.Notifier;
import org.postern.engine.bounce.RecipientReport;
import org.postern.engine.route.NextHop;
import org.postern.engine.smtp.RecipientResult;
import org.postern.engine.smtp.Transcript;
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
 * collaborators; safe to use from several threads on different messages (the
 * {@link ActiveQueue} decides how many run at once, per destination).
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
  private final RemoteDelivery remote;
  private final Notifier notifier;
  private final Backoff backoff;
  private final MailLog log;
  private final MailLog agentLog;
  private final MailLog smtpLog;
  private final Transcript dialogue;
  private final Clock clock;

  /** The delivery agents' {@code to=} lines go to the local and smtp logs, as in Postfix. */
  MessageDelivery(
      QueueDirectory queue,
      Router router,
      RemoteDelivery remote,
      Notifier notifier,
      Backoff backoff,
      QueueRunner.Logs logs,
      Clock clock) {
    this.queue = queue;
    this.router = router;
    this.remote = remote;
    this.notifier = notifier;
    this.backoff = backoff;
    this.log = logs.qmgr();
    this.agentLog = logs.local();
    this.smtpLog = logs.smtp();
    this.dialogue = logs.dialogue();
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

    // Deliver each pending recipient: local ones one by one, remote ones together per next
    // hop (one SMTP transaction carries all of a destination's recipients).
    long now = clock.millis();
    Outcomes o = new Outcomes(status);
    List<Recipient> rcpts = env.recipients();
    Map<NextHop, List<Integer>> remoteGroups = new LinkedHashMap<>();
    for (int i = 0; i < rcpts.size(); i++) {
      if (!status.isPending(i)) {
        continue;
      }
      Recipient r = rcpts.get(i);
      long started = clock.millis();
      Router.Routed routed;
      try {
        routed = router.route(r);
      } catch (TempFailException e) {
        routed = new Router.Refused(DeliveryOutcome.of(e));
      }
      if (routed instanceof Router.Remote hop) {
        remoteGroups.computeIfAbsent(hop.hop(), h -> new ArrayList<>()).add(i);
        continue;
      }
      DestinationProgress progress = new DestinationProgress(status.finishedDestinations(i));
      Attempt a = routed instanceof Router.Local l
          ? deliverLocally(id, message, l, progress)
          : new Attempt(((Router.Refused) routed).outcome(), "none");
      long when = clock.millis();
      if (!progress.loggedPerDestination()) {
        logDelivery(agentLog, id, env, r, a, started, when);
      }
      o.record(i, a.outcome, report(r, a.outcome.status(), when),
          a.outcome instanceof DeliveryOutcome.Deferred ? progress.done() : Set.of());
    }
    for (Map.Entry<NextHop, List<Integer>> group : remoteGroups.entrySet()) {
      long started = clock.millis();
      List<Integer> indices = group.getValue();
      List<Recipient> those = indices.stream().map(rcpts::get).toList();
      List<RemoteDelivery.Result> results = deliverRemotely(id, message, group.getKey(), those);
      long when = clock.millis();
      for (int k = 0; k < indices.size(); k++) {
        RemoteDelivery.Result res = results.get(k);
        Recipient r = those.get(k);
        logDelivery(smtpLog, id, env, r, new Attempt(res.outcome(), res.relay()), started, when);
        o.record(indices.get(k), res.outcome(), remoteReport(res, when), Set.of());
      }
    }
    status = o.status;
    List<RecipientReport> bounced = o.bounced;
    List<RecipientReport> deferred = o.deferred;
    List<RecipientReport> delivered = o.delivered;

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

  /** The recipients' progress in this attempt, sorted by outcome for the notices. */
  private static final class Outcomes {
    DeliveryStatus status;
    final List<RecipientReport> bounced = new ArrayList<>();
    final List<RecipientReport> deferred = new ArrayList<>();
    final List<RecipientReport> delivered = new ArrayList<>();

    Outcomes(DeliveryStatus status) {
      this.status = status;
    }

    void record(int i, DeliveryOutcome outcome, RecipientReport notice, Set<String> finished) {
      long when = notice.lastAttemptMillis();
      if (outcome instanceof DeliveryOutcome.Delivered) {
        status = status.with(i, new Entry(Result.DELIVERED, outcome.status(), when));
        delivered.add(notice);
      } else if (outcome instanceof DeliveryOutcome.Bounced) {
        status = status.with(i, new Entry(Result.BOUNCED, outcome.status(), when));
        bounced.add(notice);
      } else {
        status = status.with(i, new Entry(Result.DEFERRED, outcome.status(), when));
        deferred.add(notice);
      }
      status = status.withFinished(i, finished);
    }
  }

  private Attempt deliverLocally(
      QueueId id, QueueFile message, Router.Local routed, DestinationProgress progress) {
    Transport t = routed.transport();
    Recipient r = routed.recipient();
    try {
      return new Attempt(t.deliver(id, message, r, progress), t.name());
    } catch (RuntimeException e) {
      // A bug must never bounce or lose mail: log it once with its cause, and defer.
      log.error(id + ": unexpected error delivering to <" + r.address() + ">: " + e);
      return new Attempt(DeliveryOutcome.deferred("4.3.0", "internal error: " + e), t.name());
    }
  }

  /** SMTP delivery to one next hop; one result per recipient, in their order. */
  private List<RemoteDelivery.Result> deliverRemotely(
      QueueId id, QueueFile message, NextHop hop, List<Recipient> rcpts) {
    try {
      return remote.deliver(id, message, hop, rcpts, dialogue);
    } catch (RuntimeException e) {
      // A bug must never bounce or lose mail: log it once with its cause, and defer.
      log.error(id + ": unexpected error delivering to " + hop + ": " + e);
      DeliveryOutcome deferred = DeliveryOutcome.deferred("4.3.0", "internal error: " + e);
      return rcpts.stream()
          .map(r -> new RemoteDelivery.Result(r, deferred, Optional.empty(), "none"))
          .toList();
    }
  }

  /** A remote server's reply as the DSN reports it (Remote-MTA, smtp; Diagnostic-Code). */
  private static RecipientReport remoteReport(RemoteDelivery.Result res, long when) {
    var reply = res.smtp().flatMap(RecipientResult::remote);
    if (reply.isEmpty()) {
      return report(res.recipient(), res.outcome().status(), when);
    }
    return new RecipientReport(res.recipient(), res.outcome().status(), RecipientReport.SMTP,
        reply.get().reply().text(), Optional.of(reply.get().host()), when);
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

  private static void logDelivery(MailLog agentLog,
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
