package org.postern.compat.sendmail;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.engine.bounce.BounceComposer;
import org.postern.engine.bounce.DsnReport;
import org.postern.engine.bounce.RecipientReport;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.DsnStatus;
import org.postern.engine.global.MailException;
import org.postern.engine.global.Params;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.ProcessIdentity;

/**
 * Reports recipients refused at submission the way sendmail's ErrorMode asks (spec a.5):
 * {@code p} prints each line and saves the message in ~/dead.letter, {@code q} stays quiet,
 * {@code m}/{@code w} mail a DSN back to the sender, {@code e} mails and exits 0.
 *
 * <p>Trusts the refusals built by the submission checks. dead.letter and the DSN go through
 * the submission's {@link Intake}. Failing to save dead.letter or to queue the DSN is
 * reported on stderr but does not change the exit code the refusals decided. Not
 * thread-safe.
 */
final class ErrorReport {
  private final MailSystem system;
  private final SendmailOptions opts;
  private final Streams io;
  private final ProcessIdentity me;
  private final Intake intake;
  private final String sender;
  private final Envelope envelope;
  private final byte[] content;

  ErrorReport(
      MailSystem system,
      SendmailOptions opts,
      Streams io,
      ProcessIdentity me,
      Intake intake,
      String sender,
      Envelope envelope,
      byte[] content) {
    this.system = system;
    this.opts = opts;
    this.io = io;
    this.me = me;
    this.intake = intake;
    this.sender = sender;
    this.envelope = envelope;
    this.content = content;
  }

  /** Reports the refusals; returns the exit code (the first refusal's, or 0 with -oee). */
  int report(List<Refusal> refused) throws ConfigException {
    switch (opts.errorMode()) {
      case PRINT:
        refused.forEach(r -> io.err().println(r.line()));
        intake.saveDeadLetter(content);
        break;
      case QUIET:
        break;
      case MAIL:
      case WRITE:
        // sendmail's -oew writes to the sender's terminal if logged in, else mails; run from
        // scripts and cron there is no terminal, and sendmail then mails exactly as -oem does
        // (spec a.5, observed). We always mail: the command may have no terminal to write to.
      case MAIL_EXIT_ZERO:
        mailBack(refused);
        break;
      default:
        throw new IllegalStateException("unknown error mode " + opts.errorMode());
    }
    return opts.errorMode() == ErrorMode.MAIL_EXIT_ZERO
        ? Sysexit.EX_OK.code()
        : refused.get(0).exit().code();
  }

  /** A failure DSN to the envelope sender, queued like any other message. */
  private void mailBack(List<Refusal> refused) throws ConfigException {
    if (sender.isEmpty()) {
      return; // never mail errors to the null sender
    }
    long now = System.currentTimeMillis();
    List<RecipientReport> lines = new ArrayList<>();
    for (Refusal r : refused) {
      String dsn = r.dsn().startsWith("5") ? r.dsn() : "5.1.3";
      lines.add(
          new RecipientReport(
              new Recipient(r.address()),
              new DsnStatus(dsn, r.line()),
              RecipientReport.LOCAL,
              r.line(),
              Optional.empty(),
              now));
    }
    QueueId id = QueueId.next();
    BounceComposer composer =
        new BounceComposer(
            system.config().get(Params.MYHOSTNAME),
            system.config().number(Params.BOUNCE_SIZE_LIMIT),
            Clock.systemDefaultZone());
    try {
      byte[] dsn =
          composer.compose(
              DsnReport.of(id, envelope, DsnReport.Kind.FAILURE, lines),
              new ByteArrayInputStream(content));
      Map<String, String> attrs = new HashMap<>();
      attrs.put(Envelope.ATTR_SENDER_SET, "1");
      attrs.put(Envelope.ATTR_BOUNCE, "failure");
      Envelope bounce =
          new Envelope(now, me.uid(), me.name(), "", List.of(new Recipient(sender)), attrs);
      intake.queue(bounce, dsn);
    } catch (MailException e) {
      io.err().println(io.program() + ": cannot return the error report: " + e.getMessage());
    }
  }
}
