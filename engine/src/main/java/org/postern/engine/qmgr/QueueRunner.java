package org.postern.engine.qmgr;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postern.engine.bounce.Notifier;
import org.postern.engine.global.MailLog;
import org.postern.engine.smtp.Transcript;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.maps.io.DurableFiles;

/**
 * How the queue is run, by {@code sendmail -q} and by the daemon's {@link Scheduler} alike:
 * recover what a dead run left in active/, pick up the maildrop, then enter every message in
 * incoming/ and the deferred messages the scope selects (none, those due, all) into an
 * {@link ActiveQueue}, where each destination group of a message starts as soon as its
 * destination has room. A foreground {@link #run} then waits until they and what they queued
 * (bounces, forwarded copies) ended.
 *
 * <p>The caller holds the {@link RunnerLock}. Damaged files are isolated per message; an
 * I/O failure of the queue itself ends the run with that IOException once the deliveries in
 * flight ended. Immutable apart from its collaborators; thread-safe.
 */
public final class QueueRunner {
  /** What one run did, for the command's exit status and -v output. */
  public record Report(Map<QueueId, QueueId> pickedUp, Set<QueueId> deferred, int attempted) {}

  /**
   * Deliveries at once: per local recipient, per SMTP next hop, and in all (the delivery
   * threads: Postfix's default_process_limit).
   */
  public record Concurrency(int local, int perDestination, int processes) {}

  /**
   * Where a run reports: its own log lines, the local, smtp and lmtp delivery agents' lines,
   * and the SMTP dialogue for {@code sendmail -v} ({@code Transcript.NONE} otherwise).
   */
  public record Logs(MailLog qmgr, MailLog local, MailLog smtp, MailLog lmtp,
      Transcript dialogue) {
    /** LMTP deliveries logged as SMTP ones. */
    public Logs(MailLog qmgr, MailLog local, MailLog smtp, Transcript dialogue) {
      this(qmgr, local, smtp, smtp, dialogue);
    }
  }

  /** Which deferred mail a run retries besides the new mail. */
  public enum Scope {
    /** None: the daemon, when a message arrives (deferred mail waits its turn). */
    NEW,
    /** Those whose backoff has run out. */
    DUE,
    /** All of them, now ({@code sendmail -q} by hand). */
    ALL
  }

  private final QueueDirectory queue;
  private final Pickup pickup;
  private final MessageDelivery.Agents agents;
  private final DestinationResolver resolver;
  private final Concurrency concurrency;
  private final MailLog log;
  private final Clock clock;

  public QueueRunner(
      QueueDirectory queue,
      Pickup pickup,
      Router router,
      RemoteDelivery remote,
      Notifier notifier,
      Backoff backoff,
      Concurrency concurrency,
      Logs logs,
      Clock clock) {
    this.queue = queue;
    this.pickup = pickup;
    this.agents = new MessageDelivery.Agents(queue, new GroupDelivery(remote, logs, clock),
        new MessageFinisher(queue, notifier, backoff, logs.qmgr(), clock), logs.qmgr());
    this.resolver = new DestinationResolver(queue, router);
    this.concurrency = concurrency;
    this.log = logs.qmgr();
    this.clock = clock;
  }

  /** {@code all}: retry deferred mail now even if its backoff has not run out. */
  public Report run(boolean all) throws IOException {
    return run(all ? Scope.ALL : Scope.DUE);
  }

  /** New mail and the deferred mail {@code scope} selects, then what they queued; waits. */
  public Report run(Scope scope) throws IOException {
    recover();
    Map<QueueId, QueueId> picked = pickUp();
    Tally tally = new Tally();
    ActiveQueue active = new ActiveQueue(concurrency.processes(), concurrency, () -> {});
    try {
      Set<QueueId> seen = new HashSet<>();
      enterAll(active, incoming(), QueueState.INCOMING, tally, seen);
      enterAll(active, deferred(scope), QueueState.DEFERRED, tally, seen);
      // Incoming again until nothing new: notices queued during the run go out in this run.
      do {
        active.awaitIdle();
      } while (enterAll(active, incoming(), QueueState.INCOMING, tally, seen));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("queue run interrupted", e);
    } finally {
      finish(active);
    }
    return tally.report(picked);
  }

