package org.postern.maps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.postern.maps.hash.ReopeningHashTable;
import org.postern.maps.hash.Staleness;
import org.postern.maps.source.PostmapSource;
import org.postern.maps.source.SourceEntry;
import org.postern.maps.source.SourceWarning;

/**
 * Opens a table from its {@code type:name} (Postfix's dict_open): {@code hash:FILE} (the
 * compiled {@code FILE.db}), {@code authinfo:FILE} (the same, holding sendmail's authinfo
 * entries: see AuthInfoEntry), {@code texthash:FILE}, {@code inline:{k=v, ...}} and
 * {@code static:value}. Relative file names are resolved against a base directory.
 *
 * <p>Trusts the spec's origin (configuration or the admin's command line). Unknown types,
 * missing or foreign files are TableConfigExceptions naming the table; {@link #openOptional}
 * takes a missing file for an empty table instead (sendmail's {@code -o} maps). A hash table
 * older than its source is reported once through the warning sink; a hash table follows its
 * file through rebuilds, removal and re-creation (see ReopeningHashTable). Stateless apart
 * from it.
 */
public final class TableOpener {
  private final Path base;
  private final Consumer<String> warnings;

  public TableOpener(Path base, Consumer<String> warnings) {
    this.base = base;
    this.warnings = warnings;
  }

  public Table open(TableSpec spec) throws TableConfigException {
    return open(spec, ReopeningHashTable.Absence.REQUIRED);
  }

  /**
   * As {@link #open}, but a file table whose file does not exist is an empty table; a hash
   * table's {@code FILE.db} created later is used from the next lookup on.
   */
  public Table openOptional(TableSpec spec) throws TableConfigException {
    return open(spec, ReopeningHashTable.Absence.OPTIONAL);
  }

  private Table open(TableSpec spec, ReopeningHashTable.Absence absence)
      throws TableConfigException {
    switch (spec.type()) {
      case "hash":
      case "btree":
      case "authinfo":
        return openHash(spec, absence);
      case "texthash":
        return absence == ReopeningHashTable.Absence.OPTIONAL && !Files.exists(sourceFile(spec))
            ? FixedTable.of(spec.toString(), List.of(), true)
            : openText(spec);
      case "inline":
        return FixedTable.of(spec.toString(), inlineEntries(spec), true);
      case "static":
        return FixedTable.everyKey(spec.toString(), unbrace(spec.name()));
      default:
        throw new TableConfigException("unsupported dictionary type: " + spec.type()
            + " (in " + spec + ")");
    }
  }

  /** The source file a file-based table reads or is compiled from. */
  public Path sourceFile(TableSpec spec) {
    Path p = Path.of(spec.name());
    return p.isAbsolute() ? p : base.resolve(p);
  }

  private Table openHash(TableSpec spec, ReopeningHashTable.Absence absence)
      throws TableConfigException {
    Path source = sourceFile(spec);
    Path db = source.resolveSibling(source.getFileName() + ".db");
    boolean exists = Files.exists(db);
    if (!exists && absence == ReopeningHashTable.Absence.REQUIRED) {
      throw new TableConfigException("open database " + db + ": No such file or directory");
    }
    ReopeningHashTable table = ReopeningHashTable.open(db, spec.toString(), absence);
    if (exists) {
      Staleness.staleWarning(source, db, Instant.now()).ifPresent(warnings);
    }
    return table;
  }

  private Table openText(TableSpec spec) throws TableConfigException {
    Path source = sourceFile(spec);
    PostmapSource.Result r;
    try {
      r = PostmapSource.read(source, PostmapSource.Options.DEFAULT);
    } catch (IOException e) {
      throw new TableConfigException("open " + source + ": " + e.getMessage(), e);
    }
    for (SourceWarning w : r.warnings()) {
      warnings.accept(w.format("texthash"));
    }
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (SourceEntry e : r.entries()) {
      entries.add(Map.entry(e.key(), e.value()));
    }
    return FixedTable.of(spec.toString(), entries, true);
  }

  /** {@code inline:{ key=value, { key = text, with comma } }} as Postfix writes it. */
  static List<Map.Entry<String, String>> inlineEntries(TableSpec spec)
      throws TableConfigException {
    String body = spec.name().strip();
    if (!body.startsWith("{") || !body.endsWith("}")) {
      throw new TableConfigException(spec + ": inline table must be enclosed in {}");
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String item : splitTopLevel(body.substring(1, body.length() - 1))) {
      String text = unbrace(item.strip());
      if (text.isEmpty()) {
        continue;
      }
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new TableConfigException(spec + ": missing '=' after key in \"" + text + "\"");
      }
      out.add(Map.entry(text.substring(0, eq).strip(), text.substring(eq + 1).strip()));
    }
    return out;
  }

  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  private static String unbrace(String s) {
    String t = s.strip();
    return t.startsWith("{") && t.endsWith("}") ? t.substring(1, t.length() - 1).strip() : t;
  }
}
