package org.postern.compat.sendmail;

import java.util.Map;
import java.util.Optional;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.postdrop.MaildropWriter;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueId;
import org.postern.engine.util.ProcessIdentity;

/**
 * The intake of the sendmail command when no daemon takes the message: files in maildrop/
 * owned by the running user (the identity pickup trusts), dead.letter written as that user,
 * and delivery started as -od asks.
 *
 * <p>Trusts the process identity from the kernel. Write failures are temporary. Not
 * thread-safe (one per command run).
 */
public final class MaildropIntake implements Intake {
  private final MailSystem system;
  private final SendmailOptions opts;
  private final Streams io;
  private final Map<String, String> env;
  private final ProcessIdentity me;

  public MaildropIntake(
      MailSystem system,
      SendmailOptions opts,
      Streams io,
      Map<String, String> env,
      ProcessIdentity me) {
    this.system = system;
    this.opts = opts;
    this.io = io;
    this.env = env;
    this.me = me;
  }

  @Override
  public QueueId queue(Envelope envelope, byte[] content) throws TempFailException {
    return new MaildropWriter(system.queue()).write(envelope, content);
  }

  @Override
  public void saveDeadLetter(byte[] content) throws ConfigException {
    new DeadLetter(system, io, me).save(content);
  }

  @Override
  public int startDelivery(Optional<QueueId> queued) throws ConfigException {
    return new DeliveryStarter(system, opts, io, env, me).start(queued);
  }
}
