package org.postern.engine.smtpd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.MessageSink;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * The intake of {@code sendmail -bs}: the process runs as the user, so each message goes
 * into maildrop/ as the sendmail command leaves it (Postfix's postdrop), the file's owner
 * being the identity pickup trusts. The id is the maildrop file's, as Postfix's smtpd names
 * the postdrop file in {@code sendmail -bs} mode; pickup queues the message under a new one.
 *
 * <p>Durable once committed (file fsync'd, and the directory or, where the user may not open
 * maildrop/, the file again: see DurableFiles.move); failures are temporary and leave nothing
 * behind. QUARANTINE cannot be honoured from here (hold/ is the queue owner's) and is logged.
 * Thread-safe.
 */
public final class MaildropSmtpIntake implements SmtpIntake {
  private final QueueDirectory queue;
  private final MailLog log;

  public MaildropSmtpIntake(QueueDirectory queue, MailLog log) {
    this.queue = queue;
    this.log = log;
  }

  @Override
  public MessageSink open(QueueId id, Envelope envelope, Optional<String> holdReason,
      boolean localClient)
      throws TempFailException {
    holdReason.ifPresent(reason -> log.warning(id + ": quarantine (" + reason
        + ") not possible for sendmail -bs; queued"));
    // The file's name is not the id of the Received header: maildrop names are unguessable.
    Path target = queue.file(QueueState.MAILDROP, QueueId.unguessable());
    try {
      return QueueFileWriter.open(target, QueueDirectory.MAILDROP_FILE_MODE,
          envelope);
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
