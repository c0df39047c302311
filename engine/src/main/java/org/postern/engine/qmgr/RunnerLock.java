package org.postern.engine.qmgr;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Makes sure at most one process delivers from a queue at a time, without ever missing a
 * message: a submitter first leaves a trigger file, then looks at the runner lock; a runner
 * repeats its pass while the trigger keeps reappearing, and checks it once more after
 * letting go of the lock. A foreground run ({@code sendmail -q}) holds it for its whole run;
 * the daemon's {@link Scheduler} holds it only while it has deliveries in flight and takes it
 * back without waiting, so a run by hand waits for the daemon to be idle, and the daemon
 * leaves new mail to a run by hand that holds the lock. While the daemon runs, a submitter
 * only leaves the trigger (its scheduler marks itself present on a second byte). Whoever takes the lock with nothing
 * of its own in flight knows what is in active/ belongs to a dead run, and recovers it.
 *
 * <p>Trusts the queue directory. The lock is an fcntl lock, released by the kernel when a
 * runner dies, so a crash never leaves the queue stuck. Not thread-safe: one per holder.
 */
public final class RunnerLock implements AutoCloseable {
  private static final String LOCK = "runner.lock";
  private static final String TRIGGER = "runner.trigger";
  /** The byte of the lock file a queue run locks. */
  private static final long RUN = 0;
  /** The byte the daemon's scheduler locks for its life: submitters leave it the trigger. */
  private static final long SCHEDULER = 1;

  private final Path queueRoot;
  private final FileChannel channel;
  private FileLock lock;

  private RunnerLock(Path queueRoot, FileChannel channel, FileLock lock) {
    this.queueRoot = queueRoot;
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits for the lock (a foreground {@code sendmail -q} waits for a background run). */
  public static RunnerLock acquire(Path queueRoot) throws IOException {
    FileChannel ch = open(queueRoot);
    try {
      return new RunnerLock(queueRoot, ch, ch.lock(RUN, 1, false));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Takes the lock if no run holds it (in this process or another), without waiting: the
   * daemon's scheduler, which must never block on a queue run by hand.
   */
  public static Optional<RunnerLock> tryAcquire(Path queueRoot) throws IOException {
    FileChannel ch = open(queueRoot);
    try {
      FileLock l = ch.tryLock(RUN, 1, false);
      if (l != null) {
        return Optional.of(new RunnerLock(queueRoot, ch, l));
      }
    } catch (OverlappingFileLockException e) {
      // this very process holds it already
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    ch.close();
    return Optional.empty();
  }

  /**
   * Marks the daemon's scheduler present until the result is closed: from then on a
   * submitter's {@link #requestRun} leaves it the trigger instead of starting a run that
   * would compete with it. One per queue (the daemon's pid file sees to that).
   */
  public static Closeable announceScheduler(Path queueRoot) throws IOException {
    FileChannel ch = open(queueRoot);
    try {
      ch.tryLock(SCHEDULER, 1, false);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Asks for a queue run: leaves the trigger, then reports whether a runner must be started
   * (true) or the daemon's scheduler or a run in progress will see the trigger (false).
   */
  public static boolean requestRun(Path queueRoot) throws IOException {
    Files.write(queueRoot.resolve(TRIGGER), new byte[0]);
    try (FileChannel ch = open(queueRoot)) {
      FileLock scheduler = ch.tryLock(SCHEDULER, 1, false);
      if (scheduler == null) {
        return false;
      }
      scheduler.release();
      FileLock l = ch.tryLock(RUN, 1, false);
      if (l == null) {
        return false;
      }
      l.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false; // this very process is running the queue and will see the trigger
    }
  }

  /** Whether a submitter has left a trigger that no run has taken yet. */
  public static boolean triggered(Path queueRoot) {
    return Files.exists(queueRoot.resolve(TRIGGER));
  }

  /** Consumes the trigger; returns whether one was present (more work may have arrived). */
  public boolean takeTrigger() throws IOException {
    return Files.deleteIfExists(queueRoot.resolve(TRIGGER));
  }

  /**
   * Releases the lock; returns true when a trigger arrived meanwhile and the lock could be
   * taken again, in which case the caller must run another pass (and close again).
   */
  public boolean releaseAndRecheck() throws IOException {
    lock.release();
    if (!Files.exists(queueRoot.resolve(TRIGGER))) {
      return false;
    }
    FileLock again = channel.tryLock(RUN, 1, false);
    if (again == null) {
      return false; // another runner has it and will see the trigger
    }
    lock = again;
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static FileChannel open(Path queueRoot) throws IOException {
    return FileChannel.open(
        queueRoot.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }
}
