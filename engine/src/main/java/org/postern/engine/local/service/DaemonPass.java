package org.postern.engine.local.service;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.local.MailboxTransport;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.Watchdog;

/**
 * mailbox_transport as root's local delivery service has it: the mailbox delivery, decided
 * after aliases and .forward, is handed back on the request's connection to the mail owner's
 * daemon, which speaks LMTP to the store (root parses no network input), and its outcome is
 * read back before local delivery goes on with the recipient's other destinations.
 *
 * <p>Trusts the daemon's outcome only as far as {@link Wire#readOutcome} checks it (the mail
 * owner could deliver or drop its own queue's mail anyway). No answer within
 * {@link #TIMEOUT}, or a broken connection, is a temporary failure (4.3.0), and so is every
 * later pass of the same request. One per request; not thread-safe.
 */
final class DaemonPass implements MailboxTransport {
  /** How long the daemon's LMTP delivery may take: Postfix's ipc_timeout for deliver_pass. */
  static final Duration TIMEOUT = Duration.ofHours(1);

  private final SocketChannel channel;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final Watchdog watchdog;
  private String broken;

  DaemonPass(SocketChannel channel, DataInputStream in, DataOutputStream out,
      Watchdog watchdog) {
    this.channel = channel;
    this.in = in;
    this.out = out;
    this.watchdog = watchdog;
  }

  @Override
  public DeliveryOutcome deliver(QueueId id, QueueFile message, Recipient recipient) {
    if (broken == null) {
      try (Watchdog.Guard g = watchdog.arm(channel, TIMEOUT)) {
        out.writeUTF(Wire.PASS);
        HandoffWire.writeRecipient(out, recipient);
        out.flush();
        return Wire.readOutcome(in);
      } catch (IOException e) {
        broken = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
    }
    return DeliveryOutcome.deferred("4.3.0",
        "mailbox_transport: no answer from the daemon: " + broken);
  }
}
