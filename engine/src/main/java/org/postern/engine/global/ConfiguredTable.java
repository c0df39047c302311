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

/**
 * Opens a table main.cf names ({@code access_map}, {@code virtusertable_map},
 * {@code mailertable_map}, ...) once, at startup.
 * An empty setting, or a file table whose source and compiled file are both absent, is an
 * empty table, as sendmail treats an optional map ({@code K... -o}): an installation without
 * {@code /etc/mail/access} simply has no access rules.
 *
 * <p>Trusts the configuration. A table that exists but cannot be opened (source without its
 * {@code .db}, foreign or damaged file) is a ConfigException naming the key: starting with
 * the admin's rules silently missing would be worse. Stateless.
 */
public final class ConfiguredTable {
  /** An open table, and the compiled file to watch for rebuilds when it is one. */
  public record Opened(Table table, Optional<Path> dbFile) {}

  private ConfiguredTable() {}

  public static Opened open(Config config, ConfigKey key, TableOpener opener)
      throws ConfigException {
    String value = config.get(key).strip();
    if (value.isEmpty()) {
      return new Opened(FixedTable.of(key.name(), List.of(), true), Optional.empty());
    }
    TableSpec spec = TableSpec.parse(value);
    Optional<Path> db = Optional.empty();
    if (List.of("hash", "btree", "texthash").contains(spec.type())) {
      Path source = opener.sourceFile(spec);
      Path compiled = source.resolveSibling(source.getFileName() + ".db");
      if (!Files.exists(source) && !Files.exists(compiled)) {
        return new Opened(FixedTable.of(spec.toString(), List.of(), true), Optional.empty());
      }
      db = spec.type().equals("texthash") ? db : Optional.of(compiled);
    }
    try {
      return new Opened(opener.open(spec), db);
    } catch (TableConfigException e) {
      throw new ConfigException(key.name() + ": " + e.getMessage(), e);
    }
  }
}
