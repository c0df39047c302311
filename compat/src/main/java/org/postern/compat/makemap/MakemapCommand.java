package org.postern.compat.makemap;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.compat.launch.Halt;
import org.postern.compat.sendmail.Getopt;
import org.postern.compat.sendmail.UsageException;
import org.postern.engine.global.Sysexit;
import org.postern.maps.LookupException;
import org.postern.maps.TableConfigException;
import org.postern.maps.hash.HashTable;
import org.postern.maps.hash.HashTableWriter;
import org.postern.maps.source.MakemapSource;
import org.postern.maps.source.SourceEntry;
import org.postern.maps.source.SourceWarning;

/**
 * sendmail's makemap(8) (spec f.2): {@code makemap [flags] type mapname < input} builds
 * {@code mapname.db}; {@code -u} dumps it, {@code -l} lists the types. hash, btree and
 * implicit all build the same MapDB table.
 *
 * <p>Trusts nothing on stdin: bad lines are {@code makemap: warning: MAP, line N: ...}, the
 * map is still built, and the exit status is 65 (EX_DATAERR) as sendmail's. Not
 * thread-safe.
 */
public final class MakemapCommand {
  /**
   * sendmail 8.17 makemap's usage(), its three lines aligned under the program name.
   * Deviation: {@code -C} names our configuration directory, not a sendmail.cf.
   */
  private static final String USAGE =
      "Usage: makemap [-C confdir] [-N] [-c cachesize] [-D commentchar]\n"
          + "               [-d] [-e] [-f] [-i type] [-l] [-o] [-r] [-s] [-t delimiter]\n"
          + "               [-u] [-v] type mapname";
  private static final List<String> TYPES = List.of("hash", "btree", "implicit");

  public static void main(String[] args) {
    Halt.exit(new MakemapCommand().run(System.in, System.out, System.err, args));
  }

  public int run(InputStream in, PrintStream out, PrintStream err, String... args) {
    Flags f = new Flags();
    Getopt g = new Getopt("C:Nc:D:deflorst:uvi:", Arrays.asList(args));
    try {
      for (Optional<Getopt.Option> o; (o = g.next()).isPresent(); ) {
        f.set(o.get());
      }
    } catch (UsageException e) {
      err.println("makemap: " + e.line());
      err.println(USAGE);
      return Sysexit.EX_USAGE.code();
    }
    if (f.list) {
      TYPES.forEach(out::println);
      return Sysexit.EX_OK.code();
    }
    List<String> operands = g.operands();
    if (operands.size() != 2) {
      err.println(USAGE);
      return Sysexit.EX_USAGE.code();
    }
    if (!TYPES.contains(operands.get(0))) {
      err.println("makemap: Unknown database type " + operands.get(0));
      return Sysexit.EX_USAGE.code();
    }
    Path map = Path.of(operands.get(1));
    Path db = map.resolveSibling(map.getFileName() + ".db");
    try {
      return f.unmap ? dump(map, db, f, out) : build(map, db, f, in, err);
    } catch (TableConfigException | LookupException e) {
      err.println("makemap: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (IOException e) {
      err.println("makemap: " + db + ": " + e.getMessage());
      return Sysexit.EX_CANTCREAT.code();
    }
  }

  private static int dump(Path map, Path db, Flags f, PrintStream out)
      throws TableConfigException, LookupException {
    String sep = f.delimiter.map(String::valueOf).orElse("\t");
    try (HashTable t = HashTable.open(db, "hash:" + map)) {
      for (Map.Entry<String, String> e : t.entries()) {
        out.println(e.getKey() + sep + e.getValue());
      }
    }
    return Sysexit.EX_OK.code();
  }

  private static int build(Path map, Path db, Flags f, InputStream in, PrintStream err)
      throws IOException, TableConfigException, LookupException {
    MakemapSource.Result r = MakemapSource.read(map.toString(), in, f.options());
    for (SourceWarning w : r.warnings()) {
      err.println(w.format("makemap"));
    }
    Map<String, String> entries = new LinkedHashMap<>();
    if (f.append && Files.exists(db)) {
      try (HashTable old = HashTable.open(db, "hash:" + map)) {
        for (Map.Entry<String, String> e : old.entries()) {
          entries.put(e.getKey(), e.getValue());
        }
      }
    }
    for (SourceEntry e : r.entries()) {
      // -d keeps duplicates for btree dumps; a hash table answers the first.
      if (f.replace && !f.allowDuplicates) {
        entries.put(e.key(), e.value());
      } else {
        entries.putIfAbsent(e.key(), e.value());
      }
    }
    HashTableWriter.write(db, new ArrayList<>(entries.entrySet()), f.foldCase,
        PosixFilePermissions.fromString("rw-r-----"));
    return r.errorCount() > 0 ? Sysexit.EX_DATAERR.code() : Sysexit.EX_OK.code();
  }

  /** The flags of one command line. */
  private static final class Flags {
    boolean list;
    boolean unmap;
    boolean foldCase = true;
    boolean replace;
    boolean allowDuplicates;
    boolean allowEmpty;
    boolean append;
    boolean includeNul;
    Optional<Character> delimiter = Optional.empty();
    Optional<Character> comment = Optional.of('#');

    void set(Getopt.Option o) throws UsageException {
      String v = o.value().orElse("");
      switch (o.letter()) {
        case 'l' -> list = true;
        case 'u' -> unmap = true;
        case 'f' -> foldCase = false;
        case 'r' -> replace = true;
        case 'd' -> allowDuplicates = true;
        case 'e' -> allowEmpty = true;
        case 'o' -> append = true;
        case 'N' -> includeNul = true;
        case 't' -> delimiter = Optional.of(single(v, 't'));
        case 'D' -> comment = Optional.of(single(v, 'D'));
        default -> { } // -C, -c, -i, -s, -v: accepted; nothing to do with MapDB
      }
    }

    MakemapSource.Options options() {
      MakemapSource.Duplicates dup = allowDuplicates ? MakemapSource.Duplicates.KEEP_ALL
          : replace ? MakemapSource.Duplicates.REPLACE
          : MakemapSource.Duplicates.ERROR_KEEP_FIRST;
      return new MakemapSource.Options(foldCase, dup, delimiter, comment, allowEmpty,
          includeNul);
    }

    private static char single(String v, char flag) throws UsageException {
      if (v.length() != 1) {
        throw new UsageException("-" + flag + " needs a single character");
      }
      return v.charAt(0);
    }
  }
}
