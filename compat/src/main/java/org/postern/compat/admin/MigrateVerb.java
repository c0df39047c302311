package org.postern.compat.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.postern.compat.migrate.MigrationRun;
import org.postern.compat.migrate.MtaReader;
import org.postern.compat.migrate.MtaReaders;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Sysexit;
import org.postern.maps.TableConfigException;

/**
 * {@code postern migrate [--from sendmail|postfix|exim] [--root DIR] [--dry-run]}: carries
 * the configuration an old MTA left under DIR (default {@code /}) into DIR/etc/postern
 * (main.cf and tables) and prints the report; {@code --dry-run} prints main.cf and the
 * report and writes nothing.
 *
 * <p>Trusts its caller's flags; the old files are the readers' to distrust. Several MTAs
 * found without {@code --from} is a usage error naming them; none found is not an error
 * (exit 0, one line: nothing to do, as a package's postinst wants). Failures: an old file
 * that cannot be read is EX_NOINPUT, a main.cf Postern cannot parse EX_CONFIG, a table
 * postmap refuses EX_DATAERR, a file that cannot be written EX_CANTCREAT. Stateless.
 */
final class MigrateVerb implements Verb {
  @Override
  public String usage() {
    return "usage: postern migrate [--from " + String.join("|", MtaReaders.names())
        + "] [--root DIR] [--dry-run]";
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    CommandLine cl = parse(args);
    Path root = root(cl.getOptionValue("root", "/"));
    MtaReader reader;
    List<MtaReader> present = MtaReaders.presentIn(root);
    if (cl.hasOption("from")) {
      String name = cl.getOptionValue("from");
      reader = MtaReaders.named(name).orElseThrow(
          () -> new UsageException("migrate: unknown MTA: " + name));
      if (!present.contains(reader)) {
        inv.complain("migrate: no " + name + " configuration under " + root);
        return Sysexit.EX_NOINPUT.code();
      }
    } else if (present.isEmpty()) {
      inv.out().println("postern migrate: no sendmail, postfix or exim configuration under "
          + root + ": nothing to do");
      return Sysexit.EX_OK.code();
    } else if (present.size() > 1) {
      throw new UsageException("migrate: configurations of several MTAs under " + root + ": "
          + String.join(", ", present.stream().map(MtaReader::name).toList())
          + " (choose one with --from)");
    } else {
      reader = present.get(0);
    }
    try {
      new MigrationRun(root, reader, inv.out(), inv.err()).run(cl.hasOption("dry-run"));
      return Sysexit.EX_OK.code();
    } catch (MigrationRun.ReadException e) {
      inv.complain("migrate: " + ErrorLine.of(e.getCause()));
      return Sysexit.EX_NOINPUT.code();
    } catch (ConfigException e) {
      inv.complain("migrate: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (TableConfigException e) {
      inv.complain("migrate: " + e.getMessage());
      return Sysexit.EX_DATAERR.code();
    } catch (IOException e) {
      inv.complain("migrate: " + ErrorLine.of(e));
      return Sysexit.EX_CANTCREAT.code();
    }
  }

  private static CommandLine parse(List<String> args) throws UsageException {
    Options options = new Options();
    options.addOption(Option.builder().longOpt("from").hasArg().argName("MTA").get());
    options.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").get());
    options.addOption(Option.builder().longOpt("dry-run").get());
    try {
      CommandLine cl = DefaultParser.builder().setStripLeadingAndTrailingQuotes(false).get()
          .parse(options, args.toArray(String[]::new));
      if (!cl.getArgList().isEmpty()) {
        throw new UsageException("migrate: unexpected argument: " + cl.getArgList().get(0));
      }
      return cl;
    } catch (ParseException e) {
      throw new UsageException("migrate: " + e.getMessage());
    }
  }

  /** DIR as an absolute directory that main.cf values can name. */
  private static Path root(String arg) throws UsageException {
    try {
      Path root = Path.of(arg).toAbsolutePath().normalize();
      if (arg.isEmpty() || arg.contains("$") || arg.contains("\n") || !Files.isDirectory(root)) {
        throw new UsageException("migrate: not a usable directory: \"" + arg + "\"");
      }
      return root;
    } catch (InvalidPathException e) {
      throw new UsageException("migrate: not a usable directory: \"" + arg + "\"");
    }
  }
}
