package org.postern.maps.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a table source as sendmail 8.17 {@code makemap} does (makemap/makemap.c, spec e.6 and f.2):
 * one entry per physical line, no continuation; the key runs to the first delimiter (whitespace, or
 * {@code -t c}), the value starts after the run of delimiters and keeps its trailing blanks; a line
 * starting with the comment character ({@code #}, or {@code -D c}) in column 0 is skipped, and so
 * is an empty line.
 *
 * <p>Trusts nothing in the input. Errors, in sendmail's words, skip the line and count in {@link
 * Result#errorCount()} so that makemap exits 65 yet still builds the map: leading space (whitespace
 * delimiter only), no value (unless {@code -e}), a duplicate key (unless {@code -r} or {@code -d};
 * first kept), a NUL byte. A line that is not UTF-8 is kept with U+FFFD for its bad bytes and a
 * warning that is not an error (sendmail is 8-bit clean, we store text). Deviations: CR before LF
 * is dropped; lines longer than sendmail's 1024-byte buffer are read whole instead of failing. Only
 * an I/O error fails. Thread-safe.
 */
public final class MakemapSource {
  /** What to do when a key (after folding) is seen again. */
  public enum Duplicates {
    /** The default: error {@code key KEY: duplicate key}, keep the first value. */
    ERROR_KEEP_FIRST,
    /** {@code makemap -r}: the last value wins, silently. */
    REPLACE,
    /** {@code makemap -d}: keep every entry in input order; lookups answer the first. */
    KEEP_ALL
  }

  /**
   * {@code foldCase} false is {@code -f}; {@code delimiter} is {@code -t c} (empty: any
   * whitespace); {@code commentChar} is {@code -D c} (empty: no comment lines, as {@code -D ''});
   * {@code allowEmpty} is {@code -e}. {@code includeNul} ({@code -N}) is recorded for the table
   * layer and does not change parsing.
   */
  public record Options(
      boolean foldCase,
      Duplicates duplicates,
      Optional<Character> delimiter,
      Optional<Character> commentChar,
      boolean allowEmpty,
      boolean includeNul) {
    public static final Options DEFAULT =
        new Options(
            true, Duplicates.ERROR_KEEP_FIRST, Optional.empty(), Optional.of('#'), false, false);

    public Options {
      Objects.requireNonNull(duplicates, "duplicates");
      Objects.requireNonNull(delimiter, "delimiter");
      Objects.requireNonNull(commentChar, "commentChar");
    }
  }

  /**
   * Entries in input order (first appearance unless {@link Duplicates#KEEP_ALL}); warnings (errors
   * included) in input order; {@code errorCount} lines had errors.
   */
  public record Result(List<SourceEntry> entries, List<SourceWarning> warnings, int errorCount) {
    public Result {
      entries = List.copyOf(entries);
      warnings = List.copyOf(warnings);
    }
  }

  private final String file;
  private final Options options;
  private final boolean byWhitespace;
  private final char delimiter;
  private final boolean hasComments;
  private final char commentChar;
  private final List<SourceWarning> warnings = new ArrayList<>();
  private final Map<String, SourceEntry> unique = new LinkedHashMap<>();
  private final List<SourceEntry> all = new ArrayList<>();
  private int errorCount;

  private MakemapSource(String file, Options options) {
    this.file = file;
    this.options = Objects.requireNonNull(options, "options");
    // Unboxed once: these tests run for every line and every character of the source.
    this.byWhitespace = options.delimiter().isEmpty();
    this.delimiter = options.delimiter().orElse(' ');
    this.hasComments = options.commentChar().isPresent();
    this.commentChar = options.commentChar().orElse('#');
  }

  public static Result read(Path source, Options options) throws IOException {
    try (InputStream in = Files.newInputStream(source)) {
      return read(source.toString(), in, options);
    }
  }

  /** Reads {@code in} to its end; {@code fileName} (makemap: the map name) is for warnings. */
  public static Result read(String fileName, InputStream in, Options options) throws IOException {
    MakemapSource reader = new MakemapSource(fileName, options);
    SourceLines lines = new SourceLines(in);
    while (lines.hasNext()) {
      reader.add(lines.next());
    }
    List<SourceEntry> entries =
        options.duplicates() == Duplicates.KEEP_ALL
            ? reader.all
            : new ArrayList<>(reader.unique.values());
    return new Result(entries, reader.warnings, reader.errorCount);
  }

  /** The key as makemap folds it: ASCII letters only ({@code isascii && isupper}). */
  public static String foldKey(String key) {
    char[] chars = null;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (chars == null) {
          chars = key.toCharArray();
        }
        chars[i] = (char) (c + ('a' - 'A'));
      }
    }
    return chars == null ? key : new String(chars);
  }

  private void add(SourceLine line) {
    int number = line.number();
    String text = line.text();
    // sendmail's fgets/strchr line handling cannot get past a NUL: the line is lost, exit 65.
    if (text.indexOf('\0') >= 0) {
      error(number, "null byte in line -- ignoring this line");
      return;
    }
    if (text.isEmpty() || hasComments && text.charAt(0) == commentChar) {
      return;
    }
    if (byWhitespace && SourceLines.isSpace(text.charAt(0))) {
      error(number, "syntax error (leading space)");
      return;
    }
    if (!line.validUtf8()) {
      warnings.add(
          new SourceWarning(file, number, "non-UTF-8 input, bad bytes replaced by U+FFFD"));
    }
    // Key up to the first delimiter; the value after the whole run of delimiters.
    int end = 0;
    while (end < text.length() && !isDelimiter(text.charAt(end))) {
      end++;
    }
    int start = end;
    while (start < text.length() && isDelimiter(text.charAt(start))) {
      start++;
    }
    String key = options.foldCase() ? foldKey(text.substring(0, end)) : text.substring(0, end);
    String value = text.substring(start);
    if (value.isEmpty() && !options.allowEmpty()) {
      error(number, "no RHS for LHS " + key);
      return;
    }
    store(new SourceEntry(key, value, number));
  }

  private boolean isDelimiter(char c) {
    return byWhitespace ? SourceLines.isSpace(c) : c == delimiter;
  }

  private void store(SourceEntry entry) {
    switch (options.duplicates()) {
      case KEEP_ALL -> all.add(entry);
      case REPLACE -> unique.put(entry.key(), entry);
      case ERROR_KEEP_FIRST -> {
        if (unique.putIfAbsent(entry.key(), entry) != null) {
          error(entry.line(), "key " + entry.key() + ": duplicate key");
        }
      }
    }
  }

  private void error(int line, String text) {
    warnings.add(new SourceWarning(file, line, text));
    errorCount++;
  }
}
