package org.postern.engine.local.service;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DestinationProgress;
import org.postern.engine.global.MailLog;
import org.postern.engine.local.LocalDelivery;
import org.postern.engine.local.MailboxTransport;
import org.postern.engine.posix.FsIdentity;
import org.postern.engine.queue.CorruptQueueFileException;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.OpenQueueFile;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueState;
import org.postern.engine.queue.Recipient;
import org.postern.engine.util.SessionPool;
import org.postern.engine.util.SocketFiles;
import org.postern.engine.util.Watchdog;
import org.postern.maps.io.FileOwner;

/**
 * The local delivery service's socket ({@code postern local}, Postfix's local(8) behind
 * private/local): takes one {@link DeliverRequest} per connection from the mail owner's
 * daemon, re-reads and validates the queue file itself, delivers with the local delivery
 * agent and answers with a {@link DeliverReply}. It listens on nothing else.
 *
 * <p>Trusts only the kernel's peer credentials: a peer other than the queue directory's
 * owner is refused and logged. Trusts nothing in a request nor the mail owner's queue: as
 * root it touches the queue only with the mail owner's filesystem identity ({@link
 * FsIdentity}: the kernel lets it do there only what the mail owner could), so the socket
 * and private/ are made by the mail owner, and active/ID is opened without following a link
 * or blocking, must be a regular file, must validate, and is read from that one open file
 * for the whole delivery; the recipient must be one of its envelope's. It writes nothing
 * into the queue: forwarded copies and owners' notices go back in the reply; with
 * mailbox_transport, each mailbox delivery goes back to the daemon before the reply
 * ({@link DaemonPass}), which speaks LMTP. Any problem on the server's side is a temporary
 * failure for the recipient. Owns the socket file (mode
 * 0600; a stale one is replaced, a live one is another service: IOException) and its
 * session threads, at most {@link #MAX_SESSIONS} at once.
 * {@link #close} stops intake, then lets deliveries in progress finish. Thread-safe.
 */
