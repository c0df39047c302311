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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.postern.engine.dns.PeerName;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.master.MailSystem;
import org.postern.engine.util.ProcessIdentity;

/**
 * The SMTP server's TCP side: binds every smtpd_listen address, accepts connections (one
 * accept thread per address) and runs an {@link SmtpSession} per connection on its own
 * thread, with the settings of that listener's port ({@code PORT.name} in main.cf).
 *
 * <p>Trusts nothing from the network. Owns its server sockets, the session threads and the
 * open client sockets. At most default_process_limit sessions in all and
 * smtpd_client_connection_count_limit per client address; a client over a limit gets 421.
 * Reads time out after smtpd_timeout. The client's name is looked up (PTR, forward-confirmed,
 * through dns_resolver) only with smtpd_peername_lookup = yes, else it is {@code unknown}.
 * {@link #reload} gives new sessions the new settings and policy while running sessions keep
 * theirs to their end; an address still listed keeps its socket (no refused connections),
 * a new one is bound, a dropped one closed, unless a new one cannot be bound: then the
 * addresses stay as they were. {@link #close} stops accepting, gives sessions a
 * moment, then closes their sockets: nothing acknowledged is lost (250 follows the fsync).
 * Thread-safe: serve() in one thread, reload() and close() from any.
 */
public final class SmtpListener implements Closeable {
  private static final long SHUTDOWN_GRACE_MILLIS = 2000;

  /** Makes the policy of the listeners on one port from their view of main.cf. */
  @FunctionalInterface
  public interface PolicySource {
    SmtpPolicy open(Config listenerConfig) throws ConfigException;
  }

  /** One bound address; its service is replaced by a reload. */
  private static final class Endpoint {
    final ServerSocket server;
    volatile ListenerService service;
    boolean accepting;

    Endpoint(ServerSocket server, ListenerService service) {
      this.server = server;
      this.service = service;
    }
  }

  private final Runnable onQueued;
  private final int uid;
  private final Map<ListenAddress, Endpoint> endpoints = new LinkedHashMap<>();
  private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService sessions;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile ListenerPlan.Limits limits;
  private final ConnectionRate rates = new ConnectionRate();
  private volatile MailLog log;
  private boolean serving;

  private SmtpListener(ListenerPlan plan, Runnable onQueued, int uid) {
    this.onQueued = onQueued;
    this.uid = uid;
    this.limits = plan.limits();
    this.log = plan.log();
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
   * Each port's policy comes from {@code policies} with that port's view of the config.
   */
  public static SmtpListener open(Config config, MailSystem system, PolicySource policies,
      Runnable onQueued) throws IOException, ConfigException {
    int uid = ProcessIdentity.current().uid();
    ListenerPlan plan = ListenerPlan.of(config, system, policies, onQueued, uid);
    SmtpListener listener = new SmtpListener(plan, onQueued, uid);
    try {
      for (Map.Entry<ListenAddress, ListenerService> e : plan.services().entrySet()) {
        listener.endpoints.put(e.getKey(), new Endpoint(bind(e.getKey()), e.getValue()));
      }
    } catch (IOException e) {
      listener.closeServers();
      throw e;
    }
    return listener;
  }

  /**
   * Re-reads {@code config} for new sessions; sessions in progress are left alone. A bad
   * value changes nothing (ConfigException). The new addresses are bound before any old one
   * is closed: when one cannot be bound, the listening addresses stay as they were (logged;
   * a later reload tries again) and only the settings of the kept ones change.
   */
  public void reload(Config config, MailSystem system, PolicySource policies)
      throws ConfigException {
    ListenerPlan plan = ListenerPlan.of(config, system, policies, onQueued, uid);
    synchronized (this) {
      if (closed.getCount() == 0) {
        return;
      }
      limits = plan.limits();
      log = plan.log();
      Optional<Map<ListenAddress, Endpoint>> added = bindNew(plan);
      for (Map.Entry<ListenAddress, ListenerService> e : plan.services().entrySet()) {
        Endpoint kept = endpoints.get(e.getKey());
        if (kept != null) {
          kept.service = e.getValue();
        }
      }
      if (added.isPresent()) {
        endpoints.entrySet().removeIf(e -> {
          if (plan.services().containsKey(e.getKey())) {
            return false;
          }
          closeQuietly(e.getValue().server); // its sessions finish on their own
          return true;
        });
        endpoints.putAll(added.get());
      }
      if (serving) {
        startAccepting();
      }
    }
  }

  /**
   * Binds the addresses of {@code plan} not listened on yet; empty (and nothing left bound)
   * when one cannot be bound.
   */
  private Optional<Map<ListenAddress, Endpoint>> bindNew(ListenerPlan plan) {
    Map<ListenAddress, Endpoint> added = new LinkedHashMap<>();
    for (Map.Entry<ListenAddress, ListenerService> e : plan.services().entrySet()) {
      if (endpoints.containsKey(e.getKey())) {
        continue;
      }
      try {
        added.put(e.getKey(), new Endpoint(bind(e.getKey()), e.getValue()));
      } catch (IOException x) {
        added.values().forEach(a -> closeQuietly(a.server));
        log.error("reload: " + x.getMessage() + "; still listening on "
            + (endpoints.isEmpty() ? "nothing" : String.join(", ",
                endpoints.keySet().stream().map(ListenAddress::toString).toList())));
        return Optional.empty();
      }
    }
    return Optional.of(added);
  }

  /** The bound addresses (with the kernel's port where smtpd_listen said 0). */
  public synchronized List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    endpoints.values()
        .forEach(e -> out.add((InetSocketAddress) e.server.getLocalSocketAddress()));
    return out;
  }

