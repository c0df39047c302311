package org.postern.compat.mailq;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueListing;

/**
 * A listing from the daemon's showq socket ({@link ShowqServer}): mailq's way to one when
 * the queue files are not readable to its user, and {@code postern queue}'s whenever a
 * daemon runs.
 *
 * <p>Trusts the daemon's answer only as {@link QueueListing#read} validates it. No daemon
 * (no socket, nobody answering) is an IOException. Stateless.
 */
public final class ShowqClient {
  private ShowqClient() {}

  /** The daemon's listing of what we ask for, or empty when it refused it to us. */
  public static Optional<List<QueueEntry>> fetch(Path socket, QueueListing.Request request)
      throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      QueueListing.writeRequest(new DataOutputStream(Channels.newOutputStream(ch)), request);
      return QueueListing.read(
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch))));
    }
  }
}