public final class LocalServer implements Closeable {
  private static final int MAX_SESSIONS = 64;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);

  private final Path path;
  private final ServerSocketChannel server;
  private final QueueDirectory queue;
  private final LocalDelivery local;
  private final boolean passMailboxes;
  private final FileOwner owner;
  private final String mailOwner;
  private final MailLog log;
  private final Watchdog watchdog = new Watchdog("local-timer");
  private final SessionPool sessions = new SessionPool("local", MAX_SESSIONS);

  private LocalServer(Path path, ServerSocketChannel server, QueueDirectory queue,
      LocalDelivery local, boolean passMailboxes, FileOwner owner, String mailOwner,
      MailLog log) {
    this.path = path;
    this.server = server;
    this.queue = queue;
    this.local = local;
    this.passMailboxes = passMailboxes;
    this.owner = owner;
    this.mailOwner = mailOwner;
    this.log = log;
  }

  /**
   * Binds {@code socket} for deliveries from {@code queue}'s owner, delivered by
   * {@code local}; with {@code passMailboxes} (mailbox_transport is set) mailbox deliveries
   * are handed back to the daemon. The socket and its directory are made with the owner's
   * filesystem identity (Postfix's master does set_eugid for its sockets): root follows no
   * link the owner planted and changes no file's owner or mode there.
   */
  public static LocalServer open(Path socket, QueueDirectory queue, LocalDelivery local,
      boolean passMailboxes, MailLog log) throws IOException {
    FileOwner owner = FileOwner.of(queue.root());
    ServerSocketChannel server;
    try (FsIdentity as = FsIdentity.assume(owner.uid(), owner.gid())) {
      Path dir = socket.getParent();
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      }
      server = SocketFiles.bind(socket, 0600, "local delivery service");
    }
    String ownerName = Files.getOwner(queue.root(), LinkOption.NOFOLLOW_LINKS).getName();
    return new LocalServer(socket, server, queue, local, passMailboxes, owner, ownerName,
        log);
  }

  /** Accepts requests until {@link #close}; each is served on its own thread. */
  public void serve() {
    sessions.serve(server, this::session, ch -> {
      // The daemon defers the recipient on the closed connection and retries.
      log.warning("too many local delivery requests at once (" + MAX_SESSIONS + ")");
      closeQuietly(ch);
    }, problem -> log.warning("local delivery socket: accept: " + problem));
  }

  private void session(SocketChannel ch) {
    try (ch) {
      String peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
      if (!peer.equals(mailOwner)) {
        log.warning("refused a local delivery request from user " + peer + ": only "
            + mailOwner + " may ask");
        return;
      }
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
      DeliverRequest request;
      try (Watchdog.Guard g = watchdog.arm(ch, REQUEST_TIMEOUT)) {
        request = DeliverRequest.readFrom(in);
      }
      DeliverReply reply = handle(request, passMailboxes
          ? Optional.of(new DaemonPass(ch, in, out, watchdog)) : Optional.empty());
      try (Watchdog.Guard g = watchdog.arm(ch, REQUEST_TIMEOUT)) {
        out.writeUTF(Wire.REPLY);
        reply.writeTo(out);
      }
    } catch (IOException e) {
      log.warning("local delivery request: " + e.getMessage());
    }
  }

  /**
   * One request: the queue file re-read and checked, then the delivery, its mailboxes
   * through {@code pass} when there is one.
   */
  private DeliverReply handle(DeliverRequest request, Optional<MailboxTransport> pass) {
    DestinationProgress progress = new DestinationProgress(request.done());
    Path file = queue.file(QueueState.ACTIVE, request.id());
    OpenQueueFile opened;
    // With the mail owner's rights: root reads only what the mail owner could read.
    try (FsIdentity as = FsIdentity.assume(owner.uid(), owner.gid())) {
      opened = OpenQueueFile.open(file);
    } catch (NoSuchFileException e) {
      return refuse(request, progress, "no such queue file " + file);
    } catch (CorruptQueueFileException e) {
      return refuse(request, progress, "queue file " + file + " is damaged: " + e.getMessage());
    } catch (IOException e) {
      return refuse(request, progress, "cannot read queue file " + file + ": " + e.getMessage());
    }
    try {
      QueueFile message = opened.queueFile();
      if (!addressed(message.envelope(), request.recipient())) {
        return refuse(request, progress, "<" + request.recipient().address()
            + "> is not a recipient of queue file " + file);
      }
      return deliver(request, message, progress, pass);
    } finally {
      try {
        opened.close();
      } catch (IOException e) {
        log.warning("closing " + file + ": " + e.getMessage());
      }
    }
  }

  private DeliverReply deliver(DeliverRequest request, QueueFile message,
      DestinationProgress progress, Optional<MailboxTransport> pass) {
    CollectedHandoff handedBack = new CollectedHandoff();
    LocalDelivery agent = pass.map(local::passingMailboxesTo).orElse(local);
    DeliveryOutcome outcome;
    try {
      outcome = agent.deliver(request.id(), message, request.recipient(), progress, handedBack);
    } catch (RuntimeException e) {
      // A bug must never bounce or lose mail.
      log.error(request.id() + ": unexpected error delivering to <"
          + request.recipient().address() + ">: " + e);
      outcome = DeliveryOutcome.deferred("4.3.0", "internal error: " + e);
    }
    return new DeliverReply(outcome, progress.done(), progress.loggedPerDestination(),
        handedBack.forwards(), handedBack.notices());
  }

  private DeliverReply refuse(DeliverRequest request, DestinationProgress progress, String why) {
    log.warning(request.id() + ": local delivery refused: " + why);
    return new DeliverReply(DeliveryOutcome.deferred("4.3.0", "local delivery refused: " + why),
        progress.done(), false, List.of(), List.of());
  }

  /** Whether {@code r} is (or, rewritten by mailertable, stands for) a recipient of env. */
  private static boolean addressed(Envelope env, Recipient r) {
    for (Recipient e : env.recipients()) {
      if (e.address().equalsIgnoreCase(r.address()) || e.original().equals(r.original())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    server.close();
    // As the mail owner, like the bind: private/ may lead elsewhere by now.
    try (FsIdentity as = FsIdentity.assume(owner.uid(), owner.gid())) {
      Files.deleteIfExists(path);
    }
    sessions.close(SHUTDOWN_GRACE);
    watchdog.close();
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // the peer sees the connection end either way
    }
  }
}