  /** Enters those of {@code ids} not seen yet in this run; whether there were any. */
  private boolean enterAll(ActiveQueue active, List<QueueId> ids, QueueState from, Tally tally,
      Set<QueueId> seen) {
    boolean any = false;
    for (QueueId id : ids) {
      if (seen.add(id)) {
        any = true;
        enter(active, id, from, tally);
      }
    }
    return any;
  }

  /** Lets the deliveries in flight end (a run never lets go of the lock under them). */
  private static void finish(ActiveQueue active) {
    active.stopIntake();
    boolean interrupted = Thread.interrupted();
    while (!active.idle()) {
      try {
        active.awaitIdle(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    active.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Enters message {@code id} (in {@code from}) into {@code active} unless it is in flight
   * there already; it is split into its destination groups first, so each waits for its own
   * destination without a thread.
   */
  boolean enter(ActiveQueue active, QueueId id, QueueState from, ActiveQueue.Listener l) {
    if (active.contains(id)) {
      return false;
    }
    return active.enter(new MessageDelivery(id, from, resolver.groups(id, from), agents), l);
  }

  Map<QueueId, QueueId> pickUp() throws IOException {
    return pickup.run();
  }

  List<QueueId> incoming() throws IOException {
    return queue.list(QueueState.INCOMING);
  }

  /** The deferred messages {@code scope} selects. */
  List<QueueId> deferred(Scope scope) throws IOException {
    List<QueueId> due = new ArrayList<>();
    if (scope == Scope.NEW) {
      return due;
    }
    long now = clock.millis();
    for (QueueId id : queue.list(QueueState.DEFERRED)) {
      if (scope == Scope.ALL) {
        due.add(id);
        continue;
      }
      try {
        if (DeliveryStatus.read(queue.statusFile(id)).nextAttemptMillis() <= now) {
          due.add(id);
        }
      } catch (IOException e) {
        due.add(id); // the attempt itself will validate and isolate a damaged status file
      }
    }
    return due;
  }

  /**
   * Messages in active/ belong to a run that died: gives them back to incoming/. Only for a
   * caller that just took the runner lock with nothing of its own in flight.
   */
  void recover() throws IOException {
    for (QueueId id : queue.list(QueueState.ACTIVE)) {
      queue.move(id, QueueState.ACTIVE, QueueState.INCOMING);
      log.warning(id + ": recovered from active/ after an interrupted queue run");
    }
    // Temp files of a dead writer (a killed daemon, sendmail -q, ...): nothing was acknowledged
    // or recorded from them, so even a complete one is only litter. Reaped now, not in an hour.
    List<Path> dirs = new ArrayList<>();
    for (QueueState s : new QueueState[] {QueueState.INCOMING, QueueState.ACTIVE,
        QueueState.DEFERRED, QueueState.HOLD}) {
      dirs.add(queue.dir(s));
    }
    dirs.add(queue.statusDir());
    for (Path dir : dirs) {
      for (Path temp : queue.staleTempFiles(dir, clock.millis())) {
        DurableFiles.delete(temp);
        log.warning("removed half-written queue file " + queue.root().relativize(temp));
      }
    }
  }

  /** A foreground run's count of what its messages became. */
  private final class Tally implements ActiveQueue.Listener {
    private final Set<QueueId> deferred = new HashSet<>();
    private int attempted;
    private IOException failure;

    @Override
    public synchronized void done(QueueId id, MessageDelivery.Disposition d) {
      if (d != MessageDelivery.Disposition.SKIPPED) {
        attempted++;
      }
      if (d == MessageDelivery.Disposition.DEFERRED) {
        deferred.add(id);
      }
    }

    @Override
    public synchronized void failed(QueueId id, Exception e) {
      if (e instanceof IOException io) {
        failure = failure == null ? io : failure;
        return;
      }
      // The message stays where the failure left it (active/ is recovered next run).
      log.error(id + ": queue run failed: " + e);
    }

    synchronized Report report(Map<QueueId, QueueId> picked) throws IOException {
      if (failure != null) {
        throw failure;
      }
      return new Report(picked, Set.copyOf(deferred), attempted);
    }
  }
}
