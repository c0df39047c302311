package org.postern.compat.admin;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;
import org.postern.engine.global.MainCf;
import org.postern.engine.global.ParameterName;
import org.postern.engine.global.Params;
import org.postern.engine.global.Sysexit;

/**
 * {@code postern [-C DIR] config [-n | -d] [-h] [NAME...]}: prints main.cf parameters, as
 * postconf does, so scripts can find the spool, queue and alias paths.
 *
 * <p>With names, each value alone on its line ({@code -h} is accepted and changes nothing);
 * without, every known parameter as {@code name = value}, sorted. Plain values are effective
 * ones ({@link ParameterValues}: expanded, paths absolute); {@code -n} prints only what main.cf
 * sets, as written, unknown names included; {@code -d} prints the built-in defaults and reads
 * no main.cf (they are the same for every instance). Every main.cf setting of an unknown
 * parameter is warned about with file and line, a likely typo. An unknown NAME asked for is
 * warned about and skipped (exit 0, as postconf). {@code PORT.name} asks for the value of
 * the SMTP listeners on PORT (main.cf's {@code PORT.name}, else the listener default, else
 * {@code name}); main.cf may set it for any known name. A missing or malformed main.cf is one
 * {@code postern: fatal:} line and EX_CONFIG. Stateless between runs.
 */
final class ConfigVerb implements Verb {
  @Override
  public String usage() {
    return "usage: postern [-C config_dir] config [-n | -d] [-h] [name...]";
  }

  /** It only reads main.cf and prints. */
  @Override
  public boolean startsNothing() {
    return true;
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    CommandLine cl = parse(args);
    boolean setOnly = cl.hasOption("n");
    boolean defaultsOnly = cl.hasOption("d");
    if (setOnly && defaultsOnly) {
      throw new UsageException("config: -n and -d exclude each other");
    }
    List<String> names = cl.getArgList();
    try {
      if (defaultsOnly) {
        printDefaults(inv, ParameterValues.defaultsOnly(inv.configDir()), names);
        return Sysexit.EX_OK.code();
      }
      Config config = Config.load(inv.configDir());
      for (String warning : config.mainCf().warnings()) {
        inv.complain("warning: " + warning);
      }
      if (setOnly) {
        printWritten(inv, config.mainCf(), names);
      } else {
        printEffective(inv, ParameterValues.of(config), names);
      }
      return Sysexit.EX_OK.code();
    } catch (ConfigException e) {
      inv.complain("fatal: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    }
  }

  private static CommandLine parse(List<String> args) throws UsageException {
    Options options = new Options();
    options.addOption("n", false, "only parameters set in main.cf");
    options.addOption("d", false, "default values");
    options.addOption("h", false, "values only (the default when names are given)");
    try {
      return DefaultParser.builder().setStripLeadingAndTrailingQuotes(false).get().parse(options, args.toArray(String[]::new));
    } catch (ParseException e) {
      throw new UsageException("config: " + e.getMessage());
    }
  }

  private static void printEffective(Invocation inv, ParameterValues values, List<String> names) {
    if (names.isEmpty()) {
      printAll(inv.out(), values::effective);
      return;
    }
    for (String name : names) {
      known(inv, name).ifPresent(p -> inv.out().println(values.in(p).effective(p.key())));
    }
  }

  private static void printDefaults(Invocation inv, ParameterValues values, List<String> names) {
    if (names.isEmpty()) {
      printAll(inv.out(), values::defaultValue);
      return;
    }
    for (String name : names) {
      known(inv, name).ifPresent(p -> inv.out().println(values.in(p).defaultValue(p.key())));
    }
  }

  /** Like postconf -n: main.cf's own settings as written, sorted, unknown names included. */
  private static void printWritten(Invocation inv, MainCf mainCf, List<String> names) {
    Map<String, MainCf.Setting> settings = mainCf.settings();
    if (names.isEmpty()) {
      new TreeMap<>(settings).values()
          .forEach(s -> inv.out().println(s.name() + " = " + s.value()));
      return;
    }
    for (String name : names) {
      MainCf.Setting s = settings.get(name);
      if (s != null) {
        inv.out().println(s.value());
      } else {
        known(inv, name); // a known name not set prints nothing; an unknown one is warned about
      }
    }
  }

  private static void printAll(PrintStream out, Function<ConfigKey, String> renderer) {
    for (String name : Config.knownNames()) {
      ConfigKey key = Params.byName(name).orElseThrow();
      out.println(name + " = " + renderer.apply(key));
    }
  }

  /** A known parameter, or {@code PORT.known} (a listener's value); else a warning. */
  private static Optional<ParameterName> known(Invocation inv, String name) {
    Optional<ParameterName> parsed = ParameterName.parse(name);
    if (parsed.isEmpty()) {
      inv.complain("warning: " + name + ": unknown parameter");
    }
    return parsed;
  }
}
