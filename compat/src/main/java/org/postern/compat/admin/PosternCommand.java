package org.postern.compat.admin;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.postern.compat.launch.Halt;
import org.postern.compat.mailq.ListingOrder;
import org.postern.engine.global.Config;
import org.postern.engine.global.Instance;
import org.postern.engine.global.Sysexit;
import org.postern.engine.posix.SystemUsers;
import org.postern.maps.passwd.UserDirectory;

/**
 * The {@code postern} admin command: {@code postern [-C DIR] VERB [ARGS]}, dispatching each
 * verb to its own small class.
 *
 * <p>Trusts its caller's flags and environment ({@code -C} and {@code POSTERN_CONFIG} only
 * select a directory the caller can read anyway). Owns nothing; the verbs own their work.
 * An unknown verb or bad flag is one {@code postern: ...} line plus a usage line on stderr and
 * EX_USAGE; the verbs map their own failures to sysexits codes. Only {@link #main} exits the
 * JVM. Not shared between threads.
 */
public final class PosternCommand {
  /** The line a listing the peer may not see gets on stderr (with EX_NOPERM). */
  public static final String LISTING_REFUSED = "postern: " + QueueVerb.NOT_PERMITTED;

  private static final String GLOBAL_USAGE = "usage: postern [-C config_dir] VERB [ARGS]";

  private final Map<String, String> env;
  /** Each verb made only when it is the one run (QueueVerb's clock reads the time zone rules). */
  private final Map<String, Supplier<Verb>> verbs = new TreeMap<>();
  /** Set by {@link #run} when the verb that ran started no thread and no shutdown hook. */
  private boolean startedNothing;

  /** A command reading its instance from {@code env} and system users through NSS. */
  public PosternCommand(Map<String, String> env) {
    this(env, new SystemUsers());
  }

  /** As above, with the system's user directory given (tests pass a passwd file). */
  PosternCommand(Map<String, String> env, UserDirectory systemUsers) {
    this.env = Map.copyOf(env);
    verbs.put("init", () -> new InitVerb(systemUsers));
    verbs.put("config", ConfigVerb::new);
    verbs.put("check", CheckVerb::new);
    verbs.put("lookup", LookupVerb::new);
    verbs.put("explain", ExplainVerb::new);
    verbs.put("queue", QueueVerb::new);
    verbs.put("local", LocalVerb::new);
    verbs.put("migrate", MigrateVerb::new);
    for (ControlVerb.Action a : ControlVerb.Action.values()) {
      verbs.put(a.name().toLowerCase(java.util.Locale.ROOT), () -> new ControlVerb(a));
    }
  }

  public static void main(String[] args) {
    PosternCommand command = new PosternCommand(System.getenv());
    int status = command.run(System.in, System.out, System.err, args);
    Halt.exit(status, command.startedNothing);
  }

  public int run(InputStream in, PrintStream out, PrintStream err, String... args) {
    CommandLine global;
    try {
      global = parseGlobal(args);
    } catch (ParseException e) {
      return usageError(err, e.getMessage(), GLOBAL_USAGE);
    }
    List<String> rest = global.getArgList();
    if (rest.isEmpty()) {
      return usageError(err, "missing verb", GLOBAL_USAGE);
    }
    String name = rest.get(0);
    Supplier<Verb> chosen = verbs.get(name);
    if (chosen == null) {
      String problem =
          name.startsWith("-") ? "unrecognized option: " + name : "unknown verb: " + name;
      return usageError(err, problem + " (verbs: " + String.join(", ", verbs.keySet()) + ")",
          GLOBAL_USAGE);
    }
    Verb verb = chosen.get();
    startedNothing = verb.startsNothing();
    Invocation invocation =
        new Invocation(in, out, err,
            Instance.configDir(Optional.ofNullable(global.getOptionValue("C")), env));
    try {
      return verb.run(invocation, rest.subList(1, rest.size()));
    } catch (UsageException e) {
      return usageError(err, e.getMessage(), verb.usage());
    } catch (RuntimeException e) {
      // The top of the command: a bug gets one line, not a stack trace on a user's terminal.
      invocation.complain("fatal: " + name + ": " + e);
      return Sysexit.EX_SOFTWARE.code();
    }
  }

  /** The global options ({@code -C}); they end at the verb, and the rest is the verb's. */
  private static CommandLine parseGlobal(String... args) throws ParseException {
    Options options = new Options();
    options.addOption(Option.builder("C").hasArg().argName("config_dir").get());
    return DefaultParser.builder().setStripLeadingAndTrailingQuotes(false).get()
        .parse(options, args, true);
  }

  /**
   * The listing {@code args} ask for when they are {@code [-C DIR] queue [list] ...} and
   * this command would have the daemon's showq service print it: for the daemon answering
   * the native front itself (the instance is the daemon's; the front found it from -C and
   * POSTERN_CONFIG as {@link #run} does). Empty for anything else: another verb or action,
   * a usage error, a mailq_format error; the command then runs and says so itself.
   * {@code tz} is the client's TZ; {@code config} the daemon's.
   */
  public static Optional<ListingOrder> daemonListing(List<String> args, Config config,
      Optional<String> tz) {
    CommandLine global;
    try {
      global = parseGlobal(args.toArray(String[]::new));
    } catch (ParseException e) {
      return Optional.empty();
    }
    List<String> rest = global.getArgList();
    if (rest.isEmpty() || !rest.get(0).equals("queue")) {
      return Optional.empty();
    }
    return QueueVerb.listingOrder(rest.subList(1, rest.size()), config, tz,
        System.currentTimeMillis());
  }

  private static int usageError(PrintStream err, String problem, String usage) {
    err.println("postern: " + problem);
    err.println(usage);
    return Sysexit.EX_USAGE.code();
  }
}
