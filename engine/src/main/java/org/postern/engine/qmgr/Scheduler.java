package org.postern.engine.qmgr;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * The daemon's queue manager (Postfix's qmgr loop): fed "mail arrived" and "deferred mail
 * may be due", it enters each message not already in flight into its long-lived
 * {@link ActiveQueue} and returns at once, so new mail starts while other deliveries run and
 * a slow one delays only itself. It holds the {@link RunnerLock} while anything is in flight
 * and lets go when idle; a feed that finds a run by hand holding it does nothing and says so
 * (that run delivers the new mail). It recovers active/ only when it takes the lock from
 * idle, so it never takes back a message of its own deliveries.
 *
 * <p>Trusts the queue directory. An IOException of the queue scan propagates (nothing moved
 * is lost); one of a delivery is logged. {@code wake} is called after each delivery, since a
 * delivery may queue mail (bounces, forwarded copies). Thread-safe.
 */
public final class Scheduler implements AutoCloseable {
  private final Path queueRoot;
  private final ActiveQueue active;
  private final Runnable wake;
  private final MailLog log;
  private final ActiveQueue.Listener listener = new ActiveQueue.Listener() {
    @Override
    public void done(QueueId id, MessageDelivery.Disposition d) {
      wake.run();
    }

    @Override
    public void failed(QueueId id, Exception e) {
      // The message stays where the failure left it; active/ is recovered when idle.
      log.error(id + ": delivery failed: " + e);
      wake.run();
    }
  };
  private final Closeable presence;
  /** Held while anything is in flight; null when idle. */
  private RunnerLock lock;

  private Scheduler(Path queueRoot, QueueRunner.Concurrency concurrency, Runnable wake,
      MailLog log, Closeable presence) {
    this.queueRoot = queueRoot;
    this.active = new ActiveQueue(concurrency.processes(), concurrency, this::letGoIfIdle);
    this.wake = wake;
    this.log = log;
    this.presence = presence;
  }

  /** The scheduler of the queue at {@code queueRoot}; submitters now leave it the trigger. */
  public static Scheduler open(Path queueRoot, QueueRunner.Concurrency concurrency,
      Runnable wake, MailLog log) throws IOException {
    return new Scheduler(queueRoot, concurrency, wake, log,
        RunnerLock.announceScheduler(queueRoot));
  }

  /**
   * Picks up the maildrop and enters new mail, and the deferred mail {@code scope} selects,
   * using {@code runner}'s components (those of the current configuration). False when a
   * queue run of another process holds the queue: feed again later.
   */
  public synchronized boolean feed(QueueRunner runner, QueueRunner.Scope scope)
      throws IOException {
    if (lock == null) {
      Optional<RunnerLock> taken = RunnerLock.tryAcquire(queueRoot);
      if (taken.isEmpty()) {
        return false;
      }
      lock = taken.get();
    }
    try {
      if (active.idle()) {
        runner.recover();
      }
      lock.takeTrigger();
      runner.pickUp();
      for (QueueId id : runner.incoming()) {
        runner.enter(active, id, QueueState.INCOMING, listener);
      }
      for (QueueId id : runner.deferred(scope)) {
        runner.enter(active, id, QueueState.DEFERRED, listener);
      }
    } finally {
      letGoIfIdle();
    }
    return true;
  }

  /**
   * Stops taking mail and waits up to {@code grace} for the deliveries in flight; those
   * still running then are interrupted and their messages stay in active/ (recovered at the
   * next start). Returns whether all had finished.
   */
  public boolean close(Duration grace) {
    active.stopIntake();
    boolean finished;
    try {
      finished = active.awaitIdle(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      log.warning("stopping with deliveries in progress; their mail stays queued");
    }
    active.close();
    if (finished) {
      letGoIfIdle();
    }
    try {
      presence.close();
    } catch (IOException e) {
      // the kernel lets go of it when the process ends
    }
    return finished;
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  private synchronized void letGoIfIdle() {
    if (lock == null || !active.idle()) {
      return;
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.warning("cannot release the runner lock: " + e.getMessage());
    }
    lock = null;
  }
}
