package org.postern.engine.local.service;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Transport;
import org.postern.engine.local.ForwardedCopy;
import org.postern.engine.local.Handoff;
import org.postern.engine.local.MailboxTransport;
import org.postern.engine.local.OwnerNotice;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.Watchdog;

/**
 * The daemon's side of local delivery when {@code local_delivery_service = yes}: each
 * recipient is one request to the local delivery service over its UNIX socket (Postfix's
 * qmgr talking to local(8)); the service re-reads the queue file and delivers, and hands
 * back the forwarded copies and list owners' notices, which are queued here, as the mail
 * owner, from this process's copy of the message. With mailbox_transport the service hands
 * each mailbox delivery back before its reply: it is made here ({@link MailboxTransport},
 * LMTP from the unprivileged daemon) and its outcome sent back, and the service goes on.
 *
 * <p>Trusts the service's reply only after {@link DeliverReply} validated it. Every failure
 * to reach the service or to hear its answer is temporary (4.3.0): the recipient stays
 * queued (a reply lost after a delivery may repeat it, never drop it). A forwarded copy that
 * cannot be queued leaves its destinations not done and defers the recipient (4.3.0).
 * {@code timeout} bounds each wait for the service, not the daemon's own LMTP deliveries
 * (they have theirs).
 * Thread-safe: one connection per delivery.
 */
public final class LocalClient implements Transport {
  private final Path socket;
  private final Duration timeout;
  private final Handoff handoff;
  private final Optional<MailboxTransport> mailboxes;
  private final MailLog log;
  private final Watchdog watchdog = new Watchdog("local-client");

  /**
   * {@code timeout} bounds each wait for the service: command_time_limit plus a margin; what
   * the service hands back goes to {@code handoff}, and the mailbox deliveries it passes to
   * {@code mailboxes} (mailbox_transport, when set).
   */
  public LocalClient(Path socket, Duration timeout, Handoff handoff,
      Optional<MailboxTransport> mailboxes, MailLog log) {
    this.socket = socket;
    this.timeout = timeout;
    this.handoff = handoff;
    this.mailboxes = mailboxes;
    this.log = log;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public DeliveryOutcome deliver(
      QueueId id, QueueFile message, Recipient recipient, DestinationProgress progress) {
    DeliverReply reply;
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        return DeliveryOutcome.deferred("4.3.0",
            "local delivery service unavailable: connect to " + socket + ": " + reason(e));
      }
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
      try (Watchdog.Guard g = watchdog.arm(ch, timeout)) {
        new DeliverRequest(id, recipient, progress.done()).writeTo(out);
      }
      reply = answer(id, message, ch, in, out);
    } catch (AsynchronousCloseException e) {
      return DeliveryOutcome.deferred("4.3.0", "local delivery service did not answer within "
          + timeout.toSeconds() + "s");
    } catch (IOException e) {
      return DeliveryOutcome.deferred("4.3.0",
          "lost connection with the local delivery service: " + reason(e));
    }
    if (reply.loggedPerDestination()) {
      progress.markLoggedPerDestination();
    }
    return queueHandedBack(id, message, reply, progress);
  }

  /**
   * The service's reply, after the mailbox deliveries it passes here one by one: each is
   * made while no timeout is armed, then its outcome goes back.
   */
  private DeliverReply answer(QueueId id, QueueFile message, SocketChannel ch,
      DataInputStream in, DataOutputStream out) throws IOException {
    while (true) {
      Recipient passed;
      try (Watchdog.Guard g = watchdog.arm(ch, timeout)) {
        String tag = in.readUTF();
        if (tag.equals(Wire.REPLY)) {
          return DeliverReply.readFrom(in);
        }
        if (!tag.equals(Wire.PASS)) {
          throw new ProtocolException("unknown message \"" + tag + "\"");
        }
        passed = HandoffWire.readRecipient(in);
      }
      DeliveryOutcome o;
      if (mailboxes.isPresent()) {
        o = mailboxes.get().deliver(id, message, passed);
      } else {
        // The two read main.cf at different times (a reload in between): try again later.
        o = DeliveryOutcome.deferred("4.3.5", "the local delivery service passes mailboxes"
            + " to mailbox_transport, which the daemon has not set");
        log.warning(id + ": to=<" + passed.address() + ">: " + o.reason());
      }
      try (Watchdog.Guard g = watchdog.arm(ch, timeout)) {
        Wire.writeOutcome(out, o);
        out.flush();
      }
    }
  }

  /**
   * Queues the reply's copies and notices; marks done what the service delivered, except the
   * destinations of a copy that could not be queued: those are tried again (never lost).
   */
  private DeliveryOutcome queueHandedBack(
      QueueId id, QueueFile message, DeliverReply reply, DestinationProgress progress) {
    Set<String> done = new HashSet<>(reply.done());
    DeliveryOutcome outcome = reply.outcome();
    for (ForwardedCopy copy : reply.forwards()) {
      try {
        handoff.forward(id, message, copy);
      } catch (IOException e) {
        done.removeAll(copy.keys());
        log.warning(id + ": cannot queue forwarded copy " + copy.id() + ": " + e);
        if (!(outcome instanceof DeliveryOutcome.Deferred)) {
          outcome = DeliveryOutcome.deferred("4.3.0", "cannot queue forwarded copy: " + e);
        }
      }
    }
    for (OwnerNotice notice : reply.notices()) {
      try {
        handoff.notifyOwner(id, message, notice);
      } catch (IOException e) {
        log.warning(id + ": cannot queue notice to list owner " + notice.owner() + ": " + e);
      }
    }
    done.forEach(progress::markDone);
    return outcome;
  }

  private static String reason(IOException e) {
    if (e instanceof EOFException) {
      return "connection closed";
    }
    String m = e.getMessage();
    return e instanceof SocketException || m == null ? e.getClass().getSimpleName()
        + (m == null ? "" : ": " + m) : m;
  }
}
