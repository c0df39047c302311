package org.postern.maps.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a table source as Postfix 3.7 {@code postmap} does (postmap/postmap.c, spec e.6): logical
 * lines (see {@link LogicalLines}), the key ends at the first whitespace outside {@code "..."} (a
 * backslash protects the next character) and keeps its quotes and backslashes, the value is the
 * rest with surrounding blanks trimmed.
 *
 * <p>Trusts nothing in the input; every bad line is skipped or kept with a {@link SourceWarning}
 * naming file and line, in Postfix's words: non-UTF-8 lines and unbalanced quotes are skipped
 * (Postfix with smtputf8 on, the 3.7 default), a line without value is skipped, {@code key:} is
 * kept with a hint, duplicates follow {@link Duplicates}. Deviations: CR before LF is dropped
 * (Postfix keeps it inside continued values), and the duplicate warning names the source line
 * (Postfix's names only the .db file). Only an I/O error reading the input fails. Stateless and
 * thread-safe.
 */
public final class PostmapSource {
  /** What to do when a key (after folding) is seen again. */
  public enum Duplicates {
    /** The default: warn {@code duplicate entry: "KEY"}, keep the first value. */
    WARN_KEEP_FIRST,
    /** {@code postmap -r}: the last value wins, silently. */
    REPLACE,
    /** {@code postmap -w}: keep the first value, silently. */
    IGNORE
  }

  /** {@code foldCase} false is {@code postmap -f}. */
  public record Options(boolean foldCase, Duplicates duplicates) {
    public static final Options DEFAULT = new Options(true, Duplicates.WARN_KEEP_FIRST);

    public Options {
      Objects.requireNonNull(duplicates, "duplicates");
    }
  }

  /** Entries in first-appearance order with duplicates resolved; warnings in input order. */
  public record Result(List<SourceEntry> entries, List<SourceWarning> warnings) {
    public Result {
      entries = List.copyOf(entries);
      warnings = List.copyOf(warnings);
    }
  }

  private final String file;
  private final Options options;
  private final List<SourceWarning> warnings = new ArrayList<>();
  /** Every entry as read; duplicates are resolved at the end by sorting (no hash map: a
   * million-entry source must fit the postmap launcher's heap). */
  private final List<SourceEntry> all = new ArrayList<>();

  private PostmapSource(String file, Options options) {
    this.file = file;
    this.options = Objects.requireNonNull(options, "options");
  }

  public static Result read(Path source, Options options) throws IOException {
    try (InputStream in = Files.newInputStream(source)) {
      return read(source.toString(), in, options);
    }
  }

  /** Reads {@code in} to its end; {@code fileName} is only used in warnings. */
  public static Result read(String fileName, InputStream in, Options options) throws IOException {
    PostmapSource reader = new PostmapSource(fileName, options);
    LogicalLines lines = new LogicalLines(fileName, new SourceLines(in), reader.warnings);
    for (Optional<LogicalLine> line = lines.next(); line.isPresent(); line = lines.next()) {
      reader.add(line.get());
    }
    return reader.finish();
  }

  /**
   * The key as a folding table stores and looks it up. Postfix folds with ICU full case folding;
   * upper- then lower-casing in the root locale gives the same result for ASCII and for the common
   * non-ASCII cases ({@code ß} becomes {@code ss}).
   */
  public static String foldKey(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) >= 0x80) {
        return key.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
      }
    }
    return key.toLowerCase(Locale.ROOT);
  }

  private void add(LogicalLine line) {
    int number = line.firstLine();
    String text = line.text();
    if (!line.validUtf8()) {
      warn(number, "non-UTF-8 input \"" + text + "\" -- ignoring this line");
      return;
    }
    // The key ends at the first unquoted, unescaped whitespace; it keeps quotes and escapes.
    int end = keyEnd(text);
    if (end < 0) {
      warn(number, "unbalanced '\"' in '" + text + "' -- ignoring this line");
      return;
    }
    String key = text.substring(0, end);
    String value = trimBlanks(text, Math.min(end + 1, text.length()));
    if (key.isEmpty() || value.isEmpty()) {
      warn(number, "expected format: key whitespace value");
      return;
    }
    if (key.endsWith(":")) {
      warn(number, "record is in \"key: value\" format; is this an alias file?");
    }
    store(options.foldCase() ? foldKey(key) : key, value, number);
  }

  /** Index of the character that ends the key, or -1 when a quote is left open. */
  private static int keyEnd(String text) {
    boolean inQuotes = false;
    int i = 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (++i == text.length()) {
          break;
        }
      } else if (SourceLines.isSpace(c)) {
        if (!inQuotes) {
          break;
        }
      } else if (c == '"') {
        inQuotes = !inQuotes;
      }
    }
    return inQuotes ? -1 : Math.min(i, text.length());
  }

  private static String trimBlanks(String text, int from) {
    int start = from;
    int end = text.length();
    while (start < end && SourceLines.isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && SourceLines.isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private void store(String key, String value, int line) {
    all.add(new SourceEntry(key, value, line));
  }

  /**
   * Resolves duplicate keys: a stable sort by key puts each key's entries together in input
   * order; the first one stays (with the last value under -r), the others are dropped and,
   * by default, warned about. Entries keep first-appearance order, warnings line order.
   */
  private Result finish() {
    List<SourceEntry> byKey = new ArrayList<>(all);
    byKey.sort(Comparator.comparing(SourceEntry::key));
    BitSet dropped = new BitSet();
    Map<Integer, SourceEntry> replaced = new HashMap<>();
    List<SourceWarning> duplicates = new ArrayList<>();
    for (int i = 0; i < byKey.size(); ) {
      SourceEntry first = byKey.get(i);
      int j = i + 1;
      while (j < byKey.size() && byKey.get(j).key().equals(first.key())) {
        SourceEntry dup = byKey.get(j);
        dropped.set(dup.line());
        if (options.duplicates() == Duplicates.WARN_KEEP_FIRST) {
          duplicates.add(
              new SourceWarning(file, dup.line(), "duplicate entry: \"" + dup.key() + "\""));
        }
        j++;
      }
      if (j - i > 1 && options.duplicates() == Duplicates.REPLACE) {
        replaced.put(first.line(),
            new SourceEntry(first.key(), byKey.get(j - 1).value(), first.line()));
      }
      i = j;
    }
    List<SourceEntry> kept = new ArrayList<>(all.size() - dropped.cardinality());
    for (SourceEntry e : all) {
      if (!dropped.get(e.line())) {
        kept.add(replaced.getOrDefault(e.line(), e));
      }
    }
    List<SourceWarning> allWarnings = new ArrayList<>(warnings);
    allWarnings.addAll(duplicates);
    allWarnings.sort(Comparator.comparingInt(SourceWarning::line)); // stable
    return new Result(kept, allWarnings);
  }

  private void warn(int line, String text) {
    warnings.add(new SourceWarning(file, line, text));
  }
}
