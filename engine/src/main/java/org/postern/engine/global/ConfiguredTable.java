package org.postern.engine.global;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.postern.maps.FixedTable;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;
import org.postern.maps.source.EntryLocator;

/**
 * Opens a table main.cf names ({@code access_map}, {@code virtusertable_map},
 * {@code mailertable_map}, ...) once, at startup; a {@code hash:} table then follows its
 * file for the life of the process (created, rebuilt, removed, replaced: see
 * ReopeningHashTable). An empty setting, or a file table whose file does not exist, is an
 * empty table, as sendmail treats an optional map ({@code K... -o}): an installation without
 * {@code /etc/mail/access} simply has no access rules until the admin runs postmap.
 *
 * <p>Trusts the configuration. A table that exists but cannot be opened at startup (source
 * without its {@code .db}, foreign or damaged file) is a ConfigException naming the key:
 * starting with the admin's rules silently missing would be worse. Stateless.
 */
public final class ConfiguredTable {
  private ConfiguredTable() {}

  public static Table open(Config config, ConfigKey key, TableOpener opener)
      throws ConfigException {
    String value = config.get(key).strip();
    if (value.isEmpty()) {
      return FixedTable.of(key.name(), List.of(), true);
    }
    TableSpec spec = TableSpec.parse(value);
    try {
      return forgotPostmap(spec, opener) ? opener.open(spec) : opener.openOptional(spec);
    } catch (TableConfigException e) {
      throw new ConfigException(key.name() + ": " + e.getMessage(), e);
    }
  }

  /** Where the entries of the table {@code key} names are written (none for an empty setting). */
  public static EntryLocator locator(Config config, ConfigKey key) {
    String value = config.get(key).strip();
    return new EntryLocator(value.isEmpty() ? Optional.empty()
        : Optional.of(new TableOpener(config.root(), w -> { }).sourceFile(TableSpec.parse(value))));
  }

  /** A hash source without its compiled file: the strict open names the missing .db. */
  private static boolean forgotPostmap(TableSpec spec, TableOpener opener) {
    if (!List.of("hash", "btree", "authinfo").contains(spec.type())) {
      return false;
    }
    Path source = opener.sourceFile(spec);
    Path db = source.resolveSibling(source.getFileName() + ".db");
    return Files.exists(source) && !Files.exists(db);
  }
}
