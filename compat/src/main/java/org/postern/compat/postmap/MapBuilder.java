package org.postern.compat.postmap;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postern.maps.FixedTable;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableSpec;
import org.postern.maps.authinfo.AuthInfoEntry;
import org.postern.maps.authinfo.AuthInfoException;
import org.postern.maps.hash.HashTable;
import org.postern.maps.hash.ReopeningHashTable;
import org.postern.maps.hash.HashTableWriter;
import org.postern.maps.source.PostmapSource;
import org.postern.maps.source.SourceEntry;
import org.postern.maps.source.SourceWarning;

/**
 * Builds and changes compiled {@code hash:} tables for postmap: compile a source file,
 * merge entries from stdin ({@code -i}), delete keys ({@code -d}). Every change is a whole
 * rebuild into a temp file renamed over the old one, never a write in place.
 *
 * <p>Trusts nothing in the source; warnings go to stderr with file:line. The new file's mode
 * follows the source's read bits (Postfix), or 0644 with {@code -p}. Not thread-safe.
 */
public final class MapBuilder {
  private final PostmapSource.Options options;
  private final PrintStream err;
  private final boolean defaultMode;

  public MapBuilder(PostmapSource.Options options, PrintStream err, boolean defaultMode) {
    this.options = options;
    this.err = err;
    this.defaultMode = defaultMode;
  }

  public void compile(TableSpec spec, Path source) throws IOException, TableConfigException {
    requireHash(spec);
    PostmapSource.Result r;
    // Diagnostics name the file as the admin gave it, as Postfix's postmap does.
    try (InputStream in = Files.newInputStream(source)) {
      r = PostmapSource.read(spec.name(), in, options);
    } catch (NoSuchFileException e) {
      throw new IOException("open " + spec.name() + ": No such file or directory", e);
    }
    report(r.warnings());
    if (spec.type().equals("authinfo")) {
      checkAuthInfo(spec, r.entries());
    }
    HashTableWriter.write(db(source), r.entries(), options.foldCase(), mode(source));
  }

  /**
   * sendmail's authinfo: every key {@code AuthInfo:...} and every value readable, else the
   * first bad line is fatal and nothing is built (a skipped login would send mail without it).
   */
  private static void checkAuthInfo(TableSpec spec, List<SourceEntry> entries)
      throws TableConfigException {
    for (SourceEntry e : entries) {
      String where = spec.name() + ", line " + e.line() + ": ";
      if (!e.key().regionMatches(true, 0, AuthInfoEntry.KEY_PREFIX, 0,
          AuthInfoEntry.KEY_PREFIX.length())) {
        throw new TableConfigException(where + "key must start with \""
            + AuthInfoEntry.KEY_PREFIX + "\"");
      }
      try {
        AuthInfoEntry.parse(e.value());
      } catch (AuthInfoException bad) {
        throw new TableConfigException(where + bad.getMessage());
      }
    }
  }

  /** {@code postmap -i}: stdin entries added to the existing table (rebuilt). */
  void addFromStdin(TableSpec spec, Path source, InputStream in)
      throws IOException, TableConfigException, LookupException {
    requireHash(spec);
    PostmapSource.Result r = PostmapSource.read("stdin", in, options);
    report(r.warnings());
    Map<String, String> merged = existing(spec, source);
    for (SourceEntry e : r.entries()) {
      if (options.duplicates() == PostmapSource.Duplicates.REPLACE) {
        merged.put(e.key(), e.value());
      } else if (merged.putIfAbsent(e.key(), e.value()) != null
          && options.duplicates() == PostmapSource.Duplicates.WARN_KEEP_FIRST) {
        err.println(new SourceWarning("stdin", e.line(), "duplicate entry: \"" + e.key() + "\"")
            .format("postmap"));
      }
    }
    HashTableWriter.write(db(source), new ArrayList<>(merged.entrySet()), options.foldCase(),
        mode(source));
  }

  /** {@code postmap -d}: removes the keys; true when one was there. */
  boolean delete(TableSpec spec, Path source, List<String> keys)
      throws IOException, TableConfigException, LookupException {
    requireHash(spec);
    Map<String, String> entries = existing(spec, source);
    boolean found = false;
    for (String k : keys) {
      String key = options.foldCase() ? k.toLowerCase(Locale.ROOT) : k;
      found |= entries.remove(key) != null;
    }
    if (found) {
      HashTableWriter.write(db(source), new ArrayList<>(entries.entrySet()), options.foldCase(),
          mode(source));
    }
    return found;
  }

  /** Every entry of an open table, in its stored order. */
  static List<Map.Entry<String, String>> entriesOf(Table t) throws LookupException {
    if (t instanceof ReopeningHashTable h) {
      return h.entries();
    }
    if (t instanceof FixedTable f) {
      return new ArrayList<>(f.entries().entrySet());
    }
    throw new LookupException(t.name() + ": table type cannot be listed");
  }

  private Map<String, String> existing(TableSpec spec, Path source)
      throws TableConfigException, LookupException {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.exists(db(source))) {
      return m;
    }
    try (HashTable t = HashTable.open(db(source), spec.toString())) {
      for (Map.Entry<String, String> e : t.entries()) {
        m.put(e.getKey(), e.getValue());
      }
    }
    return m;
  }

  private void report(List<SourceWarning> warnings) {
    for (SourceWarning w : warnings) {
      err.println(w.format("postmap"));
    }
  }

  private static void requireHash(TableSpec spec) throws TableConfigException {
    if (!List.of("hash", "btree", "authinfo").contains(spec.type())) {
      throw new TableConfigException("unsupported dictionary type for building: " + spec.type()
          + " (Postern builds hash: tables)");
    }
  }

  static Path db(Path source) {
    return source.resolveSibling(source.getFileName() + ".db");
  }

  /** The source's read bits (owner write always), as Postfix's postmap; -p gives 0644. */
  private Set<PosixFilePermission> mode(Path source) throws IOException {
    Set<PosixFilePermission> m = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);
    if (defaultMode || !Files.exists(source)) {
      m.add(PosixFilePermission.GROUP_READ);
      m.add(PosixFilePermission.OTHERS_READ);
      return m;
    }
    Set<PosixFilePermission> src = Files.getPosixFilePermissions(source);
    if (src.contains(PosixFilePermission.GROUP_READ)) {
      m.add(PosixFilePermission.GROUP_READ);
    }
    if (src.contains(PosixFilePermission.OTHERS_READ)) {
      m.add(PosixFilePermission.OTHERS_READ);
    }
    return m;
  }
}
