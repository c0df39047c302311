package org.postern.compat.mailq;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.postern.compat.submit.PeerIdentity;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.showq.QueueListing;
import org.postern.engine.showq.QueueScanner;
import org.postern.engine.util.ProcessIdentity;
import org.postern.engine.util.SessionPool;
import org.postern.engine.util.SocketFiles;
import org.postern.engine.util.Watchdog;

/**
 * The daemon's showq socket ({@code $queue_directory/public/showq}, Postfix's showq
 * service): lists the queue for users who cannot read it themselves, so {@code mailq} works
 * for everyone authorized_mailq_users admits while the queue files stay the mail owner's.
 *
 * <p>Trusts only the kernel's peer credentials and a well-formed request (the queue, or its
 * lost items); anything else is closed unanswered. A peer that may not list the queue gets a
 * refusal. Each listing is bounded by a write timeout; at most
 * {@link #MAX_SESSIONS} at once (more are closed: mailq then says it cannot list). The
 * listing carries envelope data only, never content. Thread-safe: serve() in one thread.
 */
public final class ShowqServer implements Closeable {
  private static final int MAX_SESSIONS = 4;
  private static final int SOCKET_MODE = 0666;
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);

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
    try (Watchdog.Guard g = watchdog.arm(ch, WRITE_TIMEOUT)) {
      QueueListing.Request request = QueueListing.readRequest(
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch))));
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
      ProcessIdentity peer = peers.of(ch);
      if (!QueueAccess.of(config, queue.root(), peer).mayList()) {
        QueueListing.writeRefusal(out);
        return;
      }
      QueueListing.write(out, request == QueueListing.Request.LOST
          ? scanner.scanLost() : scanner.scan());
    } catch (IOException | TempFailException | ConfigException e) {
      log.warning("showq: " + e.getMessage());
    }
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
