package org.postern.compat.mailq;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.TempFailException;
import org.postern.engine.showq.ListingStream;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueListing;
import org.postern.engine.util.TimedChannel;
import org.postern.engine.util.Watchdog;

/**
 * A listing from the daemon's showq socket ({@link ShowqServer}): mailq's way to one when
 * the queue files are not readable to its user, and {@code postern queue}'s whenever a
 * daemon runs (the daemon prints it, we copy the bytes).
 *
 * <p>Trusts the daemon's answer only as {@link QueueListing#read} and {@link
 * ListingStream#copy} validate it. No daemon (no socket, refused connection) or a daemon that
 * closes without answering is an IOException: nothing was printed, the caller reads the
 * files itself. A daemon silent for longer than the timeout (60 s) at any read, or a printed
 * listing cut short, is a TempFailException (EX_TEMPFAIL): like Postfix's postqueue, which
 * never falls back once showq accepted the connection (it waits ipc_timeout, an hour, then
 * dies "malformed showq server response"), we do not read the files behind a daemon that
 * hangs. Owns one connection per call; not thread-safe.
 */
public final class ShowqClient {
  /** How long the daemon may stay silent before a listing fails. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path socket;
  private final Duration timeout;

  public ShowqClient(Path socket) {
    this(socket, TIMEOUT);
  }

  ShowqClient(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /** The daemon's listing of what we ask for (QUEUE or LOST), or empty when it refused us. */
  public Optional<List<QueueEntry>> fetch(QueueListing.Request request)
      throws IOException, TempFailException {
    try (Connection c = connect()) {
      QueueListing.writeRequest(c.out, request);
      c.out.flush();
      return QueueListing.read(c.in);
    } catch (ClosedChannelException e) {
      throw silent(e);
    }
  }

  /**
   * Has the daemon print {@code order} and copies the bytes to {@code out} as they come;
   * false when it refused to list the queue for us (nothing was written).
   */
  public boolean print(ListingOrder order, OutputStream out)
      throws IOException, TempFailException {
    try (Connection c = connect()) {
      QueueListing.writeRequest(c.out, QueueListing.Request.PRINT);
      order.write(c.out);
      c.out.flush();
      boolean accepted;
      try {
        accepted = QueueListing.readAccepted(c.in);
      } catch (ClosedChannelException e) {
        throw silent(e);
      }
      if (!accepted) {
        return false;
      }
      // From here on bytes reach our stdout: a failure cannot fall back to the files.
      try {
        ListingStream.copy(c.in, out);
      } catch (ClosedChannelException e) {
        throw silent(e);
      } catch (IOException e) {
        throw new TempFailException("4.3.0",
            "the listing from the mail daemon was cut short (" + e.getMessage() + ")", e);
      }
      out.flush();
      return true;
    }
  }

  private TempFailException silent(ClosedChannelException e) {
    // Only our watchdog closes the channel while we read.
    return new TempFailException("4.3.0",
        "the mail daemon did not answer within " + timeout.toSeconds() + " s", e);
  }

  private Connection connect() throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return new Connection(ch, timeout);
  }

  /** One connection, its every read and write under the timeout. */
  private static final class Connection implements AutoCloseable {
    private final Watchdog watchdog = new Watchdog("showq-client");
    private final TimedChannel channel;
    final DataInputStream in;
    final DataOutputStream out;

    Connection(SocketChannel ch, Duration timeout) {
      channel = new TimedChannel(ch, watchdog, timeout);
      in = new DataInputStream(
          new BufferedInputStream(channel.input(), ListingStream.MAX_CHUNK + 4));
      out = new DataOutputStream(new BufferedOutputStream(channel.output()));
    }

    @Override
    public void close() throws IOException {
      try {
        channel.close();
      } finally {
        watchdog.close();
      }
    }
  }
}
