package org.postern.compat.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.MainCf;

/**
 * The new text of Postern's main.cf: the administrator's lines as they are, and the carried
 * settings in one marked block at the end, replacing the block of an earlier run.
 *
 * <p>A parameter the administrator set outside the block is left alone and reported as
 * kept; one still at the packaged main.cf's value is not the administrator's choice, so its
 * line is commented out and the migrated value takes its place. Running again on its own
 * output gives the same text (the block keeps its date while its settings do not change).
 * Trusts the existing main.cf only as far as {@link MainCf} parses it. Stateless.
 */
final class MainCfMerge {
  static final String BEGIN = "# --- postern migrate from ";
  static final String END = "# --- end of postern migrate ---";
  private static final String REPLACED = "# replaced by postern migrate: ";

  /** A migrated setting not written because the administrator set the parameter. */
  record Kept(Carried migrated, String value, int line) {}

  /** The text to write, what went into the block, and what the administrator kept. */
  record Result(List<String> lines, List<Carried> written, List<Kept> kept) {}

  private MainCfMerge() {}

  static Result merge(Path mainCf, List<String> existing, Migration m, String date)
      throws ConfigException {
    // Split: the administrator's lines (the old block blanked, so line numbers stay), and
    // the old block's header and body.
    List<String> outside = new ArrayList<>();
    List<String> oldBody = new ArrayList<>();
    String oldHeader = null;
    boolean inBlock = false;
    for (String line : existing) {
      if (!inBlock && line.startsWith(BEGIN)) {
        inBlock = true;
        oldHeader = line;
        outside.add("");
      } else if (inBlock) {
        inBlock = !line.equals(END);
        if (inBlock) {
          oldBody.add(line);
        }
        outside.add("");
      } else {
        outside.add(line);
      }
    }
    // Decide each carried setting against the administrator's own.
    Map<String, MainCf.Setting> own = MainCf.parse(mainCf, outside).settings();
    Map<String, MainCf.Setting> packaged = packaged();
    List<Carried> written = new ArrayList<>();
    List<Kept> kept = new ArrayList<>();
    List<String> body = new ArrayList<>();
    for (Carried c : m.carried()) {
      MainCf.Setting mine = own.get(c.parameter());
      MainCf.Setting shipped = packaged.get(c.parameter());
      boolean isPackaged = mine != null && shipped != null
          && shipped.value().equals(mine.value());
      if (mine != null && !isPackaged) {
        kept.add(new Kept(c, mine.value(), mine.line()));
        continue;
      }
      if (isPackaged) {
        outside.set(mine.line() - 1, REPLACED + outside.get(mine.line() - 1));
      }
      written.add(c);
      body.add("# " + c.origin());
      body.add(c.parameter() + " = " + c.value());
    }
    // Assemble: the administrator's lines without the blank the old block left, then the block.
    List<String> lines = withoutBlockGap(outside, existing);
    if (!body.isEmpty()) {
      boolean sameAsBefore = oldHeader != null && oldBody.equals(body);
      lines.add(sameAsBefore ? oldHeader : BEGIN + m.from() + " (" + date
          + "): do not edit between these lines; re-run postern migrate to redo ---");
      lines.addAll(body);
      lines.add(END);
    }
    return new Result(lines, written, kept);
  }

  /** The lines, minus those that held the old block (blank in {@code outside}). */
  private static List<String> withoutBlockGap(List<String> outside, List<String> existing) {
    List<String> lines = new ArrayList<>();
    boolean inBlock = false;
    for (int i = 0; i < outside.size(); i++) {
      String line = existing.get(i);
      if (!inBlock && line.startsWith(BEGIN)) {
        inBlock = true;
      } else if (inBlock && line.equals(END)) {
        inBlock = false;
      } else if (!inBlock) {
        lines.add(outside.get(i));
      }
    }
    return lines;
  }

  /** The settings of the main.cf the package ships (etc/main.cf, kept in this jar). */
  private static Map<String, MainCf.Setting> packaged() throws ConfigException {
    try (InputStream in = MainCfMerge.class.getResourceAsStream("main.cf")) {
      if (in == null) {
        throw new ConfigException("the packaged main.cf is missing from the postern jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return MainCf.parse(Path.of("main.cf"), text.lines().toList()).settings();
    } catch (IOException e) {
      throw new ConfigException("read the packaged main.cf: " + e.getMessage(), e);
    }
  }
}
