package org.postern.engine.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfiguredTable;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableOpener;

/**
 * The program a user's mailbox delivery goes to, if any (Postfix local/mailbox.c):
 * {@code mailbox_command_maps} looked up by user name, else {@code mailbox_command}. The
 * value is taken as written, without {@code $name} expansion: it is shell syntax
 * ({@code procmail -a "$EXTENSION"}), as in Postfix.
 *
 * <p>Trusts main.cf and the table. A blank setting means none. A command whose program is an
 * absolute path that is not an executable file is a ConfigException naming main.cf's line,
 * as every local mail would otherwise bounce ("Command died with status 127"). A failed
 * lookup is temporary (4.3.0). Thread-safe.
 */
public final class MailboxCommand {
  private final Table maps;
  private final Optional<String> command;

  MailboxCommand(Table maps, Optional<String> command) {
    this.maps = maps;
    this.command = command;
  }

  public static MailboxCommand from(Config config, TableOpener opener) throws ConfigException {
    String value = config.get(Params.MAILBOX_COMMAND).strip();
    if (!value.isEmpty()) {
      String program = value.split("\\s+", 2)[0];
      Path path = Path.of(program);
      if (program.startsWith("/") && !(Files.isRegularFile(path) && Files.isExecutable(path))) {
        throw config.invalid(Params.MAILBOX_COMMAND,
            "a command whose program exists (" + program + " is not an executable file)");
      }
    }
    return new MailboxCommand(ConfiguredTable.open(config, Params.MAILBOX_COMMAND_MAPS, opener),
        value.isEmpty() ? Optional.empty() : Optional.of(value));
  }

  /** The command for {@code user}'s mailbox, or empty for delivery to a mailbox file. */
  public Optional<String> forUser(String user) throws TempFailException {
    try {
      Optional<String> mapped = maps.lookup(user).map(String::strip).filter(s -> !s.isEmpty());
      return mapped.isPresent() ? mapped : command;
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", "table lookup failure: " + e.getMessage(), e);
    }
  }
}
