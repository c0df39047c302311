package org.postern.compat.migrate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MainCf;
import org.postern.engine.global.Params;
import org.postern.maps.TableConfigException;

/**
 * One {@code postern migrate}: the reader's findings merged into ROOT/etc/postern/main.cf,
 * written (or, dry, printed) and reported on {@code out}.
 *
 * <p>Trusts the reader it is given and the existing main.cf as far as {@link MainCf} parses
 * it. An old file that cannot be read is a {@link ReadException}; a main.cf that does not
 * parse a ConfigException; writing fails with IOException or TableConfigException. One
 * instance per run.
 */
public final class MigrationRun {
  /** An old MTA's file that could not be read; the cause names it. */
  public static final class ReadException extends Exception {
    private static final long serialVersionUID = 1L;

    ReadException(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  private final Path root;
  private final MtaReader reader;
  private final PrintStream out;
  private final PrintStream err;

  public MigrationRun(Path root, MtaReader reader, PrintStream out, PrintStream err) {
    this.root = root;
    this.reader = reader;
    this.out = out;
    this.err = err;
  }

  public void run(boolean dryRun)
      throws ReadException, ConfigException, IOException, TableConfigException {
    // Read the old MTA, then merge into the existing main.cf (if any).
    Migration m;
    try {
      m = reader.read(root);
    } catch (IOException e) {
      throw new ReadException(e);
    }
    Path mainCf = OldTables.configDir(root).resolve("main.cf");
    List<String> existing = Files.exists(mainCf)
        ? Files.readAllLines(mainCf, StandardCharsets.UTF_8) : List.of();
    MainCfMerge.Result merge = MainCfMerge.merge(mainCf, existing, m,
        LocalDate.now(ZoneOffset.UTC).toString());
    // Dry: main.cf and the report only. Else the files, then the report.
    if (dryRun) {
      out.print(MigrationWriter.text(merge.lines()));
      out.println();
    } else {
      MainCf merged = MainCf.parse(mainCf, merge.lines());
      MainCf.Setting owner = merged.settings().get(Params.MAIL_OWNER.name());
      MigrationWriter.write(root, m, merge.lines(),
          owner != null ? owner.value() : Params.MAIL_OWNER.defaultValue(), err);
    }
    MigrationReport.print(out, m, merge, root);
  }
}