  /** Accepts connections (one thread per address) until {@link #close}. */
  public void serve() {
    synchronized (this) {
      serving = true;
      startAccepting();
    }
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      closeServers();
      closed.countDown();
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

  private static ServerSocket bind(ListenAddress address) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(address.socketAddress(), 100);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
    return server;
  }

  private void closeServers() {
    endpoints.values().forEach(e -> closeQuietly(e.server));
  }

  private static void closeQuietly(ServerSocket server) {
    try {
      server.close();
    } catch (IOException e) {
      // closing a listening socket has nothing to flush; its accept thread ends either way
    }
  }

  /** Starts an accept thread for each endpoint that has none (caller holds the lock). */
  private void startAccepting() {
    for (Endpoint e : endpoints.values()) {
      if (!e.accepting) {
        e.accepting = true;
        Thread t = new Thread(() -> accept(e), "smtpd-accept-" + e.server.getLocalPort());
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private void accept(Endpoint endpoint) {
    ServerSocket server = endpoint.server;
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (SocketException e) {
        return; // closed by close() or a reload that dropped this address
      } catch (IOException e) {
        log.warning("accept on port " + server.getLocalPort() + " failed: " + e.getMessage());
        continue;
      }
      admit(socket, endpoint.service); // the service as of now: a reload affects later ones
    }
  }

  /** Starts a session for the connection, or turns it away over a limit. */
  private void admit(Socket socket, ListenerService service) {
    InetAddress ip = socket.getInetAddress();
    String host = service.context().settings().myhostname();
    ListenerPlan.Limits now = limits;
    if (active.incrementAndGet() > now.processLimit()) {
      active.decrementAndGet();
      log.warning("too many SMTP sessions; refusing " + ip.getHostAddress());
      turnAway(socket, String.format(Replies.BUSY, host));
      return;
    }
    if (now.rateLimit() > 0 && !now.rateExceptions().contains(ip)) {
      int rate = rates.record(ip, System.currentTimeMillis(), now.rateUnitMillis());
      if (rate > now.rateLimit()) {
        active.decrementAndGet();
        log.warning("Connection rate limit exceeded: " + rate + " from unknown["
            + ip.getHostAddress() + "] for service smtp");
        turnAway(socket, String.format(Replies.TOO_MANY_CONNECTIONS, host, ip.getHostAddress()));
        return;
      }
    }
    int n = perClient.merge(ip, 1, Integer::sum);
    if (now.perClientLimit() > 0 && n > now.perClientLimit()) {
      release(ip);
      log.warning("Connection concurrency limit exceeded: " + n + " from unknown["
          + ip.getHostAddress() + "] for service smtp");
      turnAway(socket, String.format(Replies.TOO_MANY_CONNECTIONS, host, ip.getHostAddress()));
      return;
    }
    open.add(socket);
    try {
      sessions.execute(() -> {
        try {
          session(socket, service);
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

  private void session(Socket socket, ListenerService service) {
    SessionContext context = service.context();
    AtomicReference<SSLSocket> secured = new AtomicReference<>();
    try (socket) {
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE,
          context.settings().timeout().toMillis()));
      InetAddress ip = socket.getInetAddress();
      ClientFacts client = new ClientFacts(ip, peername(ip, service), Optional.empty(), false,
          false, false);
      TlsHandshake tls = () -> {
        TlsConnection c = context.tls().handshake(socket);
        secured.set(c.socket());
        return c;
      };
      new SmtpSession(context, client, socket.getInputStream(), socket.getOutputStream(),
          Optional.of(tls)).run();
      if (secured.get() != null) {
        secured.get().close(); // TLS close_notify, then the socket
      }
    } catch (IOException e) {
      context.log().info("lost connection from " + socket.getInetAddress().getHostAddress()
          + ": " + e.getMessage());
    }
  }

  /** The forward-confirmed name of the client, or {@code unknown} as Postfix logs it. */
  private static String peername(InetAddress ip, ListenerService service) {
    return service.peerNames().map(p -> p.of(ip)).orElse(PeerName.UNKNOWN);
  }

  private void release(InetAddress ip) {
    perClient.computeIfPresent(ip, (k, n) -> n == 1 ? null : n - 1);
    active.decrementAndGet();
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
