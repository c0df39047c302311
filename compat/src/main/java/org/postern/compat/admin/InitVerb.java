package org.postern.compat.admin;

import org.postern.engine.util.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.postern.engine.global.Sysexit;
import org.postern.maps.LookupException;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;

/**
 * {@code postern init DIR [--user NAME]...}: creates a complete, self-contained instance in
 * DIR, owned by the invoking user and needing no root. Silent on success, as Unix commands
 * are.
 *
 * <p>Checks its arguments (one DIR that main.cf can name, valid login names) before touching
 * the disk. Refuses a DIR that already holds main.cf (EX_CANTCREAT) and never overwrites a
 * file. Failures: a file that cannot be created is EX_CANTCREAT naming the path; a failed
 * system user lookup is EX_TEMPFAIL (retrying may work); unreadable process credentials are
 * EX_OSERR. The work itself is {@link InstanceCreator}'s. Stateless between runs.
 */
final class InitVerb implements Verb {
  private final UserDirectory systemUsers;

  InitVerb(UserDirectory systemUsers) {
    this.systemUsers = systemUsers;
  }

  @Override
  public String usage() {
    return "usage: postern init DIR [--user NAME]...";
  }

  @Override
  public int run(Invocation inv, List<String> args) throws UsageException {
    // Arguments: exactly one directory, any number of well-formed user names.
    CommandLine cl = parse(args);
    if (cl.getArgList().size() != 1) {
      throw new UsageException(cl.getArgList().isEmpty()
          ? "init: missing directory" : "init: one directory expected");
    }
    Path dir = instanceDir(cl.getArgList().get(0));
    List<String> names = cl.hasOption("user")
        ? Arrays.asList(cl.getOptionValues("user")) : List.of();
    for (String name : names) {
      InstanceUsers.checkName(name);
    }
    Path mainCf = dir.resolve("main.cf");
    if (Files.exists(mainCf)) {
      inv.complain(mainCf + " already exists");
      return Sysexit.EX_CANTCREAT.code();
    }
    // Identity, then the users file entries, then the files themselves.
    ProcessIdentity invoker;
    try {
      invoker = ProcessIdentity.current();
    } catch (IOException e) {
      inv.complain("init: cannot tell who is running: " + ErrorLine.of(e));
      return Sysexit.EX_OSERR.code();
    }
    List<PasswdEntry> users;
    try {
      users = InstanceUsers.compose(invoker, names, systemUsers, dir.resolve("home"));
    } catch (LookupException e) {
      inv.complain("init: " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
    try {
      new InstanceCreator(dir, invoker, inv.err()).create(users);
    } catch (IOException e) {
      inv.complain(ErrorLine.of(e));
      return Sysexit.EX_CANTCREAT.code();
    }
    return Sysexit.EX_OK.code();
  }

  private static CommandLine parse(List<String> args) throws UsageException {
    Options options = new Options();
    options.addOption(Option.builder().longOpt("user").hasArg().argName("NAME").get());
    try {
      return DefaultParser.builder().setStripLeadingAndTrailingQuotes(false).get().parse(options, args.toArray(String[]::new));
    } catch (ParseException e) {
      throw new UsageException("init: " + e.getMessage());
    }
  }

  /** DIR as main.cf's root: absolute, and free of what a main.cf value cannot hold. */
  private static Path instanceDir(String arg) throws UsageException {
    // Config expands '$' in values and a line break would end the value.
    if (arg.isEmpty() || arg.contains("$") || arg.contains("\n") || !arg.equals(arg.strip())) {
      throw new UsageException("init: unusable directory name: \"" + arg + "\"");
    }
    try {
      return Path.of(arg).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new UsageException("init: unusable directory name: \"" + arg + "\"");
    }
  }
}
