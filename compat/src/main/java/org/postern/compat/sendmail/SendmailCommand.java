package org.postern.compat.sendmail;

import org.postern.compat.privilege.MailOwnerSwitch;
import org.postern.maps.io.FileOwner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.postern.compat.daemon.Daemon;
import org.postern.compat.daemon.DaemonControl;
import org.postern.compat.launch.Halt;
import org.postern.compat.mailq.MailqCommand;
import org.postern.compat.submit.SubmitClient;
import org.postern.compat.submit.SubmitRequest;
import org.postern.compat.submit.SubmitSocket;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Instance;
import org.postern.engine.global.Sysexit;
import org.postern.engine.master.MailSystem;
import org.postern.engine.smtpd.StdioSession;
import org.postern.engine.util.ProcessIdentity;

/**
 * The sendmail(8) front end: parses the command line as sendmail 8.17 does (argv[0] first,
 * so {@code newaliases} and {@code mailq} links work), opens the instance, runs the mode,
 * and maps the outcome to one sysexits code. A message submission goes to the running daemon
 * over the instance's submission socket, else into the maildrop; a listing (-bp, -bP, mailq)
 * is the running daemon's answer on that socket, else read here.
 *
 * <p>Trusts nothing on the command line or stdin. Never prints a stack trace: usage errors
 * exit 64, configuration errors 78, anything unexpected 70 with one line. Not thread-safe.
 */
public final class SendmailCommand {
  private final Map<String, String> env;
  private final String programName;
  /** Set by {@link #run} when the mode that ran started no thread and no shutdown hook. */
  private boolean startedNothing;

  public SendmailCommand(Map<String, String> env, String programName) {
    this.env = Map.copyOf(env);
    this.programName = programName;
  }

  public static void main(String[] args) {
    String argv0 = System.getProperty("postern.argv0", "sendmail");
    SendmailCommand command = new SendmailCommand(System.getenv(), argv0);
    int status = command.run(System.in, System.out, System.err, args);
    Halt.exit(status, command.startedNothing);
  }

