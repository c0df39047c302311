package org.postern.compat.sendmail;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.engine.global.Sysexit;
import org.postern.maps.TableSpec;
import org.postern.maps.aliases.AliasDatabase;
import org.postern.maps.aliases.AliasDiagnostic;
import org.postern.maps.aliases.AliasSource;

/**
 * {@code newaliases}, {@code sendmail -bi} and {@code sendmail -I}: rebuilds every alias
 * database of {@code alias_database} ({@code type:name}, relative names against the instance
 * root), or the files given with {@code -oA} instead (relative to the current directory, as a
 * path typed on a command line is), each into {@code FILE.db} beside it.
 *
 * <p>Per file, as sendmail's readaliases: the diagnostics ({@code FILE: line N: ...}) on
 * stderr, then {@code FILE: N aliases, longest N bytes, N bytes total} on stdout. Bad lines
 * are skipped and do not change the exit status (0). A file that cannot be read exits 72, a
 * type we cannot build 78, a table that cannot be written 73; the other files are still
 * rebuilt and the first failure's code is the exit status. A failed build leaves the old
 * table in place. Not thread-safe.
 */
final class NewaliasesMode {
  /**
   * sendmail's literal word in these messages (alias.c: {@code "newaliases: cannot open %s:
   * %s"}), also under {@code sendmail -bi}.
   */
  private static final String PREFIX = "newaliases: ";

  private final Config config;
  private final SendmailOptions opts;
  private final Streams io;

  NewaliasesMode(Config config, SendmailOptions opts, Streams io) {
    this.config = config;
    this.opts = opts;
    this.io = io;
  }

  int run() {
    int status = Sysexit.EX_OK.code();
    for (Database db : databases()) {
      int s = rebuild(db);
      if (status == Sysexit.EX_OK.code()) {
        status = s;
      }
    }
    return status;
  }

  /** One alias database to rebuild: its spec as configured and its source file. */
  private record Database(TableSpec spec, Path source) {}

  /** {@code -oA} files (each adds to the list, and together they replace the configured one). */
  private List<Database> databases() {
    List<Database> out = new ArrayList<>();
    if (!opts.aliasFiles().isEmpty()) {
      for (String file : opts.aliasFiles()) {
        TableSpec spec = TableSpec.parse(file);
        out.add(new Database(spec, Path.of(spec.name()).toAbsolutePath()));
      }
      return out;
    }
    for (String entry : config.list(Params.ALIAS_DATABASE)) {
      TableSpec spec = TableSpec.parse(entry);
      out.add(new Database(spec, config.resolve(spec.name())));
    }
    return out;
  }

  private int rebuild(Database db) {
    String file = db.source().toString();
    // sendmail's map_init skips a class it cannot rebuild without a word; we say so and exit
    // EX_CONFIG: the configuration names a database newaliases cannot make.
    if (!db.spec().type().equals("hash") && !db.spec().type().equals("btree")) {
      io.err().println(PREFIX + db.spec().type() + ":" + file
          + ": cannot rebuild this type of alias database (only hash: and btree:)");
      return Sysexit.EX_CONFIG.code();
    }
    AliasSource.Result r;
    try {
      r = AliasSource.read(db.source());
    } catch (IOException e) {
      // sendmail prints this and carries on with exit 0; a script must see that no table was
      // built, so we exit EX_OSFILE, sendmail's code for a file it needs and cannot open
      // (readcf's "cannot open" of sendmail.cf).
      io.err().println(PREFIX + "cannot open " + file + ": " + reason(e));
      return Sysexit.EX_OSFILE.code();
    }
    for (AliasDiagnostic d : r.diagnostics()) {
      io.err().println(d.format());
    }
    try {
      AliasDatabase.build(db.source(), r);
    } catch (IOException e) {
      // sendmail's syserr wording; its status would be EX_OSERR (errno set), but the table is
      // an output file we could not create, which sysexits names EX_CANTCREAT.
      io.err().println(PREFIX + "Cannot create database for alias file " + file + ": "
          + reason(e));
      return Sysexit.EX_CANTCREAT.code();
    }
    io.out().println(r.summary(file));
    return Sysexit.EX_OK.code();
  }

  /** The strerror() text for the common causes, else the exception's own words. */
  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
