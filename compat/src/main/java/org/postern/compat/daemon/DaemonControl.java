package org.postern.compat.daemon;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.postern.compat.privilege.MailOwnerSwitch;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.postern.engine.posix.Posix;
import org.postern.engine.util.ProcessIdentity;
import org.postern.maps.io.FileOwner;

/**
 * What {@code postern start|stop|status|reload} (and {@code sendmail -bd}) do to the daemon
 * from outside, with Postfix's messages and exit codes: start it in the background and wait
 * until it holds its pid file (a daemon that exits first is a failed start, with its own
 * fatal line), send SIGTERM and wait until it let go, send SIGHUP, report.
 *
 * <p>Trusts the pid file's lock, not its number alone: a pid is signalled only while the
 * lock says a daemon holds it, and only if it is a Postern process of the user that runs
 * that daemon (the mail owner writes master.pid; root signals nothing else by it). Signals
 * are sent with kill(2), not procps' kill. Stateless.
 */
public final class DaemonControl {
  /**
   * The daemon's heap, also set in etc/systemd/postern.service. A young generation of a fifth
   * (not a third) leaves the old one room for the listing index of 50,000 queued messages
   * (about 70 MB) beside one listing's entries: with a third, every listing of such a queue
   * took two or three full collections (100 ms each on a loaded 2-core machine).
   */
  static final String DAEMON_HEAP = "-Xmx128m -XX:NewRatio=4 -XX:MaxMetaspaceSize=96m";

  /** The local delivery service's heap, also set in etc/systemd/postern-local.service. */
  static final String LOCAL_HEAP = "-Xmx96m -XX:MaxMetaspaceSize=96m";

  private static final long START_WAIT_MILLIS = 20_000;
  private static final long STEP_MILLIS = 50;
  private static final int SIGHUP = 1;

  private final Path configDir;
  private final Path queueRoot;
  private final boolean localService;
  private final PrintStream err;

  public DaemonControl(Config config, PrintStream err) throws ConfigException {
    this.configDir = config.configDir();
    this.queueRoot = config.path(Params.QUEUE_DIRECTORY);
    this.localService = config.bool(Params.LOCAL_DELIVERY_SERVICE);
    this.err = err;
  }

  /** The running daemon's pid, if any. */
  public OptionalLong running() throws IOException {
    return PidFile.runningPid(queueRoot, PidFile.MASTER);
  }

  /** The running local delivery service's pid, if any. */
  private OptionalLong localRunning() throws IOException {
    return PidFile.runningPid(queueRoot, PidFile.LOCAL);
  }

  /**
   * As root on a system instance: makes the mail owner's daemon its pid file in root's pid/,
   * where it cannot create one itself (Postfix's check makes what is missing the same way);
   * the mail owner, or empty when no switch is needed (an instance run by its own user).
   */
  public static Optional<FileOwner> prepareDaemonPidFile(Path queueRoot) throws IOException {
    Optional<FileOwner> owner = MailOwnerSwitch.needed(queueRoot);
    if (owner.isPresent()) {
      PidFile.prepare(queueRoot, PidFile.MASTER, owner.get());
    }
    return owner;
  }

