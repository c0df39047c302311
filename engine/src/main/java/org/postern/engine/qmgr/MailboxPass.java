package org.postern.engine.qmgr;

import java.time.Clock;
import java.util.List;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.MailLog;
import org.postern.engine.local.MailboxTransport;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.engine.route.LmtpHop;
import org.postern.engine.smtp.Transcript;

/**
 * {@code mailbox_transport = lmtp:...}: local delivery's mailbox deliveries go to an LMTP
 * store through the daemon's {@link RemoteDelivery} (its session cache, its concurrency per
 * destination), one recipient at a time as local(8) passes them, and are logged as
 * Postfix's lmtp(8) logs them ({@code relay=host[private/dovecot-lmtp]}).
 *
 * <p>The recipient sent is the address local delivery resolved ({@code user@domain}, with
 * any {@code +extension}), as Postfix passes the recipient address; a store that knows its
 * users by bare name strips the domain (Dovecot: {@code auth_username_format = %Ln}).
 * Never throws for a delivery problem. Thread-safe.
 */
public final class MailboxPass implements MailboxTransport {
  private final RemoteDelivery remote;
  private final LmtpHop hop;
  private final MailLog log;
  private final Clock clock;

  public MailboxPass(RemoteDelivery remote, LmtpHop hop, MailLog log, Clock clock) {
    this.remote = remote;
    this.hop = hop;
    this.log = log;
    this.clock = clock;
  }

  @Override
  public DeliveryOutcome deliver(QueueId id, QueueFile message, Recipient recipient) {
    long started = clock.millis();
    RemoteDelivery.Result r =
        remote.deliver(id, message, hop, List.of(recipient), Transcript.NONE).get(0);
    GroupDelivery.logDelivery(log, id, message.envelope(), recipient,
        new GroupDelivery.Attempt(r.outcome(), r.relay()), started, clock.millis());
    return r.outcome();
  }
}
