package org.postern.compat.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.postern.compat.daemon.Daemon;
import org.postern.compat.daemon.DaemonControl;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;

/**
 * {@code postern start [--foreground]}, {@code stop}, {@code status}, {@code reload} and
 * {@code flush}: the daemon's life cycle, with {@code postfix}'s words and exit codes
 * (status: 0 running, 1 not running). {@code flush [DOMAIN]} is {@code postern queue flush}:
 * deferred mail due now and a queue run, whether or not the daemon runs.
 *
 * <p>Trusts the instance configuration; the work is DaemonControl's and Daemon's.
 */
final class ControlVerb implements Verb {
  /** The five verbs this class serves. */
  enum Action {
    START,
    STOP,
    STATUS,
    RELOAD,
    FLUSH
  }

  private final Action action;

  ControlVerb(Action action) {
    this.action = action;
  }

  @Override
  public String usage() {
    String name = action.name().toLowerCase(java.util.Locale.ROOT);
    return "usage: postern [-C config_dir] " + name
        + (action == Action.START ? " [--foreground] [--queue-run-delay DURATION]" : "")
        + (action == Action.FLUSH ? " [DOMAIN]" : "");
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    if (action == Action.FLUSH) {
      // postfix flush = postqueue -f: the queue verb's flush, which takes a domain too.
      List<String> queueArgs = new java.util.ArrayList<>(List.of("flush"));
      queueArgs.addAll(args);
      return new QueueVerb().run(inv, queueArgs);
    }
    boolean foreground = false;
    Optional<Duration> runDelay = Optional.empty();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (action == Action.START && a.equals("--foreground")) {
        foreground = true;
      } else if (action == Action.START && a.equals("--queue-run-delay") && i + 1 < args.size()) {
        runDelay = Optional.of(duration(args.get(++i)));
      } else {
        throw new UsageException("unexpected argument: " + a);
      }
    }
    try {
      if (foreground) {
        return new Daemon(inv.configDir(), runDelay).run(inv.err());
      }
      MailSystem system = MailSystem.open(Config.load(inv.configDir()));
      DaemonControl control = new DaemonControl(system.config(), inv.err());
      switch (action) {
        case START:
          // Refused here with EX_CONFIG, before anything starts (the daemon checks again).
          system.checkDelivery();
          String bin = System.getProperty("postern.bin");
          if (bin == null) {
            inv.complain("fatal: cannot find the launchers (postern.bin is not set)");
            return Sysexit.EX_SOFTWARE.code();
          }
          return control.start(Path.of(bin), runDelay);
        case STOP:
          return control.stop();
        case STATUS:
          return control.status();
        default:
          return control.reload();
      }
    } catch (ConfigException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (IOException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_IOERR.code();
    }
  }

  private static Duration duration(String text) throws UsageException {
    OptionalLong ms = Config.parseTime(text);
    if (ms.isEmpty()) {
      throw new UsageException("bad time: " + text + " (expected e.g. 30m)");
    }
    return Duration.ofMillis(ms.getAsLong());
  }
}
