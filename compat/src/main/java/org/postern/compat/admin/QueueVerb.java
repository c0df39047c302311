package org.postern.compat.admin;

import org.postern.compat.privilege.MailOwnerSwitch;
import org.postern.maps.io.FileOwner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.postern.compat.mailq.ListingOrder;
import org.postern.compat.mailq.QueueAccess;
import org.postern.compat.mailq.QueuePrinter;
import org.postern.compat.mailq.ShowqClient;
import org.postern.compat.mailq.ShowqServer;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Sysexit;
import org.postern.engine.global.TempFailException;
import org.postern.engine.master.MailSystem;
import org.postern.engine.qmgr.QueueRunner;
import org.postern.engine.queue.DeliveryStatus;
import org.postern.engine.queue.QueueEditor;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;
import org.postern.engine.showq.QueueEntry;
import org.postern.engine.showq.QueueScanner;

/**
 * {@code postern queue}: the queue administration verbs, Postfix's postqueue and postsuper
 * in one place. {@code list} (the default; mailq's listing in this instance's
 * mailq_format, or postqueue -j lines with {@code --json}), {@code show ID}, {@code hold},
 * {@code release}, {@code delete} and {@code requeue} (see {@link QueueChange} and {@link
 * QueueSelection}), and {@code flush [DOMAIN]} (make deferred mail due now, all of it or
 * that with a recipient in DOMAIN, then run the queue in this process, waiting for a
 * running queue run first).
 *
 * <p>{@code list} has the running daemon's showq service print it (the daemon applies the
 * same rules to the kernel's word on who is asking, and its compiled code formats the
 * listing; we copy the bytes); without a daemon it reads the queue here. A daemon that hangs
 * (60 s without a byte) or cuts the listing short is EX_TEMPFAIL. Trusts {@link QueueAccess} for who may see and change what; the file modes apply on
 * top (a caller the queue files refuse is "not permitted", EX_NOPERM). Bad usage is a
 * UsageException (EX_USAGE); configuration errors EX_CONFIG; queue I/O errors EX_IOERR.
 * Stateless between runs.
 */
final class QueueVerb implements Verb {
  /** The refusal of a listing, after "postern: ". */
  static final String NOT_PERMITTED = "queue: You are not permitted to see the queue";

  private static final Set<String> CHANGES = Set.of("hold", "release", "delete", "requeue");

  /** Empty: the system's, whose zone is read only when this process prints a listing. */
  private final Optional<Clock> fixed;

  QueueVerb() {
    this.fixed = Optional.empty();
  }

  /** With a given clock: its zone dates listings, its time drives --older-than. */
  QueueVerb(Clock clock) {
    this.fixed = Optional.of(clock);
  }

  // Loading the zone rules costs 20-60 ms of start-up; the daemon's listing needs only TZ.
  private Clock clock() {
    return fixed.orElseGet(Clock::systemDefaultZone);
  }

  private long nowMillis() {
    return fixed.map(Clock::millis).orElseGet(System::currentTimeMillis);
  }

  /** The zone we show times in, as TZ: a given clock's, else the environment's. */
  private Optional<String> tz() {
    return fixed.map(c -> c.getZone().getId()).or(() -> Optional.ofNullable(System.getenv("TZ")));
  }

