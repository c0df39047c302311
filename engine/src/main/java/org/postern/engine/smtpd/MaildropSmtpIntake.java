package org.postern.engine.smtpd;

import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.postdrop.MaildropWriter;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueId;

/**
 * The intake of {@code sendmail -bs}: the process runs as the user, so each message goes
 * into maildrop/ as the sendmail command leaves it, the file's owner being the identity
 * pickup trusts. The id it returns is the maildrop file's (pickup gives the queue id).
 *
 * <p>Durable on return (MaildropWriter fsyncs); failures are temporary. QUARANTINE cannot be
 * honoured from here (hold/ is the queue owner's) and is logged. Thread-safe.
 */
public final class MaildropSmtpIntake implements SmtpIntake {
  private final MaildropWriter writer;
  private final MailLog log;

  public MaildropSmtpIntake(QueueDirectory queue, MailLog log) {
    this.writer = new MaildropWriter(queue);
    this.log = log;
  }

  @Override
  public QueueId queue(Envelope envelope, byte[] content) throws TempFailException {
    return writer.write(envelope, content);
  }

  @Override
  public void hold(QueueId id, String reason) {
    log.warning(id + ": quarantine (" + reason + ") not possible for sendmail -bs; queued");
  }
}
