package org.postern.compat.daemon;

import org.postern.compat.mailq.ShowqServer;
import org.postern.engine.queue.QueueDirectory;
import org.postern.compat.privilege.MailOwnerSwitch;
import org.postern.engine.global.Sysexit;
import org.postern.maps.io.FileOwner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postern.compat.sendmail.Version;
import org.postern.compat.submit.SubmissionServer;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.master.MailSystem;
import org.postern.engine.qmgr.QueueRunner;
import org.postern.engine.qmgr.RunnerLock;
import org.postern.engine.qmgr.Scheduler;
import org.postern.engine.showq.QueueScanner;
import org.postern.engine.smtpd.SmtpListener;
import org.postern.engine.smtpd.StandardPolicy;
import sun.misc.Signal;

/**
 * The long-running mail system ({@code postern start --foreground}, what systemd runs): holds
 * the pid file, serves the submission socket and the SMTP listeners, and feeds its queue
 * {@link Scheduler} whenever the socket queues a message or a maildrop submitter leaves a
 * trigger, and every {@code queue_run_delay} for deferred mail; the scheduler starts each
 * message at once, so a slow delivery delays only itself. SIGHUP re-reads main.cf and the
 * SMTP policy for new SMTP sessions and new deliveries (tables follow their rebuilds on their
 * own): SMTP sessions and deliveries in progress finish under the settings they started
 * with, and a listening address still configured keeps its socket, so no connection is
 * refused or dropped (the submission socket is reopened; a submitter in that instant uses
 * the maildrop). An smtpd_listen address that cannot be bound is a failed start (exit 1,
 * the reason on stderr, before the pid file is taken) and, on reload, keeps the listeners
 * as they were. SIGTERM stops intake, lets deliveries in progress finish for up to
 * {@link #DELIVERY_GRACE}, and abandons the rest: every queue step is crash-safe, so nothing
 * acknowledged is lost either way (active/ is recovered at the next start).
 *
 * <p>Trusts its configuration directory. The scheduler takes the runner lock like any
 * {@code sendmail -q} (see RunnerLock), so commands and the daemon never deliver the same
 * message twice. One instance per process.
 */
public final class Daemon {
  private static final String ALREADY_RUNNING =
      "postern: fatal: the Postern mail system is already running";

  /** How long a stop waits for the daemon to let go of its pid file. */
  static final Duration STOP_GRACE = Duration.ofSeconds(20);

  /** How long a stop lets deliveries in progress finish before abandoning them. */
  private static final Duration DELIVERY_GRACE = Duration.ofSeconds(10);

  /** How long after start the deferred queue is first scanned. */
  private static final long FIRST_DEFERRED_SCAN_MILLIS = 10_000;

  /** How often the trigger file is looked at when nothing else wakes the daemon. */
  private static final long POLL_MILLIS = 200;

  private final Path configDir;
  private final Optional<Duration> runDelayOverride;
  private final Object wake = new Object();
  private boolean woken;
  private volatile boolean stopping;
  private volatile boolean reloadWanted;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile SubmissionServer submission;
  private volatile ShowqServer showq;
  private volatile SmtpListener smtp;

  /** {@code runDelay} overrides queue_run_delay ({@code sendmail -bd -q30m}). */
  public Daemon(Path configDir, Optional<Duration> runDelay) {
    this.configDir = configDir;
    this.runDelayOverride = runDelay;
  }

