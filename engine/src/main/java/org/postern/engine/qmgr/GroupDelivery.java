package org.postern.engine.qmgr;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.postern.engine.bounce.RecipientReport;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Transport;
import org.postern.engine.qmgr.DestinationResolver.Group;
import org.postern.engine.qmgr.DestinationResolver.Member;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.engine.smtp.RecipientResult;
import org.postern.engine.smtp.Transcript;

/**
 * Delivers one destination group of a claimed message (Postfix's qmgr handing one delivery
 * request to local(8) or smtp(8)): a local recipient through its transport, a next hop's
 * recipients in one SMTP delivery, refused ones not at all; logs each recipient's
 * {@code to=} line and returns its outcome for the message's record.
 *
 * <p>Trusts the queue file (validated by the claim). Never throws for a delivery problem:
 * an unexpected exception of a transport is logged once and becomes "Deferred 4.3.0" (a bug
 * must never bounce or lose mail). Stateless apart from its collaborators; thread-safe.
 */
final class GroupDelivery {
  /**
   * One recipient's outcome in this attempt: the DSN report of it, and the destinations of
   * its expansion delivered so far (local recipients only).
   */
  record Result(int index, DeliveryOutcome outcome, RecipientReport report,
      Set<String> finished) {
    /**
     * Whether the outcome may be recorded as soon as it is known: a deferral, or a delivery
     * no notice was asked for. A bounce or a notified delivery is recorded only after its
     * notice is queued, when the message finishes: a crash in between repeats the attempt,
     * it never loses the notice.
     */
    boolean recordableAtOnce() {
      return outcome instanceof DeliveryOutcome.Deferred
          || outcome instanceof DeliveryOutcome.Delivered
              && !report.recipient().wantsNotice("success");
    }

    /** {@code s} with this outcome; only a deferral keeps the expansion's progress. */
    DeliveryStatus recordedIn(DeliveryStatus s) {
      DeliveryStatus.Result result = outcome instanceof DeliveryOutcome.Delivered
          ? DeliveryStatus.Result.DELIVERED
          : outcome instanceof DeliveryOutcome.Bounced
              ? DeliveryStatus.Result.BOUNCED
              : DeliveryStatus.Result.DEFERRED;
      return s.with(index, new DeliveryStatus.Entry(result, outcome.status(),
              report.lastAttemptMillis()))
          .withFinished(index, result.isFinal() ? Set.of() : finished);
    }
  }

  /** An outcome and the {@code relay=} value of its log line. */
  record Attempt(DeliveryOutcome outcome, String relay) {}

  private final RemoteDelivery remote;
  private final MailLog log;
  private final MailLog agentLog;
  private final MailLog smtpLog;
  private final MailLog lmtpLog;
  private final Transcript dialogue;
  private final Clock clock;

  /** The delivery agents' {@code to=} lines go to the local and smtp logs, as in Postfix. */
  GroupDelivery(RemoteDelivery remote, QueueRunner.Logs logs, Clock clock) {
    this.remote = remote;
    this.log = logs.qmgr();
    this.agentLog = logs.local();
    this.smtpLog = logs.smtp();
    this.lmtpLog = logs.lmtp();
    this.dialogue = logs.dialogue();
    this.clock = clock;
  }

