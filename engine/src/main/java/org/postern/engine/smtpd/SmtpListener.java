package org.postern.engine.smtpd;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.engine.cleanup.Cleanup;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.master.MailSystem;
import org.postern.engine.pickup.Pickup;
import org.postern.engine.util.ProcessIdentity;

/**
 * The SMTP server's TCP side: binds every smtpd_listen address, accepts connections (one
 * accept thread per address) and runs an {@link SmtpSession} per connection on its own
 * thread, queueing accepted mail under the daemon's uid.
 *
 * <p>Trusts nothing from the network. Owns its server sockets, the session threads and the
 * open client sockets. At most default_process_limit sessions in all and
 * smtpd_client_connection_count_limit per client address; a client over a limit gets 421.
 * Reads time out after smtpd_timeout. The client's name is looked up (forward-confirmed by
 * the JDK) only with smtpd_peername_lookup = yes, else it is {@code unknown}. {@link #close}
 * stops accepting, gives sessions a moment, then closes their sockets: nothing acknowledged
 * is lost (250 follows the fsync). Thread-safe: serve() in one thread, close() from any.
 */
public final class SmtpListener implements Closeable {
  private static final long SHUTDOWN_GRACE_MILLIS = 2000;

  private final List<ServerSocket> servers;
  private final SessionContext context;
  private final boolean peernameLookup;
  private final int perClientLimit;
  private final Semaphore slots;
  private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService sessions;

  private SmtpListener(List<ServerSocket> servers, SessionContext context, boolean lookup,
      int perClientLimit, int processLimit) {
    this.servers = servers;
    this.context = context;
    this.peernameLookup = lookup;
    this.perClientLimit = perClientLimit;
    this.slots = new Semaphore(Math.max(1, processLimit));
    AtomicInteger n = new AtomicInteger();
    this.sessions = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "smtpd-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Binds the smtpd_listen addresses of {@code config} (none: a listener that serves
   * nothing); accepted mail is cleaned and queued in incoming/, then {@code onQueued} runs.
   */
  public static SmtpListener open(Config config, MailSystem system, SmtpPolicy policy,
      Runnable onQueued) throws IOException, ConfigException {
    Clock clock = Clock.systemDefaultZone();
    MailLog log = system.log("smtpd");
    Pickup pickup = new Pickup(system.queue(), new Cleanup(config, system.users(), clock),
        system.log("cleanup"), clock);
    SmtpIntake intake =
        new PickupIntake(pickup, system.queue(), ProcessIdentity.current().uid(), log);
    SessionContext context = new SessionContext(
        SessionSettings.from(config), policy, intake, log, onQueued, clock);
    List<ServerSocket> servers = new ArrayList<>();
    try {
      for (ListenAddress address : ListenAddress.all(config)) {
        ServerSocket server = new ServerSocket();
        servers.add(server);
        server.setReuseAddress(true);
        server.bind(address.socketAddress(), 100);
      }
    } catch (IOException e) {
      for (ServerSocket s : servers) {
        s.close();
      }
      throw new IOException("cannot listen on " + config.get(Params.SMTPD_LISTEN) + ": "
          + e.getMessage(), e);
    }
    return new SmtpListener(servers, context, config.bool(Params.SMTPD_PEERNAME_LOOKUP),
        (int) config.number(Params.SMTPD_CLIENT_CONNECTION_COUNT_LIMIT),
        (int) config.number(Params.DEFAULT_PROCESS_LIMIT));
  }

  /** The bound addresses (with the kernel's port where smtpd_listen said 0). */
  public List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    servers.forEach(s -> out.add((InetSocketAddress) s.getLocalSocketAddress()));
    return out;
  }

  /** Accepts connections until {@link #close}; one thread per address, this one included. */
  public void serve() {
    List<Thread> others = new ArrayList<>();
    for (ServerSocket server : servers.subList(Math.min(1, servers.size()), servers.size())) {
      Thread t = new Thread(() -> accept(server), "smtpd-accept-" + server.getLocalPort());
      t.setDaemon(true);
      t.start();
      others.add(t);
    }
    if (!servers.isEmpty()) {
      accept(servers.get(0));
    }
    for (Thread t : others) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (ServerSocket s : servers) {
      s.close();
    }
    sessions.shutdown();
    try {
      if (!sessions.awaitTermination(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        for (Socket s : open) {
          s.close(); // a blocked read ends; its session logs the lost connection
        }
        sessions.awaitTermination(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (SocketException e) {
        return; // closed by close()
      } catch (IOException e) {
        context.log().warning("accept on port " + server.getLocalPort() + " failed: "
            + e.getMessage());
        continue;
      }
      admit(socket);
    }
  }

  /** Starts a session for the connection, or turns it away over a limit. */
  private void admit(Socket socket) {
    InetAddress ip = socket.getInetAddress();
    String host = context.settings().myhostname();
    if (!slots.tryAcquire()) {
      context.log().warning("too many SMTP sessions; refusing " + ip.getHostAddress());
      turnAway(socket, String.format(Replies.BUSY, host));
      return;
    }
    int n = perClient.merge(ip, 1, Integer::sum);
    if (perClientLimit > 0 && n > perClientLimit) {
      release(ip);
      context.log().warning("Connection concurrency limit exceeded: " + n + " from unknown["
          + ip.getHostAddress() + "] for service smtp");
      turnAway(socket, String.format(Replies.TOO_MANY_CONNECTIONS, host, ip.getHostAddress()));
      return;
    }
    open.add(socket);
    try {
      sessions.execute(() -> {
        try {
          session(socket);
        } finally {
          open.remove(socket);
          release(ip);
        }
      });
    } catch (RejectedExecutionException e) {
      open.remove(socket);
      release(ip);
      turnAway(socket, String.format(Replies.BUSY, host)); // closing
    }
  }

  private void session(Socket socket) {
    try (socket) {
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE,
          context.settings().timeout().toMillis()));
      InetAddress ip = socket.getInetAddress();
      ClientFacts client = new ClientFacts(ip, peername(ip), Optional.empty(), false, false,
          false);
      new SmtpSession(context, client, socket.getInputStream(), socket.getOutputStream()).run();
    } catch (IOException e) {
      context.log().info("lost connection from " + socket.getInetAddress().getHostAddress()
          + ": " + e.getMessage());
    }
  }

  /** The forward-confirmed name of the client, or {@code unknown} as Postfix logs it. */
  private String peername(InetAddress ip) {
    if (!peernameLookup) {
      return "unknown";
    }
    String name = ip.getCanonicalHostName();
    return name.equals(ip.getHostAddress()) ? "unknown" : name;
  }

  private void release(InetAddress ip) {
    perClient.computeIfPresent(ip, (k, n) -> n == 1 ? null : n - 1);
    slots.release();
  }

  private static void turnAway(Socket socket, String reply) {
    try (socket) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // the client left already; nothing was accepted from it
    }
  }
}
