package org.postern.compat.sendmail;

import java.util.Optional;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;

/**
 * Where a submission ends up, and what may be done in the submitter's name: the maildrop
 * (the command on its own, {@link MaildropIntake}) or the daemon's queue (the submission
 * socket). {@link SubmitMode} decides what to queue; an intake only carries it out.
 *
 * <p>{@link #queue} returns only once the message is durable; its failures are temporary.
 * Implementations are used by one submission at a time.
 */
public interface Intake {
  /** Queues a message durably; returns the id {@code -v} reports. */
  QueueId queue(Envelope envelope, byte[] content) throws TempFailException;

  /** Keeps a copy of a message with refused recipients in ~/dead.letter (ErrorMode p). */
  void saveDeadLetter(byte[] content) throws ConfigException;

  /** Starts delivery as -od asks, once everything is queued; returns the exit code. */
  int startDelivery(Optional<QueueId> queued) throws ConfigException;
}