  /** Runs until stopped; the exit status for the command. */
  public int run(PrintStream err) throws ConfigException, IOException {
    MailSystem system = checked(MailSystem.open(Config.load(configDir)));
    Path queueRoot = system.queue().root();
    Optional<FileOwner> owner = MailOwnerSwitch.needed(queueRoot);
    if (owner.isPresent()) {
      // Files root made in the queue would be unreadable for the mail owner's daemon.
      err.println("postern: fatal: the queue belongs to uid " + owner.get().uid()
          + ": root starts the daemon with \"postern start\" (or postern.service), which runs"
          + " it as that user");
      return Sysexit.EX_NOPERM.code();
    }
    if (PidFile.runningPid(queueRoot, PidFile.MASTER).isPresent()) {
      err.println(ALREADY_RUNNING);
      return 1;
    }
    MailLog log = system.log("master");
    // The SMTP listeners before the pid file: "postern start" reports success only once the
    // pid file is held, so a port that cannot be opened is a failed start (Postfix's master).
    try {
      openSmtp(system);
    } catch (IOException | ConfigException e) {
      log.fatal(e.getMessage());
      err.println("postern: fatal: " + e.getMessage());
      return 1;
    }
    Optional<PidFile> pid = PidFile.claim(queueRoot, PidFile.MASTER);
    if (pid.isEmpty()) {
      closeListener();
      err.println(ALREADY_RUNNING);
      return 1;
    }
    try (PidFile held = pid.get()) {
      openSubmission(system.config(), log);
      log.info("daemon started -- version " + Version.TEXT + ", configuration " + configDir);
      Signal.handle(new Signal("HUP"), s -> reload());
      Thread hook = new Thread(this::stopFromSignal, "postern-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      serve(system, log);
      log.info("terminating on signal 15");
    } finally {
      closeListener();
      stopped.countDown();
    }
    return 0;
  }

  /**
   * {@code system}, whose local delivery settings are refused now rather than at the first
   * local mail, when this process delivers locally (the local delivery service checks its
   * own at its start).
   */
  private static MailSystem checked(MailSystem system) throws ConfigException, IOException {
    if (!system.config().bool(Params.LOCAL_DELIVERY_SERVICE)) {
      system.checkDelivery();
    }
    return system;
  }

  private void serve(MailSystem start, MailLog startLog) throws ConfigException, IOException {
    MailSystem system = start;
    MailLog log = startLog;
    // One scheduler for the daemon's life: a reload changes the components of new
    // deliveries, not the deliveries in flight.
    Scheduler scheduler = system.scheduler(this::wake);
    // New mail (and what a crash left in active/) first; the deferred queue a little later,
    // so a restart with a big queue serves new mail at once.
    wake();
    long next = System.currentTimeMillis() + Math.min(FIRST_DEFERRED_SCAN_MILLIS,
        runDelay(system, log));
    boolean heldElsewhere = false;
    try {
      while (!stopping) {
        if (reloadWanted) {
          reloadWanted = false;
          try {
            MailSystem reloaded = checked(MailSystem.open(Config.load(configDir)));
            relisten(reloaded, reloaded.log("master"));
            system = reloaded;
            log = reloaded.log("master");
            log.info("reload -- version " + Version.TEXT + ", configuration " + configDir);
          } catch (ConfigException | IOException e) {
            log.error("reload failed, keeping the running configuration: " + e.getMessage());
          }
        }
        boolean periodic = System.currentTimeMillis() >= next;
        boolean arrived = takeWake() | RunnerLock.triggered(system.queue().root());
        if (periodic || arrived || heldElsewhere) {
          heldElsewhere = !feed(system, scheduler, periodic, log);
          if (periodic && !heldElsewhere) {
            next = System.currentTimeMillis() + runDelay(system, log);
          }
        }
        pause();
      }
    } finally {
      scheduler.close(DELIVERY_GRACE);
    }
  }

  /**
   * Starts new mail, and on {@code periodic} the deferred mail whose time has come, without
   * waiting for deliveries; false when a queue run by hand holds the queue (look again soon).
   */
  private static boolean feed(MailSystem system, Scheduler scheduler, boolean periodic,
      MailLog log) {
    try {
      return system.schedule(scheduler, periodic ? QueueRunner.Scope.DUE : QueueRunner.Scope.NEW);
    } catch (IOException | ConfigException | RuntimeException e) {
      // Nothing is lost: the queue is as the failed scan left it; try again later.
      log.error("queue scan failed: " + e);
      return true;
    }
  }

  /**
   * A reload: the SMTP listener takes the new settings for new sessions (a bad value changes
   * nothing: ConfigException), then the submission socket is reopened with them.
   */
  private void relisten(MailSystem system, MailLog log) throws ConfigException {
    smtp.reload(system.config(), system, policies(system));
    closeSubmission();
    openSubmission(system.config(), log);
  }

  private void openSubmission(Config config, MailLog log) {
    // One scanner for both sockets' listings: what it remembers of the queue serves both.
    QueueDirectory queue = new QueueDirectory(config.path(Params.QUEUE_DIRECTORY));
    QueueScanner listings = QueueScanner.remembering(queue, MailLog.open(config, "showq"));
    try {
      SubmissionServer server = SubmissionServer.open(config, this::wake,
          SubmissionServer.Limits.DEFAULT, listings);
      start(server::serve, "postern-submission");
      submission = server;
    } catch (IOException | ConfigException e) {
      // Submitters fall back to the maildrop, which this daemon picks up: nothing is lost.
      log.error("cannot open the submission socket: " + e.getMessage()
          + "; sendmail uses the maildrop");
    }
    try {
      ShowqServer server = ShowqServer.open(config, queue, listings);
      start(server::serve, "postern-showq");
      showq = server;
    } catch (IOException e) {
      log.error("cannot open the showq socket: " + e.getMessage()
          + "; only the mail owner and root can list the queue");
    }
  }

  /** Binds every smtpd_listen address and serves them; one that cannot be bound fails all. */
  private void openSmtp(MailSystem system) throws IOException, ConfigException {
    SmtpListener listener =
        SmtpListener.open(system.config(), system, policies(system), this::wake);
    start(listener::serve, "postern-smtpd");
    smtp = listener;
  }

  /** The policy of each listener port, from that port's view of main.cf. */
  private static SmtpListener.PolicySource policies(MailSystem system) {
    return config -> new StandardPolicy(config, system);
  }

  private static void start(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  private void closeListener() {
    closeSubmission();
    SmtpListener l = smtp;
    smtp = null;
    try {
      if (l != null) {
        l.close();
      }
    } catch (IOException e) {
      // Sockets die with the process; nothing acknowledged depends on them.
    }
  }

  private void closeSubmission() {
    SubmissionServer s = submission;
    ShowqServer q = showq;
    submission = null;
    showq = null;
    try {
      if (s != null) {
        s.close();
      }
      if (q != null) {
        q.close();
      }
    } catch (IOException e) {
      // A stale socket file is replaced when the socket is opened again.
    }
  }

  /** Re-reads main.cf at the loop's next turn ({@code postern reload}, SIGHUP). */
  public void reload() {
    reloadWanted = true;
    wake();
  }

  /** Stops as SIGTERM does: intake ends, deliveries in progress get {@link #DELIVERY_GRACE}. */
  public void stop() {
    stopping = true;
    wake();
  }

  /** Wakes the loop now (a message was queued through the socket, or a signal came). */
  public void wake() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  private boolean takeWake() {
    synchronized (wake) {
      boolean w = woken;
      woken = false;
      return w;
    }
  }

  private void pause() {
    synchronized (wake) {
      if (!woken && !stopping) {
        try {
          wake.wait(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
        }
      }
    }
  }

  /**
   * The shutdown hook (SIGTERM, SIGINT): asks the loop to end and waits a while for it to
   * release the pid file (not for the thread: it may be blocked in System.exit by then).
   */
  private void stopFromSignal() {
    stop();
    try {
      stopped.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long runDelay(MailSystem system, MailLog log) {
    if (runDelayOverride.isPresent()) {
      return Math.max(1000, runDelayOverride.get().toMillis());
    }
    try {
      return Math.max(1000, system.config().millis(Params.QUEUE_RUN_DELAY));
    } catch (ConfigException e) {
      log.warning(e.getMessage() + ": using 300s");
      return 300_000;
    }
  }
}