  /** The outcome of each member of {@code g}; {@code status} holds earlier progress. */
  List<Result> deliver(QueueId id, QueueFile message, DeliveryStatus status, Group g) {
    if (!g.members().isEmpty() && g.members().get(0).route() instanceof Router.Remote r) {
      return deliverRemotely(id, message, smtpLog, r.hop().toString(), g.members(),
          rcpts -> remote.deliver(id, message, r.hop(), rcpts, dialogue));
    }
    if (!g.members().isEmpty() && g.members().get(0).route() instanceof Router.Lmtp l) {
      return deliverRemotely(id, message, lmtpLog, "lmtp:" + l.hop(), g.members(),
          rcpts -> remote.deliver(id, message, l.hop(), rcpts, dialogue));
    }
    List<Result> out = new ArrayList<>();
    Envelope env = message.envelope();
    for (Member m : g.members()) {
      Recipient r = env.recipients().get(m.index());
      long started = clock.millis();
      DestinationProgress progress =
          new DestinationProgress(status.finishedDestinations(m.index()));
      Attempt a = m.route() instanceof Router.Local l
          ? deliverLocally(id, message, l, progress)
          : new Attempt(((Router.Refused) m.route()).outcome(), "none");
      long when = clock.millis();
      if (!progress.loggedPerDestination()) {
        logDelivery(agentLog, id, env, r, a, started, when);
      }
      out.add(new Result(m.index(), a.outcome(), report(r, a.outcome().status(), when),
          progress.done()));
    }
    return out;
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

  /** SMTP or LMTP delivery to one next hop; one result per member, in their order. */
  private List<Result> deliverRemotely(QueueId id, QueueFile message, MailLog agent, String hop,
      List<Member> members, Function<List<Recipient>, List<RemoteDelivery.Result>> delivery) {
    Envelope env = message.envelope();
    List<Recipient> rcpts = members.stream().map(m -> env.recipients().get(m.index())).toList();
    long started = clock.millis();
    List<RemoteDelivery.Result> results;
    try {
      results = delivery.apply(rcpts);
    } catch (RuntimeException e) {
      // A bug must never bounce or lose mail: log it once with its cause, and defer.
      log.error(id + ": unexpected error delivering to " + hop + ": " + e);
      DeliveryOutcome deferred = DeliveryOutcome.deferred("4.3.0", "internal error: " + e);
      results = rcpts.stream()
          .map(r -> new RemoteDelivery.Result(r, deferred, Optional.empty(), "none"))
          .toList();
    }
    long when = clock.millis();
    List<Result> out = new ArrayList<>();
    for (int k = 0; k < members.size(); k++) {
      RemoteDelivery.Result res = results.get(k);
      logDelivery(agent, id, env, rcpts.get(k), new Attempt(res.outcome(), res.relay()),
          started, when);
      out.add(new Result(members.get(k).index(), res.outcome(), remoteReport(res, when),
          Set.of()));
    }
    return out;
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

  /** A report of a recipient with no remote server's reply. */
  static RecipientReport report(Recipient r, DsnStatus status, long when) {
    return new RecipientReport(
        r, status, RecipientReport.LOCAL, status.text(), Optional.empty(), when);
  }

  /**
   * The delivery agent's log line in Postfix's shape; {@code delays=a/b/c/d} are the time
   * before this attempt (queued), in the queue manager (nothing measurable here), setting up
   * (included in d for local delivery) and the delivery itself.
   */
  static void logDelivery(MailLog agentLog,
      QueueId id, Envelope env, Recipient r, Attempt a, long started, long when) {
    String status;
    if (a.outcome() instanceof DeliveryOutcome.Delivered) {
      status = "sent";
    } else if (a.outcome() instanceof DeliveryOutcome.Bounced) {
      status = "bounced";
    } else {
      status = "deferred";
    }
    StringBuilder b = new StringBuilder();
    b.append(id).append(": to=<").append(r.address()).append('>');
    if (!r.original().equals(r.address())) {
      b.append(", orig_to=<").append(r.original()).append('>');
    }
    b.append(", relay=").append(a.relay());
    b.append(", delay=").append(seconds(when - env.arrivalMillis()));
    b.append(", delays=").append(seconds(started - env.arrivalMillis())).append("/0/0/")
        .append(seconds(when - started));
    b.append(", dsn=").append(a.outcome().status().code());
    b.append(", status=").append(status).append(" (").append(a.outcome().reason()).append(')');
    agentLog.info(b.toString());
  }

  /** Seconds with two decimals, as the delay fields are written. */
  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f", Math.max(0, millis) / 1000.0);
  }
}
