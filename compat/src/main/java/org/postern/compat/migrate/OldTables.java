package org.postern.compat.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.global.Config;
import org.postern.maps.TableSpec;
import org.postern.maps.source.PostmapSource;
import org.postern.maps.source.SourceEntry;

/**
 * Carries a list of the old MTA's tables ({@code hash:/etc/postfix/virtual, ...}) over: the
 * source of each file-based table is read (the old compiled file is another program's
 * format), converted, and becomes a table under ROOT/etc/postern that the new list names.
 *
 * <p>Trusts nothing in the sources (postmap's parser reads them); a table without its
 * source, or of a type Postern cannot build from a file (mysql:, ldap:, ...), is reported as
 * not carried. {@code inline:} and {@code static:} carry as written. Not thread-safe (fills
 * one builder).
 */
final class OldTables {
  /** Turns the old table's entries into postmap source lines for Postern. */
  @FunctionalInterface
  interface Converter {
    List<String> lines(List<SourceEntry> entries, String file);
  }

  /** Keeps every entry as it is. */
  static final Converter SAME = (entries, file) -> {
    List<String> lines = new ArrayList<>();
    for (SourceEntry e : entries) {
      lines.add(e.key() + " " + e.value());
    }
    return lines;
  };

  private static final List<String> FILE_TYPES =
      List.of("hash", "btree", "lmdb", "cdb", "dbm", "sdbm", "texthash");

  private final Path root;
  private final Migration.Builder migration;

  OldTables(Path root, Migration.Builder migration) {
    this.root = root;
    this.migration = migration;
  }

  /** ROOT/etc/postern, where the tables go: what main.cf names them by. */
  static Path configDir(Path root) {
    return root.resolve("etc/postern");
  }

  /**
   * The new value of a table list parameter, each table carried over; empty when none of
   * them could be. A new file takes the old one's name.
   */
  Optional<String> carry(String list, String origin, String parameter, boolean secret,
      Converter converter) throws IOException {
    List<String> carried = new ArrayList<>();
    for (String item : Config.split(list)) {
      TableSpec spec = TableSpec.parse(item);
      if (spec.type().equals("inline") || spec.type().equals("static")) {
        carried.add(item);
      } else {
        Optional<String> table = table(item, origin, parameter, secret, converter);
        table.ifPresent(carried::add);
      }
    }
    return carried.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", carried));
  }

  /** One file's entries under ROOT/etc/postern, as {@code hash:PATH}. */
  private Optional<String> table(String item, String origin, String parameter, boolean secret,
      Converter converter) throws IOException {
    Optional<List<SourceEntry>> entries = entries(item, origin, parameter);
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    String name = TableSpec.parse(item).name();
    String fileName = Path.of(name).getFileName().toString();
    migration.table(
        new MigratedTable(fileName, converter.lines(entries.get(), name), secret, name));
    return Optional.of("hash:" + configDir(root).resolve(fileName));
  }

  /**
   * The entries of the file-based table {@code item} ({@code type:/path}) names, read from
   * its source under the root; empty (and reported) when there is none to read.
   */
  Optional<List<SourceEntry>> entries(String item, String origin, String parameter)
      throws IOException {
    TableSpec spec = TableSpec.parse(item);
    if (!FILE_TYPES.contains(spec.type())) {
      migration.notCarried(origin, parameter + " " + item,
          "table type " + spec.type() + ": has no Postern equivalent; its entries are not used");
      return Optional.empty();
    }
    String name = spec.name();
    Path source = root.resolve(name.startsWith("/") ? name.substring(1) : name);
    if (!Files.isRegularFile(source)) {
      migration.notCarried(origin, parameter + " " + item,
          "its source file is missing (only a compiled file Postern cannot read may be left):"
              + " its entries are not used");
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(source)) {
      return Optional.of(PostmapSource.read(name, in, PostmapSource.Options.DEFAULT).entries());
    }
  }
}
