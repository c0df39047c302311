package org.postern.engine.local;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * main.cf's {@code home_mailbox} (Postfix local(8)): a mailbox under each recipient's home
 * directory instead of the spool, an mbox file ({@code Mailbox}) or, with a trailing slash,
 * a maildir ({@code Maildir/}).
 *
 * <p>Checks the value: a path that is absolute or climbs out of the home with {@code ..} is
 * a ConfigException naming main.cf's line (Postfix would append it to the home blindly).
 * Immutable and thread-safe.
 */
public record HomeMailbox(String name, boolean maildir) {
  /** The setting, or empty for delivery to mail_spool_directory. */
  public static Optional<HomeMailbox> from(Config config) throws ConfigException {
    String value = config.get(Params.HOME_MAILBOX).strip();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Path path;
    try {
      path = Path.of(value);
    } catch (InvalidPathException e) {
      throw config.invalid(Params.HOME_MAILBOX, "a path name");
    }
    if (path.isAbsolute() || path.normalize().startsWith("..") || path.getFileName() == null
        || path.normalize().toString().isEmpty()) {
      throw config.invalid(Params.HOME_MAILBOX,
          "a name relative to the home directory, such as Mailbox or Maildir/");
    }
    return Optional.of(new HomeMailbox(value, value.endsWith("/")));
  }

  /** Where it is for a user with home directory {@code home}. */
  public Path in(Path home) {
    return home.resolve(name);
  }
}
