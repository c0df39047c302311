package org.postern.engine.bounce;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.postern.engine.cleanup.EnvelopeRewriter;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;

/**
 * Queues a notification as a new message in incoming/: null envelope sender, the original
 * sender as its recipient, rewritten as cleanup rewrites every recipient (recipient canonical
 * maps, masquerading, virtusertable: {@link EnvelopeRewriter}; Postfix's bounce hands its
 * notices to cleanup), content from {@link BounceComposer}.
 *
 * <p>Trusts the validated original queue file. An I/O failure or a failed table lookup
 * propagates as an IOException (the original stays queued and the notice is tried again).
 * Thread-safe.
 */
public final class QueuedNotifier implements Notifier {
  private final QueueDirectory queue;
  private final BounceComposer composer;
  private final EnvelopeRewriter envelope;
  private final MailLog log;

  public QueuedNotifier(QueueDirectory queue, BounceComposer composer, EnvelopeRewriter envelope,
      MailLog log) {
    this.queue = queue;
    this.composer = composer;
    this.envelope = envelope;
    this.log = log;
  }

  @Override
  public void send(DsnReport report, QueueFile original) throws IOException {
    byte[] content;
    try (InputStream in = original.openContent()) {
      content = composer.compose(report, in);
    } catch (TempFailException e) {
      throw new IOException(report.queueId() + ": cannot compose notification: " + e.getMessage(), e);
    }
    Envelope from = report.envelope(); // the sender to notify (a list owner for its errors)
    List<Recipient> to;
    try {
      to = envelope.recipients(new Recipient(from.sender()));
    } catch (TempFailException e) {
      throw new IOException(report.queueId() + ": cannot address notification: "
          + e.getMessage(), e);
    }
    QueueId id = QueueId.next();
    Envelope env =
        new Envelope(
            System.currentTimeMillis(),
            from.uid(),
            "MAILER-DAEMON",
            "",
            to,
            Map.of(Envelope.ATTR_BOUNCE, isDouble(from) ? Envelope.DOUBLE_BOUNCE
                : report.kind().name().toLowerCase(java.util.Locale.ROOT)));
    queue.write(QueueState.INCOMING, id, env, out -> out.write(content));
    log.info(
        report.queueId() + ": sender " + report.kind().name().toLowerCase(java.util.Locale.ROOT)
            + " notification: " + id);
  }

  /** A notice to the postmaster about a bounce that could not be delivered. */
  private static boolean isDouble(Envelope about) {
    return about.attribute(Envelope.ATTR_BOUNCE).equals(Envelope.DOUBLE_BOUNCE);
  }
}
