package org.postern.engine.global;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed text of one main.cf: {@code name = value} lines, {@code #} comments, and lines
 * starting with white space continuing the previous one (Postfix's syntax).
 *
 * <p>Trusts nothing in the file: a line that is not {@code name = value} is reported with
 * file:line, an unknown name is kept and warned about (Postfix's habit: it catches typos);
 * {@code PORT.name} of a known name is a listener override ({@link ParameterName}).
 * Immutable once read.
 */
public final class MainCf {
  /** One setting, with where it was written. */
  public record Setting(String name, String value, int line) {}

  private final Path file;
  private final Map<String, Setting> settings;
  private final List<String> warnings;

  private MainCf(Path file, Map<String, Setting> settings, List<String> warnings) {
    this.file = file;
    this.settings = Collections.unmodifiableMap(settings);
    this.warnings = List.copyOf(warnings);
  }

  public static MainCf read(Path file) throws ConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("open " + file + ": No such file or directory");
    } catch (IOException e) {
      throw new ConfigException("read " + file + ": " + e.getMessage(), e);
    }
    return parse(file, lines);
  }

  /** A main.cf with no settings. */
  public static MainCf empty(Path file) {
    return new MainCf(file, new LinkedHashMap<>(), List.of());
  }

  /** The settings of {@code lines}, read as the file {@code file} (named in errors). */
  public static MainCf parse(Path file, List<String> lines) throws ConfigException {
    Map<String, Setting> settings = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    StringBuilder logical = null;
    int start = 0;
    for (int i = 0; i <= lines.size(); i++) {
      String line = i < lines.size() ? lines.get(i) : null;
      boolean continuation =
          line != null && !line.isEmpty() && Character.isWhitespace(line.charAt(0));
      if (line != null && line.strip().startsWith("#")) {
        continue; // comments may sit anywhere, also inside a continued value
      }
      if (continuation && logical != null) {
        logical.append(' ').append(line.strip());
        continue;
      }
      if (logical != null) {
        addSetting(file, start, logical.toString(), settings, warnings);
        logical = null;
      }
      if (line == null || line.isBlank()) {
        continue;
      }
      if (continuation) {
        throw new ConfigException(file + ", line " + (i + 1) + ": text before first parameter");
      }
      logical = new StringBuilder(line.strip());
      start = i + 1;
    }
    return new MainCf(file, settings, warnings);
  }

  private static void addSetting(
      Path file, int line, String text, Map<String, Setting> settings, List<String> warnings)
      throws ConfigException {
    int eq = text.indexOf('=');
    String name = eq < 0 ? "" : text.substring(0, eq).strip();
    if (eq < 0 || name.isEmpty() || !isParameterName(name)) {
      throw new ConfigException(
          file + ", line " + line + ": missing '=' after parameter name: \"" + text + "\"");
    }
    String value = text.substring(eq + 1).strip();
    if (ParameterName.parse(name).isEmpty()) {
      warnings.add(file + ", line " + line + ": unused parameter: " + name + "=" + value);
    }
    settings.put(name, new Setting(name, value, line));
  }

  /** {@code [A-Za-z0-9_.-]+}, checked without a regex (this runs on every command start). */
  private static boolean isParameterName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '_' || c == '.' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  public Path file() {
    return file;
  }

  /** Settings in file order (a later duplicate replaces an earlier one, as in Postfix). */
  public Map<String, Setting> settings() {
    return settings;
  }

  /** Unknown-parameter warnings, each {@code FILE, line N: unused parameter: name=value}. */
  public List<String> warnings() {
    return warnings;
  }
}
