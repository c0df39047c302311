package org.postern.engine.qmgr;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
 * One run over the queue, as {@code sendmail -q} does it: recover what a crashed run left
 * in active/, pick up the maildrop, then attempt every message in incoming/, then the
 * deferred messages the scope selects (none, those due, all), in parallel, until nothing new
 * arrived (bounces queued during the run are delivered in the same run). The daemon runs
 * NEW on every arrival, so 50,000 deferred messages are not rescanned per message.
 *
 * <p>The caller holds the {@link RunnerLock}. Owns its delivery threads for the duration
 * of {@link #run}. Damaged files are isolated per message; I/O failures of the queue itself
 * propagate.
 */
public final class QueueRunner {
  /** What one run did, for the command's exit status and -v output. */
  public record Report(Map<QueueId, QueueId> pickedUp, Set<QueueId> deferred, int attempted) {}

  /** Deliveries at once: local ones, and SMTP sessions per destination. */
  public record Concurrency(int local, int perDestination) {}

  /**
   * Where a run reports: its own log lines, the local and smtp delivery agents' lines, and
   * the SMTP dialogue for {@code sendmail -v} ({@code Transcript.NONE} otherwise).
   */
  public record Logs(MailLog qmgr, MailLog local, MailLog smtp, Transcript dialogue) {}

  private final QueueDirectory queue;
  private final Pickup pickup;
  private final MessageDelivery delivery;
  private final int threads;
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
    int local = Math.max(1, concurrency.local());
    this.delivery = new MessageDelivery(queue, router, remote, notifier, backoff,
        new Semaphore(local), logs, clock);
    // Threads enough for the local deliveries and one destination's sessions at once.
    this.threads = local + Math.max(1, concurrency.perDestination());
    this.log = logs.qmgr();
    this.clock = clock;
  }

  /** Which deferred mail a run retries besides the new mail. */
  public enum Scope {
    /** None: the daemon's run when a message arrives (deferred mail waits its turn). */
    NEW,
    /** Those whose backoff has run out. */
    DUE,
    /** All of them, now ({@code sendmail -q} by hand). */
    ALL
  }

  /** {@code all}: retry deferred mail now even if its backoff has not run out. */
  public Report run(boolean all) throws IOException {
    return run(all ? Scope.ALL : Scope.DUE);
  }

  /** New mail first, then the deferred mail {@code scope} selects, then what they queued. */
  public Report run(Scope scope) throws IOException {
    recoverActive();
    Map<QueueId, QueueId> picked = pickup.run();
    Set<QueueId> deferred = new HashSet<>();
    AtomicInteger attempted = new AtomicInteger();
    List<QueueId> work = new ArrayList<>(queue.list(QueueState.INCOMING));
    List<QueueId> retries = scope == Scope.NEW ? List.of() : dueDeferred(scope == Scope.ALL);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "qmgr-delivery");
              t.setDaemon(true);
              return t;
            });
    try {
      Set<QueueId> seen = new HashSet<>(work);
      attemptAll(pool, work, QueueState.INCOMING, deferred, attempted);
      attemptAll(pool, retries, QueueState.DEFERRED, deferred, attempted);
      // Incoming again until nothing new: notices queued during the run go out in this run.
      work = new ArrayList<>(queue.list(QueueState.INCOMING));
      work.removeAll(seen);
      while (!work.isEmpty()) {
        seen.addAll(work);
        attemptAll(pool, work, QueueState.INCOMING, deferred, attempted);
        work = new ArrayList<>(queue.list(QueueState.INCOMING));
        work.removeAll(seen);
      }
    } finally {
      pool.shutdownNow();
    }
    return new Report(picked, deferred, attempted.get());
  }

  private void attemptAll(
      ExecutorService pool,
      List<QueueId> ids,
      QueueState from,
      Set<QueueId> deferred,
      AtomicInteger attempted)
      throws IOException {
    List<Future<MessageDelivery.Disposition>> results = new ArrayList<>();
    for (QueueId id : ids) {
      results.add(pool.submit(() -> delivery.attempt(id, from)));
    }
    for (int i = 0; i < ids.size(); i++) {
      MessageDelivery.Disposition d = await(results.get(i), ids.get(i));
      if (d != MessageDelivery.Disposition.SKIPPED) {
        attempted.incrementAndGet();
      }
      if (d == MessageDelivery.Disposition.DEFERRED) {
        synchronized (deferred) {
          deferred.add(ids.get(i));
        }
      }
    }
  }

  private MessageDelivery.Disposition await(Future<MessageDelivery.Disposition> f, QueueId id)
      throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("queue run interrupted at " + id, e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      // The message stays where the failure left it (active/ is recovered next run).
      log.error(id + ": queue run failed: " + c);
      return MessageDelivery.Disposition.SKIPPED;
    }
  }

  private List<QueueId> dueDeferred(boolean all) throws IOException {
    List<QueueId> due = new ArrayList<>();
    long now = clock.millis();
    for (QueueId id : queue.list(QueueState.DEFERRED)) {
      if (all) {
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

  /** Messages in active/ belong to a run that died: give them back to incoming/. */
  private void recoverActive() throws IOException {
    for (QueueId id : queue.list(QueueState.ACTIVE)) {
      queue.move(id, QueueState.ACTIVE, QueueState.INCOMING);
      log.warning(id + ": recovered from active/ after an interrupted queue run");
    }
    for (QueueState s : new QueueState[] {QueueState.INCOMING, QueueState.ACTIVE,
        QueueState.DEFERRED}) {
      for (Path temp : queue.staleTempFiles(s, clock.millis())) {
        DurableFiles.delete(temp);
        log.warning("removed half-written queue file " + s.dirName() + "/" + temp.getFileName());
      }
    }
  }
}