  /**
   * Starts the daemon in the background ({@code bin} holds our launchers), running the whole
   * queue every {@code runDelay} when given instead of queue_run_delay.
   */
  public int start(Path bin, Optional<Duration> runDelay) throws IOException {
    if (running().isPresent()) {
      err.println("postern: fatal: the Postern mail system is already running");
      return 1;
    }
    // Root starting a system instance: the daemon runs as the queue's owner with only
    // CAP_NET_BIND_SERVICE; the local delivery service (root's) is started first.
    Optional<FileOwner> owner = prepareDaemonPidFile(queueRoot);
    if (localService && localRunning().isEmpty()) {
      int started = startLocal(bin);
      if (started != 0) {
        return started;
      }
    }
    List<String> cmd = new ArrayList<>();
    if (owner.isPresent()) {
      cmd.addAll(MailOwnerSwitch.prefix(owner.get(), true));
    }
    cmd.addAll(List.of(bin.resolve("postern").toString(), "-C", configDir.toString(), "start",
        "--foreground"));
    runDelay.ifPresent(d -> cmd.addAll(List.of("--queue-run-delay", d.toSeconds() + "s")));
    Process child = background(cmd, DAEMON_HEAP, ProcessBuilder.Redirect.PIPE);
    StartupErrors errors = StartupErrors.follow(child.getErrorStream());
    long deadline = System.currentTimeMillis() + START_WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (running().isPresent()) {
        err.println("postern: starting the Postern mail system");
        return 0;
      }
      if (!child.isAlive() && running().isEmpty()) {
        // The daemon's own one-line reason (a port that cannot be opened), else ours.
        err.println(errors.fatalLine(child).orElse(
            "postern: fatal: the Postern mail system did not start (exit status "
            + child.exitValue() + "; see the mail log)"));
        return 1;
      }
      sleep();
    }
    err.println("postern: fatal: the Postern mail system did not start within "
        + START_WAIT_MILLIS / 1000 + "s");
    return 1;
  }

  /**
   * The local delivery service in the background, as this user (root on a system), and
   * waits until it holds its pid file.
   */
  private int startLocal(Path bin) throws IOException {
    Process child = background(
        List.of(bin.resolve("postern").toString(), "-C", configDir.toString(), "local"),
        LOCAL_HEAP, ProcessBuilder.Redirect.DISCARD);
    long deadline = System.currentTimeMillis() + START_WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (localRunning().isPresent()) {
        return 0;
      }
      if (!child.isAlive()) {
        break;
      }
      sleep();
    }
    err.println("postern: fatal: the local delivery service did not start (see the mail log)");
    return 1;
  }

  /**
   * A long-lived child in its own session, detached from our streams but for its standard
   * error, which goes to {@code stderr}.
   */
  private static Process background(List<String> command, String heap,
      ProcessBuilder.Redirect stderr) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      cmd.add("/usr/bin/setsid"); // its own session: the caller's terminal signals are not ours
    }
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // A long-lived process: full JIT, and a bounded heap (RSS stays under 256 MB with
    // 50,000 queued messages; tests/bench/bench-daemon.sh). The environment may override.
    pb.environment().putIfAbsent("POSTERN_HEAP", heap);
    pb.environment().putIfAbsent("POSTERN_JIT", "-XX:+TieredCompilation");
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr);
    return pb.start();
  }

  /**
   * SIGTERM, then waits for the daemon to finish its queue run and release the pid file;
   * then the same for the local delivery service, when it runs.
   */
  public int stop() throws IOException {
    OptionalLong pid = running();
    OptionalLong local = localRunning();
    if (pid.isEmpty() && local.isEmpty()) {
      err.println("postern: fatal: the Postern mail system is not running");
      return 1;
    }
    if (pid.isPresent() && !terminate(pid.getAsLong(), PidFile.MASTER)) {
      err.println("postern: fatal: the Postern mail system did not stop (PID "
          + pid.getAsLong() + ")");
      return 1;
    }
    if (local.isPresent() && !terminate(local.getAsLong(), PidFile.LOCAL)) {
      err.println("postern: fatal: the local delivery service did not stop (PID "
          + local.getAsLong() + ")");
      return 1;
    }
    err.println("postern: stopping the Postern mail system");
    return 0;
  }

  private boolean terminate(long pid, String name) throws IOException {
    ProcessHandle process = ours(pid, name);
    process.destroy();
    long deadline = System.currentTimeMillis() + Daemon.STOP_GRACE.toMillis() + 10_000;
    while (PidFile.runningPid(queueRoot, name).isPresent()) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      sleep();
    }
    return true;
  }

  /** Exit 0 and the pid when running, 1 when not ({@code postfix status}). */
  public int status() throws IOException {
    OptionalLong pid = running();
    if (pid.isEmpty()) {
      err.println("postern: the Postern mail system is not running");
      return 1;
    }
    err.println("postern: the Postern mail system is running: PID: " + pid.getAsLong());
    if (localService) {
      OptionalLong local = localRunning();
      err.println(local.isPresent()
          ? "postern: the local delivery service is running: PID: " + local.getAsLong()
          : "postern: warning: the local delivery service is not running; local mail waits");
    }
    return 0;
  }

  /** SIGHUP: the daemon re-reads main.cf between queue runs. */
  public int reload() throws IOException {
    OptionalLong pid = running();
    if (pid.isEmpty()) {
      err.println("postern: fatal: the Postern mail system is not running");
      return 1;
    }
    ours(pid.getAsLong(), PidFile.MASTER);
    try {
      Posix.kill(pid.getAsLong(), SIGHUP);
    } catch (IOException e) {
      err.println("postern: fatal: cannot signal PID " + pid.getAsLong() + ": " + e.getMessage());
      return 1;
    }
    err.println("postern: refreshing the Postern mail system");
    return 0;
  }

  /**
   * The process a pid file names, if it may be signalled: a Postern process of the user that
   * runs that daemon (the queue's owner for the mail system, root or that owner for the
   * local delivery service). The mail owner writes master.pid: root must not be made to
   * signal anything else by it.
   */
  private ProcessHandle ours(long pid, String name) throws IOException {
    int queueOwner = FileOwner.of(queueRoot).uid();
    int expected = name.equals(PidFile.MASTER) || queueOwner == ProcessIdentity.current().uid()
        ? queueOwner : 0;
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || realUid(pid) != expected || !process.get().info().commandLine()
        .map(c -> c.contains("org.postern.compat.")).orElse(false)) {
      throw new IOException("PID " + pid + " in " + PidFile.path(queueRoot, name)
          + " is not a Postern process of uid " + expected + "; not signalled");
    }
    return process.get();
  }

  /** The real uid of process {@code pid} (/proc/PID/status), -1 when it is gone. */
  private static int realUid(long pid) throws IOException {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return -1;
    }
    return -1;
  }

  private static void sleep() {
    try {
      Thread.sleep(STEP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
