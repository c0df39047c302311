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
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.Transport;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.Watchdog;

/**
 * The daemon's side of local delivery when {@code local_delivery_service = yes}: each
 * recipient is one request to the local delivery service over its UNIX socket (Postfix's
 * qmgr talking to local(8)); the service re-reads the queue file and delivers.
 *
 * <p>Trusts the service's reply only after {@link DeliverReply} validated it. Every failure
 * to reach the service or to hear its answer is temporary (4.3.0): the recipient stays
 * queued (a reply lost after a delivery may repeat it, never drop it). Thread-safe: one
 * connection per delivery.
 */
public final class LocalClient implements Transport {
  private final Path socket;
  private final Duration timeout;
  private final Watchdog watchdog = new Watchdog("local-client");

  /** {@code timeout} bounds the whole exchange: command_time_limit plus a margin. */
  public LocalClient(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
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
      try (Watchdog.Guard g = watchdog.arm(ch, timeout)) {
        DataOutputStream out =
            new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
        new DeliverRequest(id, recipient, progress.done()).writeTo(out);
        reply = DeliverReply.readFrom(
            new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch))));
      }
    } catch (AsynchronousCloseException e) {
      return DeliveryOutcome.deferred("4.3.0", "local delivery service did not answer within "
          + timeout.toSeconds() + "s");
    } catch (IOException e) {
      return DeliveryOutcome.deferred("4.3.0",
          "lost connection with the local delivery service: " + reason(e));
    }
    reply.done().forEach(progress::markDone);
    if (reply.loggedPerDestination()) {
      progress.markLoggedPerDestination();
    }
    return reply.outcome();
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
