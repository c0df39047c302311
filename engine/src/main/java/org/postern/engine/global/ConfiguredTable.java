package org.postern.engine.global;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.maps.FixedTable;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableList;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;
import org.postern.maps.source.EntryLocator;

/**
 * Opens the tables main.cf names ({@code access_map}, {@code virtusertable_map},
 * {@code canonical_maps}, ...) once, at startup: a list (comma or space separated, as every
 * Postfix {@code *_maps} parameter) is searched in order ({@link TableList}). A {@code hash:}
 * table then follows its file for the life of the process (created, rebuilt, removed,
 * replaced: see ReopeningHashTable). An empty setting, or a file table whose file does not
 * exist, is an empty table, as sendmail treats an optional map ({@code K... -o}): an
 * installation without {@code /etc/mail/access} simply has no access rules until the admin
 * runs postmap.
 *
 * <p>Trusts the configuration. A table that exists but cannot be opened at startup (source
 * without its {@code .db}, foreign or damaged file) is a ConfigException naming the key:
 * starting with the admin's rules silently missing would be worse. Stateless.
 */
public final class ConfiguredTable {
  /** The tables of one parameter and where their entries are written. */
  public record Located(Table table, EntryLocator locator) {}

  private ConfiguredTable() {}

  public static Table open(Config config, ConfigKey key, TableOpener opener)
      throws ConfigException {
    return openLocated(config, key, opener).table();
  }

  /** As {@link #open}, with the source files of its tables, for FILE:LINE in explanations. */
  public static Located openLocated(Config config, ConfigKey key, TableOpener opener)
      throws ConfigException {
    List<Table> tables = new ArrayList<>();
    List<EntryLocator.Member> members = new ArrayList<>();
    try {
      for (String item : config.list(key)) {
        TableSpec spec = TableSpec.parse(item);
        Table t = forgotPostmap(spec, opener) ? opener.open(spec) : opener.openOptional(spec);
        tables.add(t);
        members.add(new EntryLocator.Member(t, hasSource(spec)
            ? Optional.of(opener.sourceFile(spec)) : Optional.empty()));
      }
    } catch (TableConfigException e) {
      tables.forEach(Table::close);
      throw new ConfigException(key.name() + ": " + e.getMessage(), e);
    }
    Table table = tables.isEmpty() ? FixedTable.of(key.name(), List.of(), true)
        : tables.size() == 1 ? tables.get(0) : new TableList(tables);
    return new Located(table, new EntryLocator(members));
  }

  private static boolean hasSource(TableSpec spec) {
    return spec.type().equals("hash") || spec.type().equals("btree")
        || spec.type().equals("texthash");
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
