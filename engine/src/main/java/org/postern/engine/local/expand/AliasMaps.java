package org.postern.engine.local.expand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;
import org.postern.maps.aliases.AliasEntry;
import org.postern.maps.aliases.AliasSource;

/**
 * The alias tables of {@code alias_maps}, searched in order for a local name: {@code
 * user+detail}, {@code user+*}, then {@code user} (sendmail's plussed-user order, which
 * includes Postfix's). Each hit carries the table it came from and the uid owning its file,
 * whose rights commands and files listed there run with.
 *
 * <p>Tables are opened on first use and follow rebuilds (ReopeningHashTable). A table that
 * cannot be opened or read is a TempFailException (4.3.0): mail waits for the admin rather
 * than being treated as "no such alias". Thread-safe.
 */
public final class AliasMaps {
  /** A found alias: the key that matched, its value, the table and its file owner. */
  public record Hit(String key, String value, String table, Optional<Path> source, int ownerUid) {}

  private final List<TableSpec> specs;
  private final TableOpener opener;
  private final String delimiter;
  private List<Table> tables;

  public AliasMaps(Config config, MailLog log) {
    this.specs = new ArrayList<>();
    for (String s : config.list(Params.ALIAS_MAPS)) {
      specs.add(TableSpec.parse(s));
    }
    this.opener = new TableOpener(config.root(), log::warning);
    this.delimiter = config.get(Params.RECIPIENT_DELIMITER);
  }

  /** The alias for {@code local} (lower-cased local part), trying the detail forms first. */
  public Optional<Hit> lookup(String local) throws TempFailException {
    List<String> keys = new ArrayList<>();
    keys.add(local);
    int d = delimiter.isEmpty() ? -1 : local.indexOf(delimiter);
    if (d > 0) {
      keys.add(local.substring(0, d) + delimiter + "*");
      keys.add(local.substring(0, d));
    }
    List<Table> open = tables();
    for (String key : keys) {
      for (int i = 0; i < open.size(); i++) {
        Optional<String> v;
        try {
          v = open.get(i).lookup(key);
        } catch (LookupException e) {
          throw new TempFailException("4.3.0", "alias database unavailable: " + e.getMessage(), e);
        }
        if (v.isPresent()) {
          return Optional.of(hit(key, v.get(), specs.get(i)));
        }
      }
    }
    return Optional.empty();
  }

  private Hit hit(String key, String value, TableSpec spec) throws TempFailException {
    if (!isFileTable(spec)) {
      return new Hit(key, value, spec.toString(), Optional.empty(), 0);
    }
    Path source = opener.sourceFile(spec);
    Path db = source.resolveSibling(source.getFileName() + ".db");
    try {
      int uid = (Integer) Files.getAttribute(db, "unix:uid");
      return new Hit(key, value, spec.toString(), Optional.of(source), uid);
    } catch (IOException e) {
      throw new TempFailException("4.3.0", "alias database unavailable: " + db + ": " + e, e);
    }
  }

  /**
   * Where the entry of {@code hit} is written ({@code FILE:LINE}), read from the alias source
   * for people ({@code postern explain}); empty when the table has no source file or the
   * entry is no longer in it (the .db is older than its source).
   */
  public Optional<String> definedAt(Hit hit) {
    if (hit.source().isEmpty()) {
      return Optional.empty();
    }
    Path source = hit.source().get();
    try {
      for (AliasEntry e : AliasSource.read(source).entries()) {
        if (e.key().equals(hit.key())) {
          return Optional.of(source + ":" + e.line());
        }
      }
    } catch (IOException e) {
      // The source may be gone or unreadable while its .db works: nothing to point at.
    }
    return Optional.empty();
  }

  private static boolean isFileTable(TableSpec spec) {
    return spec.type().equals("hash") || spec.type().equals("btree");
  }

  private synchronized List<Table> tables() throws TempFailException {
    if (tables == null) {
      List<Table> open = new ArrayList<>();
      for (TableSpec spec : specs) {
        try {
          open.add(opener.open(spec));
        } catch (TableConfigException e) {
          open.forEach(Table::close);
          throw new TempFailException(
              "4.3.0", "alias database unavailable: " + e.getMessage(), e);
        }
      }
      tables = open;
    }
    return tables;
  }
}
