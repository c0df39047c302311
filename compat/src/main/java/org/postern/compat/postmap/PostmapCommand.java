package org.postern.compat.postmap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.postern.compat.launch.Halt;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableOpener;
import org.postern.maps.TableSpec;
import org.postern.maps.source.PostmapSource;

/**
 * postmap(1) with Postfix's flags (spec f.1): compile {@code [type:]file} into
 * {@code file.db}, query ({@code -q}), delete ({@code -d}), dump ({@code -s}), and add from
 * stdin ({@code -i}). Flags we do not implement are refused, never ignored.
 *
 * <p>Trusts nothing in its input files; bad lines become {@code postmap: warning: FILE,
 * line N: ...}. Exit 0 on success, 1 when a queried or deleted key is absent or on a fatal
 * error (Postfix's convention). Not thread-safe.
 */
public final class PostmapCommand {
  private static final String UNSUPPORTED = "bFhmuUx";

  public static void main(String[] args) {
    Halt.exit(new PostmapCommand().run(System.in, System.out, System.err, args));
  }

  public int run(InputStream in, PrintStream out, PrintStream err, String... args) {
    CommandLine cl;
    try {
      // Keys may be quoted ("quoted key"): Commons CLI would strip the quotes by default.
      cl = DefaultParser.builder().setStripLeadingAndTrailingQuotes(false).get()
          .parse(options(), args);
    } catch (ParseException e) {
      err.println("postmap: fatal: " + e.getMessage());
      err.println("postmap: fatal: usage: postmap [-Nfinoprsuvw] [-c config_dir]"
          + " [-d key] [-q key] [map_type:]file...");
      return 1;
    }
    for (char c : UNSUPPORTED.toCharArray()) {
      if (cl.hasOption(String.valueOf(c))) {
        err.println("postmap: fatal: option -" + c + " is not supported by Postern");
        return 1;
      }
    }
    List<String> maps = cl.getArgList();
    if (maps.isEmpty()) {
      err.println("postmap: fatal: usage: postmap [-Nfinoprsuvw] [-c config_dir]"
          + " [-d key] [-q key] [map_type:]file...");
      return 1;
    }
    MapBuilder builder = new MapBuilder(options(cl), err, cl.hasOption("p"));
    TableOpener opener = new TableOpener(Path.of("").toAbsolutePath(),
        w -> err.println("postmap: " + w));
    try {
      if (cl.hasOption("q")) {
        return query(opener, maps, cl.getOptionValue("q"), in, out);
      }
      if (cl.hasOption("d")) {
        return delete(builder, opener, maps, cl.getOptionValue("d"), in);
      }
      if (cl.hasOption("s")) {
        return dump(opener, maps, out);
      }
      for (String m : maps) {
        TableSpec spec = TableSpec.parse(m);
        if (cl.hasOption("i")) {
          builder.addFromStdin(spec, opener.sourceFile(spec), in);
        } else {
          builder.compile(spec, opener.sourceFile(spec));
        }
      }
      return 0;
    } catch (TableConfigException | LookupException e) {
      err.println("postmap: fatal: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("postmap: fatal: " + e.getMessage());
      return 1;
    }
  }

  /** {@code -q key}: first map that has it wins; {@code -q -}: every stdin key, tab-separated. */
  private int query(TableOpener opener, List<String> maps, String key, InputStream in,
      PrintStream out) throws TableConfigException, LookupException, IOException {
    List<Table> tables = openAll(opener, maps);
    try {
      if (!key.equals("-")) {
        Optional<String> v = find(tables, key);
        v.ifPresent(out::println);
        return v.isPresent() ? 0 : 1;
      }
      boolean any = false;
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        String k = line.strip();
        if (k.isEmpty()) {
          continue;
        }
        Optional<String> v = find(tables, k);
        if (v.isPresent()) {
          out.println(k + "\t" + v.get());
          any = true;
        }
      }
      return any ? 0 : 1;
    } finally {
      tables.forEach(Table::close);
    }
  }

  private int delete(MapBuilder builder, TableOpener opener, List<String> maps, String key,
      InputStream in) throws TableConfigException, LookupException, IOException {
    List<String> keys = new ArrayList<>();
    if (key.equals("-")) {
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          keys.add(line.strip());
        }
      }
    } else {
      keys.add(key);
    }
    boolean found = false;
    for (String m : maps) {
      TableSpec spec = TableSpec.parse(m);
      found |= builder.delete(spec, opener.sourceFile(spec), keys);
    }
    return found ? 0 : 1;
  }

  private int dump(TableOpener opener, List<String> maps, PrintStream out)
      throws TableConfigException, LookupException {
    for (Table t : openAll(opener, maps)) {
      try {
        for (Map.Entry<String, String> e : MapBuilder.entriesOf(t)) {
          out.println(e.getKey() + "\t" + e.getValue());
        }
      } finally {
        t.close();
      }
    }
    return 0;
  }

  private static List<Table> openAll(TableOpener opener, List<String> maps)
      throws TableConfigException {
    List<Table> tables = new ArrayList<>();
    for (String m : maps) {
      tables.add(opener.open(TableSpec.parse(m)));
    }
    return tables;
  }

  private static Optional<String> find(List<Table> tables, String key) throws LookupException {
    for (Table t : tables) {
      Optional<String> v = t.lookup(key);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  /** How source lines are read: folding (-f off), duplicates (-r / -w, the last one wins). */
  private static PostmapSource.Options options(CommandLine cl) {
    PostmapSource.Duplicates dup = PostmapSource.Duplicates.WARN_KEEP_FIRST;
    for (Option o : cl.getOptions()) {
      if (o.getOpt().equals("r")) {
        dup = PostmapSource.Duplicates.REPLACE;
      } else if (o.getOpt().equals("w")) {
        dup = PostmapSource.Duplicates.IGNORE;
      }
    }
    return new PostmapSource.Options(!cl.hasOption("f"), dup);
  }

  private static Options options() {
    Options o = new Options();
    o.addOption(Option.builder("c").hasArg().desc("configuration directory").build());
    o.addOption(Option.builder("d").hasArg().desc("delete key").build());
    o.addOption(Option.builder("q").hasArg().desc("query key").build());
    for (char c : "fiNnoprsvw".toCharArray()) {
      o.addOption(String.valueOf(c), false, "");
    }
    for (char c : UNSUPPORTED.toCharArray()) {
      o.addOption(String.valueOf(c), false, "not supported");
    }
    return o;
  }
}
