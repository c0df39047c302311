package org.postern.engine.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.maps.io.DurableFiles;

/**
 * The administrator's changes to queued messages (Postfix's postsuper): put on hold,
 * release, remove, and make due now. Every change is an atomic rename or a durable
 * rewrite, and each one done is logged in postsuper's words ({@code ID: removed}).
 *
 * <p>Trusts the caller to have decided that the change is allowed (ownership is checked by
 * the front end). Never touches a message in active/ (a queue run owns it: {@link
 * Result#BUSY}) nor rewrites a status file a queue run could be writing: a deferred message
 * is first taken into hold/, which runs never read, changed there, then put back. A rename
 * that loses a race with a queue run looks again. I/O failures propagate; nothing is
 * changed half. Stateless; safe from several threads on different messages.
 */
public final class QueueEditor {
  /** What one request did to one message. */
  public enum Result {
    /** The change was made (or, for a message already due, was not needed). */
    DONE,
    /** The message is already in the requested state (held, not held). */
    UNCHANGED,
    /** A queue run is delivering it now; try again later. */
    BUSY,
    /** Still in maildrop/, not yet picked up: only removal applies. */
    WAITING,
    /** No such message (delivered, removed, or never existed). */
    MISSING
  }

  private final QueueDirectory queue;
  private final MailLog log;

  public QueueEditor(QueueDirectory queue, MailLog log) {
    this.queue = queue;
    this.log = log;
  }

  /** Moves a message to hold/, where no queue run delivers it. */
  public Result hold(QueueId id) throws IOException {
    for (int tries = 0; tries < 3; tries++) {
      Optional<QueueState> where = queue.locate(id);
      if (where.isEmpty()) {
        return Result.MISSING;
      }
      switch (where.get()) {
        case HOLD:
          return Result.UNCHANGED;
        case ACTIVE:
          return Result.BUSY;
        case MAILDROP:
          return Result.WAITING;
        default:
          if (moved(id, where.get(), QueueState.HOLD)) {
            log.info(id + ": placed on hold");
            return Result.DONE;
          }
      }
    }
    return Result.BUSY; // it kept moving under us: a queue run is working on it
  }

  /** Moves a held message back to deferred/, due at once (backoff kept). */
  public Result release(QueueId id) throws IOException {
    Optional<QueueState> where = queue.locate(id);
    if (where.isEmpty()) {
      return Result.MISSING;
    }
    if (where.get() != QueueState.HOLD) {
      return Result.UNCHANGED;
    }
    makeDueWhileHeld(id, false);
    if (!moved(id, QueueState.HOLD, QueueState.DEFERRED)) {
      return queue.locate(id).isPresent() ? Result.UNCHANGED : Result.MISSING;
    }
    log.info(id + ": released from hold");
    return Result.DONE;
  }

  /** Removes a message and its status file from any state but active/. */
  public Result remove(QueueId id) throws IOException {
    for (int tries = 0; tries < 3; tries++) {
      Optional<QueueState> where = queue.locate(id);
      if (where.isEmpty()) {
        return Result.MISSING;
      }
      if (where.get() == QueueState.ACTIVE) {
        return Result.BUSY;
      }
      try {
        // Files.delete, not deleteIfExists: if a run took the message meanwhile, its status
        // file is that run's and must stay.
        Files.delete(queue.file(where.get(), id));
      } catch (NoSuchFileException e) {
        continue; // a queue run took it meanwhile (or delivered it): look again
      }
      DurableFiles.syncDirectory(queue.dir(where.get()));
      DurableFiles.delete(queue.statusFile(id));
      log.info(id + ": removed");
      return Result.DONE;
    }
    return Result.BUSY;
  }

  /**
   * Makes a deferred message due now; with {@code forgetBackoff} its attempt count starts
   * over (requeue). Messages in maildrop/ or incoming/ are due anyway ({@link Result#DONE});
   * held ones stay held ({@link Result#UNCHANGED}).
   */
  public Result makeDue(QueueId id, boolean forgetBackoff) throws IOException {
    Optional<QueueState> where = queue.locate(id);
    if (where.isEmpty()) {
      return Result.MISSING;
    }
    switch (where.get()) {
      case ACTIVE:
        return Result.BUSY;
      case HOLD:
        return Result.UNCHANGED;
      case DEFERRED:
        break;
      default:
        return Result.DONE;
    }
    // Take it out of the queue runs' reach, change its status, then give it back.
    if (!moved(id, QueueState.DEFERRED, QueueState.HOLD)) {
      return queue.locate(id).map(s -> Result.BUSY).orElse(Result.MISSING);
    }
    try {
      makeDueWhileHeld(id, forgetBackoff);
    } finally {
      queue.move(id, QueueState.HOLD, QueueState.DEFERRED);
    }
    if (forgetBackoff) {
      log.info(id + ": requeued");
    }
    return Result.DONE;
  }

  private void makeDueWhileHeld(QueueId id, boolean forgetBackoff) throws IOException {
    DeliveryStatus status = DeliveryStatus.read(queue.statusFile(id));
    DeliveryStatus due = status.dueNow(forgetBackoff);
    if (!due.equals(status)) {
      due.write(queue.statusFile(id));
    }
  }

  private boolean moved(QueueId id, QueueState from, QueueState to) throws IOException {
    try {
      queue.move(id, from, to);
      return true;
    } catch (NoSuchFileException e) {
      return false; // moved or removed by someone else since we looked
    }
  }
}
