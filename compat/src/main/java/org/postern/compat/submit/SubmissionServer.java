package org.postern.compat.submit;

import org.postern.engine.util.SessionPool;
import org.postern.engine.util.SocketFiles;
import org.postern.engine.util.TimedChannel;
import org.postern.engine.util.Watchdog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.master.MailSystem;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.showq.QueueScanner;

/**
 * The daemon's end of the submission socket ({@link SubmitSocket}, protocol in {@link
 * SubmitProtocol}): accepts connections from the sendmail command, one thread each, and
 * queues each message in incoming/ under the peer's uid before answering, or answers a
 * listing (mailq) for the peer.
 *
 * <p>Trusts the kernel's peer credentials, nothing the client sends. Owns the socket file
 * (a stale one is replaced; a live one means another daemon: IOException), the {@code
 * public/} directory's mode, and its session threads. At most {@link Limits#maxConnections}
 * sessions run at once; a client over the limit gets {@code ERROR} and uses the maildrop.
 * Every read and write has a timeout. {@link #close} stops intake first, then lets running
 * sessions finish for a short while. Thread-safe: serve() in one thread, close() from any.
 */
public final class SubmissionServer implements Closeable {
  /** Concurrency and timeouts; the header is sent at once, a message may be typed slowly. */
  public record Limits(int maxConnections, Duration headerTimeout, Duration dataTimeout) {
    /** 64 sessions; 60 s for the header and replies, an hour between pieces of a message. */
    public static final Limits DEFAULT =
        new Limits(64, Duration.ofSeconds(60), Duration.ofHours(1));
  }

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
  private static final int PUBLIC_MODE = 0755;
  private static final int SOCKET_MODE = 0666;

  private final Path path;
  private final ServerSocketChannel server;
  private final SubmitSession.Context context;
  private final Watchdog watchdog = new Watchdog("submission-timer");
  private final SessionPool sessions;

  private SubmissionServer(Path path, ServerSocketChannel server, SubmitSession.Context context) {
    this.path = path;
    this.server = server;
    this.context = context;
    this.sessions = new SessionPool("submission", context.limits().maxConnections());
  }

  /** Binds the instance's socket, with a queue scanner of its own for listings. */
  public static SubmissionServer open(Config config, Runnable onQueued, Limits limits)
      throws IOException, ConfigException {
    return open(config, onQueued, limits, new QueueScanner(
        new QueueDirectory(config.path(Params.QUEUE_DIRECTORY)), MailLog.open(config, "showq")));
  }

  /**
   * Binds the instance's socket; {@code onQueued} wakes the queue, {@code listings} answers
   * mailq (the daemon shares it with its showq socket, so both remember the same envelopes).
   */
  public static SubmissionServer open(Config config, Runnable onQueued, Limits limits,
      QueueScanner listings) throws IOException, ConfigException {
    MailSystem system = MailSystem.open(config);
    MailLog log = system.log("submission");
    Clock clock = Clock.systemDefaultZone();
    // The queued message's uid= and message-id= lines read as Postfix's pickup(8) writes them
    // (log summarisers count received local mail from "pickup" lines).
    Pickup pickup = new Pickup(system.queue(), new Cleanup(config, system.users(), clock),
        system.log("pickup"), clock);
    SubmitSession.Context context =
        new SubmitSession.Context(system, pickup,
            new ListingReply(system, listings, listings.log()), new PeerIdentity(),
            guarded(onQueued, log), log, limits);
    Path path = SubmitSocket.path(config);
    preparePublicDirectory(system.queue().root(), path.getParent());
    ServerSocketChannel server = SocketFiles.bind(path, SOCKET_MODE, "daemon");
    return new SubmissionServer(path, server, context);
  }

  /** The socket this server listens on. */
  public Path path() {
    return path;
  }

  /** Accepts connections until {@link #close}; each is served on its own thread. */
  public void serve() {
    // Out of file descriptors or the like: clients use the maildrop meanwhile.
    sessions.serve(server,
        client -> new SubmitSession(context, timed(client)).run(),
        client -> turnAway(timed(client)),
        problem -> context.log().warning("submission: accept failed: " + problem));
  }

  private TimedChannel timed(SocketChannel client) {
    return new TimedChannel(client, watchdog, context.limits().headerTimeout());
  }

  /** Stops accepting, removes the socket, and gives running sessions a moment to finish. */
  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(path);
    try {
      sessions.close(SHUTDOWN_GRACE); // interrupted channel I/O closes: those clients get 75
    } finally {
      watchdog.close();
    }
  }

  /** Over the connection limit (or closing): the client falls back to the maildrop. */
  private void turnAway(TimedChannel channel) {
    try (channel) {
      SubmitProtocol.writeLine(channel.output(), SubmitProtocol.ERROR + " too busy");
    } catch (IOException e) {
      // the client left already; it will use the maildrop either way
    }
    context.log().warning("submission: too busy; client told to use the maildrop");
  }

  /** A scheduler that throws must not turn a queued message into a failed submission. */
  private static Runnable guarded(Runnable onQueued, MailLog log) {
    return () -> {
      try {
        onQueued.run();
      } catch (RuntimeException e) {
        log.error("submission: queue wake-up failed: " + e);
      }
    };
  }

  /** {@code public/}: 0755 and owned by the queue's owner, so nobody else can plant a socket. */
  private static void preparePublicDirectory(Path queueRoot, Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectory(dir);
    }
    Object owner = Files.getAttribute(queueRoot, "unix:uid");
    if (!owner.equals(Files.getAttribute(dir, "unix:uid"))) {
      Files.setAttribute(dir, "unix:uid", owner); // possible only as root; else IOException
    }
    Files.setAttribute(dir, "unix:mode", PUBLIC_MODE);
  }

}
