package org.postern.compat.praliases;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.postern.compat.launch.Halt;
import org.postern.compat.sendmail.Getopt;
import org.postern.compat.sendmail.UsageException;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Instance;
import org.postern.engine.global.Params;
import org.postern.engine.global.Sysexit;
import org.postern.maps.LookupException;
import org.postern.maps.TableConfigException;
import org.postern.maps.TableSpec;
import org.postern.maps.hash.HashTable;

/**
 * sendmail's praliases(8): prints the compiled aliases table as {@code key:value} lines in
 * table order ({@code @:@} included), or the named keys only. {@code -f file} picks the
 * alias file, {@code -C dir} the instance (default: alias_database).
 *
 * <p>Reads only. Exit 0; 78 when the table cannot be opened, 64 for bad flags.
 */
public final class PraliasesCommand {
  private final Map<String, String> env;

  public PraliasesCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    Halt.exit(
        new PraliasesCommand(System.getenv()).run(System.in, System.out, System.err, args));
  }

  public int run(InputStream in, PrintStream out, PrintStream err, String... args) {
    Getopt g = new Getopt("C:f:", Arrays.asList(args));
    Optional<String> configDir = Optional.empty();
    Optional<String> file = Optional.empty();
    try {
      for (Optional<Getopt.Option> o; (o = g.next()).isPresent(); ) {
        if (o.get().letter() == 'C') {
          configDir = o.get().value();
        } else {
          file = o.get().value();
        }
      }
    } catch (UsageException e) {
      err.println("praliases: " + e.line());
      // sendmail's usage line; deviation: -C names our configuration directory, not a .cf.
      err.println("usage: praliases [-C confdir] [-f aliasfile] [key ...]");
      return Sysexit.EX_USAGE.code();
    }
    try {
      Path source = file.isPresent() ? Path.of(file.get()) : aliasSource(configDir);
      Path db = source.resolveSibling(source.getFileName() + ".db");
      try (HashTable t = HashTable.open(db, "hash:" + source)) {
        if (g.operands().isEmpty()) {
          for (Map.Entry<String, String> e : t.entries()) {
            out.println(e.getKey() + ":" + e.getValue());
          }
        }
        for (String key : g.operands()) {
          Optional<String> v = t.lookup(key);
          out.println(v.isPresent() ? key + ":" + v.get() : key + ": No such key");
        }
      }
      return Sysexit.EX_OK.code();
    } catch (ConfigException | TableConfigException e) {
      err.println("praliases: " + e.getMessage());
      return Sysexit.EX_CONFIG.code();
    } catch (LookupException e) {
      err.println("praliases: " + e.getMessage());
      return Sysexit.EX_TEMPFAIL.code();
    }
  }

  /** The first file of alias_database, resolved against the instance's root. */
  private Path aliasSource(Optional<String> configDir) throws ConfigException {
    Config config = Instance.load(configDir, env);
    String first = config.list(Params.ALIAS_DATABASE).get(0);
    return config.resolve(TableSpec.parse(first).name());
  }
}
