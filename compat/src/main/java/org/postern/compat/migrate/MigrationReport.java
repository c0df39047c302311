package org.postern.compat.migrate;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The report of one migration, as {@code postern migrate} prints it: what was carried over
 * ({@code old-file:line -> parameter = value}), what the administrator's main.cf kept, what
 * has no Postern equivalent and what that changes, the decisions left, the tables written,
 * and a last {@code summary:} line with the counts. Prints only what the model holds:
 * readers never put a secret in it, and a secret table is named, never shown. Stateless.
 */
final class MigrationReport {
  private MigrationReport() {}

  static void print(PrintStream out, Migration m, MainCfMerge.Result merge, Path root) {
    Path configDir = OldTables.configDir(root);
    Path mainCf = configDir.resolve("main.cf");
    out.println("postern migrate: from " + m.from() + " into " + mainCf);
    out.println("carried over (" + merge.written().size() + "):");
    for (Carried c : merge.written()) {
      out.println("  " + c.origin() + " -> " + c.parameter() + " = " + c.value());
    }
    if (!merge.kept().isEmpty()) {
      out.println("kept, already set in " + mainCf + " (" + merge.kept().size() + "):");
      for (MainCfMerge.Kept k : merge.kept()) {
        String mine = (k.migrated().parameter() + " = " + k.value()).strip();
        out.println("  " + mainCf + ":" + k.line() + " " + mine + " ("
            + k.migrated().origin() + " gives " + k.migrated().value() + ")");
      }
    }
    for (MigratedTable t : m.tables()) {
      out.println("table " + configDir.resolve(t.fileName()) + " from " + t.origin()
          + (t.secret() ? " (secret: mode 0640, contents not shown)" : ""));
    }
    for (String file : m.aliasFiles()) {
      out.println("aliases " + root.resolve(file.substring(1)) + " compiled as newaliases does");
    }
    out.println("not carried over (" + m.notCarried().size() + "):");
    for (NotCarried n : m.notCarried()) {
      out.println("  " + n.origin() + " " + n.setting() + ": " + n.consequence());
    }
    out.println("needs a decision (" + m.decisions().size() + "):");
    for (Decision d : m.decisions()) {
      out.println("  " + d.origin() + " " + d.question());
    }
    // One line a package script can show as it is.
    out.println("summary: from " + m.from() + ", " + merge.written().size() + " carried over, "
        + merge.kept().size() + " kept, " + m.notCarried().size() + " not carried over, "
        + m.decisions().size() + " to decide");
  }
}