  public int run(InputStream in, PrintStream out, PrintStream err, String... args) {
    SendmailOptions opts;
    try {
      opts = SendmailOptionParser.parse(programName, Arrays.asList(args));
    } catch (UsageException e) {
      err.println(e.line());
      return e.sysexit().code();
    }
    if (opts.printVersion()) {
      out.println("Version " + Version.TEXT);
    }
    try {
      return dispatch(opts, in, out, err, args);
    } catch (ConfigException e) {
      err.println(programName + ": fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (RuntimeException e) {
      err.println(programName + ": fatal: internal error: " + e);
      return Sysexit.EX_SOFTWARE.code();
    }
  }

  private int dispatch(
      SendmailOptions opts, InputStream in, PrintStream out, PrintStream err, String[] args)
      throws ConfigException {
    switch (opts.mode()) {
      case HOST_STATUS:
      case PURGE_HOST_STATUS:
        return Sysexit.EX_OK.code(); // no persistent host status database (as Postfix)
      default:
        break;
    }
    Config config = Instance.load(opts.configDir(), env);
    if (ListingMode.applies(opts)) {
      // The daemon lists from what it knows of its queue, main.cf warnings included.
      OptionalInt served = SubmitClient.submit(SubmitSocket.path(config),
          new SubmitRequest(Arrays.asList(args), programBase(), clientEnv()), in, out, err,
          content -> { }); // a listing has no dead letter
      if (served.isPresent()) {
        return served.getAsInt();
      }
    }
    for (String warning : config.mainCf().warnings()) {
      err.println(programName + ": warning: " + warning);
    }
    Streams io = new Streams(in, out, err, programName);
    if (opts.mode() == OperationMode.NEWALIASES) {
      // Alias files need only the configuration, as for Postfix's newaliases and sendmail's:
      // the mail system (log, queue, tables) is not assembled, so a broken virtusertable or
      // canonical map does not stop the aliases from being rebuilt.
      startedNothing = true;
      return new NewaliasesMode(config, opts, io).run();
    }
    MailSystem system = MailSystem.open(config);
    Optional<Duration> interval = opts.queueRun().filter(q -> !q.once()).map(QueueRun::interval);
    switch (opts.mode()) {
      case DAEMON:
        return startDaemon(system, interval, err);
      case DAEMON_FOREGROUND:
        try {
          return new Daemon(config.configDir(), interval).run(err);
        } catch (IOException e) {
          err.println(programName + ": fatal: " + e.getMessage());
          return Sysexit.EX_OSERR.code();
        }
      case DELIVER:
        return submit(system, opts, io, args);
      case QUEUE_RUN:
        if (interval.isPresent()) {
          return startDaemon(system, interval, err); // sendmail -q30m: the periodic runner
        }
        Optional<Integer> switched = asMailOwner(system, args, err);
        return switched.isPresent() ? switched.get()
            : new QueueRunMode(system, opts, io, env).run();
      case PRINT_QUEUE:
      case QUEUE_COUNT:
        return ListingMode.run(new MailqCommand(system), opts, out, err);
      case VERIFY:
        return new VerifyMode(system, opts, io).run();
      case SMTP_STDIO:
        return smtpOnStdio(system, opts, io);
      case CHECK_CONFIG:
        return Sysexit.EX_OK.code(); // opening the mail system above checked main.cf and users
      default:
        err.println(
            programName + ": mode -b" + opts.mode().letter() + " is not available in this version");
        return Sysexit.EX_UNAVAILABLE.code();
    }
  }

  /**
   * A message submission: to the running daemon over its socket when it takes it, else
   * (daemon down, busy, or not serving this, or -v) into the maildrop as before.
   */
  private int submit(MailSystem system, SendmailOptions opts, Streams io, String[] args)
      throws ConfigException {
    ProcessIdentity me;
    try {
      me = ProcessIdentity.current();
    } catch (IOException e) {
      io.err().println(io.program() + ": cannot tell who is running: " + e.getMessage());
      return Sysexit.EX_OSERR.code();
    }
    // -v delivers in this process, to show the dialogue; the daemon could not.
    OptionalInt viaDaemon = opts.verbose() ? OptionalInt.empty() :
        SubmitClient.submit(
            SubmitSocket.path(system.config()),
            new SubmitRequest(Arrays.asList(args), programBase(), clientEnv()),
            io.in(),
            io.out(),
            io.err(),
            content -> new DeadLetter(system, io, me).save(content));
    if (viaDaemon.isPresent()) {
      return viaDaemon.getAsInt();
    }
    return new SubmitMode(system, opts, io, env, me, new MaildropIntake(system, opts, io, env, me))
        .run();
  }

  /** argv[0]'s basename, as the protocol carries it. */
  private String programBase() {
    return programName.substring(programName.lastIndexOf('/') + 1);
  }

  /** The environment the daemon uses: the full name (NAME) and the listing's zone (TZ). */
  private Map<String, String> clientEnv() {
    Map<String, String> sent = new HashMap<>();
    for (String name : List.of("NAME", "TZ")) {
      if (env.containsKey(name)) {
        sent.put(name, env.get(name));
      }
    }
    return sent;
  }

  /**
   * {@code sendmail -bs}: SMTP on stdin/stdout, messages into the maildrop as this user, then
   * delivery started as for a command-line submission (-od).
   */
  private int smtpOnStdio(MailSystem system, SendmailOptions opts, Streams io)
      throws ConfigException {
    ProcessIdentity me;
    try {
      me = ProcessIdentity.current();
    } catch (IOException e) {
      io.err().println(io.program() + ": cannot tell who is running: " + e.getMessage());
      return Sysexit.EX_OSERR.code();
    }
    if (!StdioSession.run(system, io.in(), io.out())) {
      return Sysexit.EX_OK.code();
    }
    return new MaildropIntake(system, opts, io, env, me).startDelivery(Optional.empty());
  }

  /**
   * Root running the queue of a system instance: the run is the mail owner's, so this
   * command runs again as that user (MailOwnerSwitch); empty when no switch is needed.
   */
  private Optional<Integer> asMailOwner(MailSystem system, String[] args, PrintStream err) {
    try {
      Optional<FileOwner> owner = MailOwnerSwitch.needed(system.queue().root());
      return owner.isEmpty() ? Optional.empty()
          : Optional.of(MailOwnerSwitch.run(owner.get(), "sendmail", Arrays.asList(args)));
    } catch (IOException e) {
      err.println(programName + ": fatal: " + e.getMessage());
      return Optional.of(Sysexit.EX_OSERR.code());
    }
  }

  /** {@code sendmail -bd}, {@code -bd -q30m}, {@code -q30m}: the daemon, in the background. */
  private int startDaemon(MailSystem system, Optional<Duration> interval, PrintStream err)
      throws ConfigException {
    String bin = System.getProperty("postern.bin");
    if (bin == null) {
      err.println(programName + ": fatal: cannot find the launchers (postern.bin is not set)");
      return Sysexit.EX_SOFTWARE.code();
    }
    try {
      system.checkDelivery(); // refused with EX_CONFIG before anything starts
      return new DaemonControl(system.config(), err)
          .start(Path.of(bin), interval) == 0 ? Sysexit.EX_OK.code() : Sysexit.EX_OSERR.code();
    } catch (IOException e) {
      err.println(programName + ": fatal: " + e.getMessage());
      return Sysexit.EX_OSERR.code();
    }
  }
}
