package org.postern.compat.admin;

import org.postern.engine.util.ProcessIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postern.maps.LookupException;
import org.postern.maps.passwd.PasswdEntry;
import org.postern.maps.passwd.UserDirectory;

/**
 * Composes the passwd(5) entries of a new instance: the invoking user, then each named user,
 * each with a home under the instance's {@code home/} directory and shell {@code /bin/sh}.
 *
 * <p>Checks every named user against the login-name shape before anything else. A name the
 * system knows keeps its uid, gid and GECOS; any other name becomes a virtual user with the
 * invoking user's uid and gid. Only the GECOS of the invoking user is cosmetic, so a failed
 * lookup there falls back to the login name; for a named user it is a LookupException (we
 * must not guess an identity). Stateless.
 */
final class InstanceUsers {
  /** Login names as useradd(8) accepts them by default, at most 32 characters. */
  private static final Pattern LOGIN_NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

  private static final String SHELL = "/bin/sh";

  private InstanceUsers() {}

  /** Rejects a name that is not a valid login name. */
  static void checkName(String name) throws UsageException {
    if (!LOGIN_NAME.matcher(name).matches()) {
      throw new UsageException("bad user name: \"" + name + "\": expected [a-z_][a-z0-9_.-]*,"
          + " at most 32 characters");
    }
  }

  /** The invoking user then each of {@code names}, each listed once, homes in {@code homes}. */
  static List<PasswdEntry> compose(
      ProcessIdentity invoker, List<String> names, UserDirectory system, Path homes)
      throws LookupException {
    Map<String, PasswdEntry> users = new LinkedHashMap<>();
    users.put(invoker.name(), invokingUser(invoker, system, homes));
    for (String name : names) {
      if (!users.containsKey(name)) {
        users.put(name, namedUser(name, invoker, system, homes));
      }
    }
    return new ArrayList<>(users.values());
  }

  private static PasswdEntry invokingUser(ProcessIdentity invoker, UserDirectory system, Path homes) {
    String gecos;
    try {
      gecos = system.byName(invoker.name()).map(e -> gecosOf(e, invoker.name()))
          .orElse(invoker.name());
    } catch (LookupException e) {
      gecos = invoker.name(); // the full name is cosmetic; the uid and gid come from the kernel
    }
    return new PasswdEntry(
        invoker.name(), invoker.uid(), invoker.gid(), gecos, homes.resolve(invoker.name()), SHELL);
  }

  private static PasswdEntry namedUser(
      String name, ProcessIdentity invoker, UserDirectory system, Path homes) throws LookupException {
    Optional<PasswdEntry> account = system.byName(name);
    Path home = homes.resolve(name);
    if (account.isPresent()) {
      PasswdEntry a = account.get();
      return new PasswdEntry(name, a.uid(), a.gid(), gecosOf(a, name), home, SHELL);
    }
    // A virtual user: its mail is the instance owner's to read.
    return new PasswdEntry(name, invoker.uid(), invoker.gid(), name, home, SHELL);
  }

  private static String gecosOf(PasswdEntry entry, String name) {
    return entry.gecos().isEmpty() ? name : entry.gecos();
  }
}