  @Override
  public String usage() {
    return "usage: postern [-C config_dir] queue [list] [--json] [-v] [filters]"
        + " | show ID | {hold|release|delete|requeue} [--dry-run] [filters] [ID...|-|ALL]"
        + " | flush [DOMAIN]   (filters: --from ADDR --to ADDR --older-than DURATION)";
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    String action = action(args);
    CommandLine cl = parse(action, actionArgs(args));
    try {
      Config config = Config.load(inv.configDir());
      if (action.equals("list")) {
        // Asked before the mail system is opened (its users and tables): the daemon has them.
        Optional<Integer> listed = listFromDaemon(inv, cl, config);
        if (listed.isPresent()) {
          return listed.get();
        }
      }
      MailSystem system = MailSystem.open(config);
      Optional<FileOwner> owner = MailOwnerSwitch.needed(system.queue().root());
      if (owner.isPresent()) {
        // Root on a system instance: queue changes and runs are the mail owner's.
        return asMailOwner(inv, owner.get(), args);
      }
      QueueAccess access = QueueAccess.of(system.config(), system.queue().root());
      return dispatch(inv, action, cl, system, access);
    } catch (ConfigException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (AccessDeniedException e) {
      return notPermitted(inv);
    } catch (IOException e) {
      inv.complain("queue: " + ErrorLine.of(e));
      return Sysexit.EX_IOERR.code();
    }
  }

  private static int asMailOwner(Invocation inv, FileOwner owner, List<String> args)
      throws IOException {
    List<String> again = new java.util.ArrayList<>(
        List.of("-C", inv.configDir().toString(), "queue"));
    again.addAll(args);
    return MailOwnerSwitch.run(owner, "postern", again);
  }

  private int dispatch(Invocation inv, String action, CommandLine cl, MailSystem system,
      QueueAccess access) throws UsageException, IOException, ConfigException {
    List<String> operands = cl.getArgList();
    if (action.equals("list")) {
      return list(inv, cl, system, access);
    }
    if (action.equals("show")) {
      if (operands.size() != 1) {
        throw new UsageException("queue: show takes exactly one queue id");
      }
      return show(inv, operands.get(0), system, access);
    }
    if (action.equals("flush")) {
      if (operands.size() > 1) {
        throw new UsageException("queue: flush takes at most one domain");
      }
      return flush(inv, operands.stream().findFirst(), system);
    }
    QueueSelection selection = QueueSelection.of(cl, operands, inv.in(), nowMillis());
    if (selection.isEmpty()) {
      throw new UsageException("queue: " + action + ": no messages selected"
          + " (give queue ids, - to read them from stdin, ALL, or a filter)");
    }
    QueueChange.Action change = QueueChange.Action.valueOf(action.toUpperCase(Locale.ROOT));
    return new QueueChange(inv, system, access, change, cl.hasOption("dry-run"))
        .run(selection);
  }

  /**
   * The listing printed by the running daemon's showq service, which reads the queue for
   * whoever it may list it for (QueueAccess, by the kernel's peer credentials) and streams
   * the bytes we would print; empty when no daemon answers (the listing is then read here).
   * A daemon that hangs or cuts the listing short is EX_TEMPFAIL, with no second try here.
   */
  private Optional<Integer> listFromDaemon(Invocation inv, CommandLine cl, Config config)
      throws UsageException, ConfigException {
    ListingOrder order = order(inv, cl, config);
    try {
      if (!new ShowqClient(ShowqServer.path(config)).print(order, inv.out())) {
        return Optional.of(notPermitted(inv));
      }
      return Optional.of(Sysexit.EX_OK.code());
    } catch (IOException noDaemon) {
      return Optional.empty();
    } catch (TempFailException e) {
      inv.complain("queue: " + e.getMessage());
      return Optional.of(Sysexit.EX_TEMPFAIL.code());
    }
  }

  /** What {@code list} prints: its layout, -v, filters, and our zone. */
  private ListingOrder order(Invocation inv, CommandLine cl, Config config)
      throws UsageException, ConfigException {
    return order(cl, config, nowMillis(), tz());
  }

  private static ListingOrder order(CommandLine cl, Config config, long nowMillis,
      Optional<String> tz) throws UsageException, ConfigException {
    if (!cl.getArgList().isEmpty()) {
      throw new UsageException("queue: list takes no operands: " + cl.getArgList().get(0));
    }
    // No operands: nothing is read from stdin.
    QueueSelection selection =
        QueueSelection.of(cl, List.of(), InputStream.nullInputStream(), nowMillis);
    QueuePrinter.Layout human = QueuePrinter.layout(config); // checked for --json too
    return new ListingOrder(cl.hasOption("json") ? QueuePrinter.Layout.JSON : human,
        cl.hasOption("v"), selection.filter(), tz);
  }

  /**
   * The order {@link #run} would send the daemon for {@code args} (what follows the verb),
   * with the same parsing and checks; empty when it would not (another action, a usage
   * error, a bad mailq_format: the command prints those itself).
   */
  static Optional<ListingOrder> listingOrder(List<String> args, Config config,
      Optional<String> tz, long nowMillis) {
    if (!action(args).equals("list")) {
      return Optional.empty();
    }
    try {
      return Optional.of(order(parse("list", actionArgs(args)), config, nowMillis, tz));
    } catch (UsageException | ConfigException e) {
      return Optional.empty(); // the command runs and reports it
    }
  }

  // "postern queue" and "postern queue --json" are "postern queue list ...".
  private static boolean named(List<String> args) {
    return !args.isEmpty() && !args.get(0).startsWith("-");
  }

  private static String action(List<String> args) {
    return named(args) ? args.get(0) : "list";
  }

  private static List<String> actionArgs(List<String> args) {
    return named(args) ? args.subList(1, args.size()) : args;
  }

  private int list(Invocation inv, CommandLine cl, MailSystem system, QueueAccess access)
      throws UsageException, IOException, ConfigException {
    ListingOrder order = order(inv, cl, system.config());
    if (!access.mayList()) {
      return notPermitted(inv);
    }
    order.print(inv.out(), system.queue().root().toString(), clock(),
        new QueueScanner(system.queue(), system.log("showq")).scan());
    return Sysexit.EX_OK.code();
  }

  private int show(Invocation inv, String text, MailSystem system, QueueAccess access)
      throws IOException {
    QueueScanner scanner = new QueueScanner(system.queue(), system.log("showq"));
    Optional<QueueEntry> entry =
        QueueId.isValid(text) ? scanner.find(new QueueId(text)) : Optional.empty();
    if (entry.isEmpty()) {
      inv.complain("queue: " + MailLog.printable(text) + ": no such message");
      return 1;
    }
    if (!access.mayChange(entry.get())) {
      inv.complain("queue: " + text + ": permission denied"); // a valid id: printable
      return Sysexit.EX_NOPERM.code();
    }
    QueueId id = entry.get().id();
    MessageDump dump = new MessageDump(clock().getZone());
    // Read it where it is now; a queue run may move it once between looking and reading.
    for (int tries = 0; tries < 2; tries++) {
      Optional<QueueState> where = system.queue().locate(id);
      if (where.isEmpty()) {
        break;
      }
      try {
        dump.print(inv.out(), where.get(),
            QueueFileReader.read(system.queue().file(where.get(), id)),
            DeliveryStatus.read(system.queue().statusFile(id)));
        return Sysexit.EX_OK.code();
      } catch (NoSuchFileException e) {
        // moved meanwhile: look again
      }
    }
    inv.complain("queue: " + text + ": no such message");
    return 1;
  }

  private int flush(Invocation inv, Optional<String> domain, MailSystem system)
      throws IOException, ConfigException {
    QueueEditor editor = new QueueEditor(system.queue(), system.log("postsuper"));
    for (QueueEntry e : new QueueScanner(system.queue(), system.log("showq")).scan()) {
      if (e.state() == QueueState.DEFERRED && domain.map(d -> hasDomain(e, d)).orElse(true)
          && editor.makeDue(e.id(), false) == QueueEditor.Result.DONE) {
        inv.out().println(e.id() + ": due now");
      }
    }
    QueueRunner.Report report = system.runQueue(false);
    inv.out().println("queue run: " + report.attempted() + " attempted, "
        + report.deferred().size() + " deferred");
    return Sysexit.EX_OK.code();
  }

  /** Whether a pending recipient's domain is {@code domain} (case-insensitive). */
  private static boolean hasDomain(QueueEntry e, String domain) {
    for (String address : e.pendingAddresses()) {
      int at = address.lastIndexOf('@');
      if (at >= 0 && address.substring(at + 1).equalsIgnoreCase(domain)) {
        return true;
      }
    }
    return false;
  }

  private static int notPermitted(Invocation inv) {
    inv.complain(NOT_PERMITTED);
    return Sysexit.EX_NOPERM.code();
  }

  private static CommandLine parse(String action, List<String> args) throws UsageException {
    Options options = new Options();
    boolean filters = action.equals("list") || CHANGES.contains(action);
    if (!filters && !action.equals("show") && !action.equals("flush")) {
      throw new UsageException("queue: unknown action: " + action);
    }
    if (action.equals("list")) {
      options.addOption(Option.builder().longOpt("json").desc("postqueue -j lines").get());
      options.addOption("v", false, "verbose listing (mailq -v)");
    }
    if (filters) {
      options.addOption(Option.builder().longOpt("from").hasArg().argName("ADDR").get());
      options.addOption(Option.builder().longOpt("to").hasArg().argName("ADDR").get());
      options.addOption(
          Option.builder().longOpt("older-than").hasArg().argName("DURATION").get());
    }
    if (CHANGES.contains(action)) {
      options.addOption(Option.builder().longOpt("dry-run").get());
    }
    try {
      return DefaultParser.builder().setStripLeadingAndTrailingQuotes(false).get()
          .parse(options, args.toArray(String[]::new));
    } catch (ParseException e) {
      throw new UsageException("queue: " + action + ": " + e.getMessage());
    }
  }
}
