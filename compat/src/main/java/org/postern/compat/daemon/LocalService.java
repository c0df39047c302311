package org.postern.compat.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.postern.compat.sendmail.Version;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.local.service.LocalServer;
import org.postern.engine.local.service.LocalSocket;
import org.postern.engine.master.MailSystem;
import org.postern.engine.queue.QueueDirectory;

/**
 * The local delivery service's process ({@code postern local}, what postern-local.service
 * runs as root): holds {@code pid/local.pid}, serves {@link LocalServer} until SIGTERM, then
 * lets the deliveries in progress finish. It opens no network socket.
 *
 * <p>Trusts its configuration directory, not the mail owner's queue: it queues nothing
 * (forwarded copies and notices to list owners go back to the daemon, see {@link
 * LocalServer}). One per instance.
 */
public final class LocalService {
  private final Path configDir;

  public LocalService(Path configDir) {
    this.configDir = configDir;
  }

  /** Serves until stopped; the exit status for the command. */
  public int run(PrintStream err) throws ConfigException, IOException {
    MailSystem system = MailSystem.open(Config.load(configDir));
    QueueDirectory queue = system.queue();
    Optional<PidFile> pid = PidFile.claim(queue.root(), PidFile.LOCAL);
    // The mail owner's daemon (postern.service) cannot create its pid file in root's pid/.
    DaemonControl.prepareDaemonPidFile(queue.root());
    if (pid.isEmpty()) {
      err.println("postern: fatal: the local delivery service is already running");
      return 1;
    }
    MailLog log = system.log("local");
    CountDownLatch stopped = new CountDownLatch(1);
    try (PidFile held = pid.get();
        LocalServer server = LocalServer.open(LocalSocket.path(system.config()), queue,
            system.localDelivery(), system.passesMailboxes(), log)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close(); // intake stops; deliveries in progress finish
        } catch (IOException e) {
          log.warning("closing the local delivery socket: " + e.getMessage());
        }
        try {
          stopped.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "postern-local-stop"));
      log.info("local delivery service started -- version " + Version.TEXT + ", configuration "
          + configDir);
      server.serve();
      log.info("local delivery service terminating on signal 15");
    } finally {
      stopped.countDown();
    }
    return 0;
  }
}
