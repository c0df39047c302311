package org.postern.compat.mailq;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.postern.compat.submit.PeerIdentity;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.showq.ListingStream;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueListing;
import org.postern.engine.showq.QueueScanner;
import org.postern.engine.util.ProcessIdentity;
import org.postern.engine.util.SessionPool;
import org.postern.engine.util.SocketFiles;
import org.postern.engine.util.TimedChannel;
import org.postern.engine.util.Watchdog;

/**
 * The daemon's showq socket ({@code $queue_directory/public/showq}, Postfix's showq
 * service): lists the queue for users who cannot read it themselves, so {@code mailq} works
 * for everyone authorized_mailq_users admits while the queue files stay the mail owner's,
 * and prints {@code postern queue}'s listing for whoever asks (a {@link ListingOrder}: the
 * daemon's compiled code formats it, the command only copies the bytes).
 *
 * <p>Trusts only the kernel's peer credentials and a well-formed request (the queue, its
 * lost items, or a listing order); anything else is closed unanswered, as is a request the
 * daemon fails to scan the queue for (the client then reads the files itself). A peer that
 * may not list the queue gets a refusal. Every read and write has a 60 s timeout (a peer
 * that stops reading loses its listing: it sees no end marker); at most
 * {@link #MAX_SESSIONS} at once (more are closed: mailq then says it cannot list). The
 * listing carries envelope data only, never content. Thread-safe: serve() in one thread.
 */
public final class ShowqServer implements Closeable {
  private static final int MAX_SESSIONS = 4;
  private static final int SOCKET_MODE = 0666;
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(60);

  private final ServerSocketChannel server;
  private final Config config;
  private final QueueDirectory queue;
  private final QueueScanner scanner;
  private final MailLog log;
  private final PeerIdentity peers = new PeerIdentity();
  private final Watchdog watchdog = new Watchdog("showq-timer");
  private final SessionPool sessions = new SessionPool("showq", MAX_SESSIONS);

  private ShowqServer(ServerSocketChannel server, Config config, QueueDirectory queue,
      QueueScanner scanner) {
    this.server = server;
    this.config = config;
    this.queue = queue;
    this.scanner = scanner;
    this.log = scanner.log();
  }

  /** Where the daemon serves listings. */
  public static Path path(Config config) {
    return config.path(Params.QUEUE_DIRECTORY).resolve("public").resolve("showq");
  }

  /**
   * Binds the socket (public/ exists: the submission socket made it); {@code scanner} reads
   * {@code queue} for every listing (the daemon's, which remembers envelopes).
   */
  public static ShowqServer open(Config config, QueueDirectory queue, QueueScanner scanner)
      throws IOException {
    return new ShowqServer(SocketFiles.bind(path(config), SOCKET_MODE, "daemon"), config,
        queue, scanner);
  }

  public void serve() {
    sessions.serve(server, ch -> {
      list(ch);
      close(ch);
    }, ShowqServer::close, problem -> log.warning("showq: accept failed: " + problem));
  }

  private void list(SocketChannel ch) {
    // Every read and write has its own timeout: a listing streamed to a pager may take
    // long, but never stalls for more than IO_TIMEOUT.
    TimedChannel timed = new TimedChannel(ch, watchdog, IO_TIMEOUT);
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(timed.input()));
      QueueListing.Request request = QueueListing.readRequest(in);
      DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(timed.output(), ListingStream.MAX_CHUNK + 4));
      ProcessIdentity peer = peers.of(ch);
      Optional<ListingOrder> order = request == QueueListing.Request.PRINT
          ? Optional.of(ListingOrder.read(in)) : Optional.empty();
      if (!QueueAccess.of(config, queue.root(), peer).mayList()) {
        QueueListing.writeRefusal(out);
        return;
      }
      List<QueueEntry> entries =
          request == QueueListing.Request.LOST ? scanner.scanLost() : scanner.scan();
      if (order.isPresent()) {
        print(out, order.get(), entries);
      } else {
        QueueListing.write(out, entries);
      }
    } catch (IOException | TempFailException | ConfigException e) {
      log.warning("showq: " + e.getMessage());
    }
  }

  /**
   * The listing printed here, as the command would print it, streamed in chunks (the peer
   * copies them to its stdout as they come; nothing holds the whole listing).
   */
  private void print(DataOutputStream out, ListingOrder order, List<QueueEntry> entries)
      throws IOException {
    QueueListing.writeAccepted(out);
    ListingStream.Writer chunks = new ListingStream.Writer(out);
    PrintStream printed = new PrintStream(chunks, false, StandardCharsets.UTF_8);
    order.print(printed, queue.root().toString(), order.clock(), entries);
    printed.flush();
    if (printed.checkError()) {
      throw new IOException("the listing was cut short (the client went away?)");
    }
    chunks.end();
  }

  private static void close(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // the peer sees the end of the listing either way
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    java.nio.file.Files.deleteIfExists(path(config));
    sessions.close(Duration.ZERO);
    watchdog.close();
  }
}
