package org.postern.maps.aliases;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.maps.source.SourceLine;
import org.postern.maps.source.SourceLines;

/**
 * Reads an aliases(5) file as sendmail 8.17's newaliases does (alias.c {@code readaliases}
 * and {@code contline}, spec c.1/c.2): {@code name: value, value} entries; a line starting
 * with a space or tab continues the entry, and so does a backslash before the newline (the
 * next line is then joined whatever it holds); the line break is dropped and the continuation
 * keeps its own leading blanks ({@code alice, bob,} + {@code \tcarol} = {@code alice,
 * bob,\tcarol}), as sendmail stores it. Keys are folded to lower case (a quoted key keeps its
 * quotes), values are stored as written after the blanks that follow the colon.
 *
 * <p>Trusts nothing in the file. Errors skip the entry, in sendmail's words: missing colon,
 * illegal (empty) or non-local ({@code @}) name, missing value, unbalanced quotes or angle
 * brackets (sendmail checks the value only with CheckAliases; we always do, since the
 * expander cannot split such a value), a first line that starts with a blank. Warnings keep
 * it: duplicate name (the last one wins, as sendmail's hash store replaces), non-UTF-8 text.
 * Diagnostics name the entry's last line, as sendmail's do. Deviations, each to avoid silently
 * losing aliases: empty and comment lines (first non-blank {@code #}) between continuation
 * lines are skipped, as Postfix does (sendmail ends the entry there and rejects the indented
 * rest); lines have no length limit; CR before LF is dropped. Reads the whole file into
 * memory; only an I/O error reading it fails. Stateless and thread-safe.
 */
public final class AliasSource {
  /** sendmail's {@code %.40s} when it quotes the start of a bad entry. */
  private static final int QUOTED_MAX = 40;

  /**
   * The effective entries in file order (a duplicate name sits where its last definition
   * is), every diagnostic in line order, and sendmail's statistics. Immutable.
   */
  public record Result(
      List<AliasEntry> entries,
      List<AliasDiagnostic> diagnostics,
      long aliasCount,
      long longestBytes,
      long totalBytes) {
    public Result {
      entries = List.copyOf(entries);
      diagnostics = List.copyOf(diagnostics);
    }

    /** sendmail's statistics line: {@code FILE: 15 aliases, longest 34 bytes, 271 bytes total}. */
    public String summary(String file) {
      return file + ": " + aliasCount + " aliases, longest " + longestBytes + " bytes, "
          + totalBytes + " bytes total";
    }

    /** How many diagnostics are errors (entries skipped). */
    public long errorCount() {
      return diagnostics.stream().filter(AliasDiagnostic::error).count();
    }
  }

  private final String file;
  private final Map<String, AliasEntry> entries;
  private final List<AliasDiagnostic> diagnostics = new ArrayList<>();
  private long aliasCount;
  private long longestBytes;
  private long totalBytes;

  /** {@code bytes}: the source's size if known (else 0), to size the table once. */
  private AliasSource(String file, long bytes) {
    this.file = file;
    // An entry takes 16 bytes or more: no rehashing of a large file before the JIT is warm.
    this.entries = new LinkedHashMap<>((int) Math.min(bytes / 16 * 4 / 3 + 16, 1 << 21));
  }

  /** Reads {@code file}; diagnostics name it as given. */
  public static Result read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(new AliasSource(file.toString(), Files.size(file)), in);
    }
  }

  /** Reads {@code in} to its end; {@code fileName} is only used in diagnostics. */
  public static Result read(String fileName, InputStream in) throws IOException {
    return read(new AliasSource(fileName, 0), in);
  }

  private static Result read(AliasSource reader, InputStream in) throws IOException {
    SourceLines lines = new SourceLines(in);
    while (lines.hasNext()) {
      SourceLine first = lines.next();
      if (!isBlankOrComment(first.text())) {
        reader.readEntry(first, lines);
      }
    }
    return new Result(List.copyOf(reader.entries.values()), reader.diagnostics,
        reader.aliasCount, reader.longestBytes, reader.totalBytes);
  }

  /** Joins the continuation lines of the entry that starts at {@code first}, then adds it. */
  private void readEntry(SourceLine first, SourceLines lines) throws IOException {
    String text = first.text();
    StringBuilder joined = null; // most entries are one line: no copy for them
    int last = first.number();
    boolean validUtf8 = first.validUtf8();
    for (; ; ) {
      CharSequence sofar = joined == null ? text : joined;
      boolean backslash = sofar.length() > 0 && sofar.charAt(sofar.length() - 1) == '\\';
      if (!backslash) {
        while (lines.hasNext() && isSkippedInEntry(lines.peek().text())) {
          lines.next();
        }
        if (!lines.hasNext() || !startsWithBlank(lines.peek().text())) {
          break;
        }
      }
      if (joined == null) {
        joined = new StringBuilder(text);
      }
      if (backslash) {
        // Backslash-newline: both go, the next line is joined as it is (contline()).
        joined.setLength(joined.length() - 1);
        if (!lines.hasNext()) {
          break;
        }
      }
      SourceLine next = lines.next();
      joined.append(next.text());
      last = next.number();
      validUtf8 &= next.validUtf8();
    }
    if (!validUtf8) {
      warn(last, "non-UTF-8 input, bad bytes replaced by U+FFFD");
    }
    add(first.number(), last, joined == null ? text : joined.toString());
  }

  /**
   * Deviation (Postfix): a comment line or an empty line does not end an entry, it is skipped.
   * A line of blanks does continue it, as in sendmail, so the value keeps those blanks.
   */
  private static boolean isSkippedInEntry(String text) {
    int i = firstNonBlank(text);
    return i < text.length() ? text.charAt(i) == '#' : !startsWithBlank(text);
  }

  /** Checks one logical entry and stores it; {@code last} is the line diagnostics name. */
  private void add(int firstLine, int last, String text) {
    if (startsWithBlank(text)) {
      error(last, "Non-continuation line starts with space");
      return;
    }
    // The checks run over the entry's UTF-8 bytes: every character they look for is ASCII,
    // which UTF-8 never uses inside another character, and sendmail counts bytes. One copy,
    // and no charAt, three calls per character until the JIT has compiled it (newaliases
    // ends before it compiles much).
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    int colon = 0;
    while (colon < b.length && b[colon] != ':') {
      colon++;
    }
    if (colon == b.length) {
      error(last, "missing colon");
      return;
    }
    int nameStart = 0;
    int nameEnd = colon;
    while (nameStart < nameEnd && isSpace(b[nameStart])) {
      nameStart++;
    }
    while (nameEnd > nameStart && isSpace(b[nameEnd - 1])) {
      nameEnd--;
    }
    int rhsStart = colon + 1;
    while (rhsStart < b.length && isSpace(b[rhsStart])) {
      rhsStart++;
    }
    String lhs = new String(b, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8);
    String rhs = new String(b, rhsStart, b.length - rhsStart, StandardCharsets.UTF_8);
    // The checks in sendmail's order: the name, then the value.
    Optional<String> problem;
    Optional<String> badName = unbalanced(b, nameStart, nameEnd);
    if (lhs.isEmpty()) {
      problem = Optional.of(quoted(text) + "... illegal alias name");
    } else if (badName.isPresent()) {
      problem = Optional.of(quoted(text) + "... " + badName.get());
    } else if (hasUnquotedAt(b, nameStart, nameEnd)) {
      problem = Optional.of(lhs + "... cannot alias non-local names");
    } else if (rhs.isEmpty()) {
      problem = Optional.of(quoted(text) + "... missing value for alias");
    } else {
      problem = unbalanced(b, rhsStart, b.length);
      if (problem.isPresent()) {
        problem = Optional.of(quoted(text) + "... " + problem.get());
      }
    }
    if (problem.isPresent()) {
      error(last, problem.get());
      return;
    }
    // Lookups fold with toLowerCase(ROOT) (HashTable); sendmail folds ASCII only, which is
    // the same for every ASCII name. An ASCII name without capitals is its own folding.
    String key = needsFolding(b, nameStart, nameEnd) ? lhs.toLowerCase(Locale.ROOT) : lhs;
    store(key, lhs, rhs, firstLine, last, nameEnd - nameStart, b.length - rhsStart);
  }

  private void store(String key, String lhs, String rhs, int firstLine, int last,
      int lhsBytes, int rhsBytes) {
    // Last wins and moves to its own place in file order, as sendmail's hash store replaces.
    AliasEntry entry = new AliasEntry(key, rhs, firstLine);
    if (entries.put(key, entry) != null) {
      entries.remove(key);
      entries.put(key, entry);
      warn(last, lhs + "... Warning: duplicate alias name " + lhs);
    }
    // sendmail's arithmetic (alias.c readaliases): every stored line counts, duplicates
    // included; total += strlen(lhs) + strlen(rhs), longest = max strlen(rhs), in bytes of
    // the name as written and the value as stored. No terminating NULs are counted.
    aliasCount++;
    totalBytes += lhsBytes + rhsBytes;
    longestBytes = Math.max(longestBytes, rhsBytes);
  }

  /**
   * sendmail's prescan() complaint for {@code s}, if any: a {@code "..."} left open, or an
   * angle bracket without its partner. A backslash protects the next character; quotes and
   * brackets inside a (comment) do not count, as in RFC 5322 and {@link AliasValue}.
   */
  private static Optional<String> unbalanced(byte[] bytes, int from, int to) {
    boolean quoted = false;
    int angle = 0;
    int paren = 0;
    for (int i = from; i < to; i++) {
      byte c = bytes[i];
      if (c == '\\') {
        i++;
      } else if (quoted) {
        quoted = c != '"';
      } else if (paren > 0) {
        paren += c == '(' ? 1 : c == ')' ? -1 : 0;
      } else if (c == '"') {
        quoted = true;
      } else if (c == '(') {
        paren++;
      } else if (c == '<') {
        angle++;
      } else if (c == '>') {
        if (angle == 0) {
          return Optional.of("Unbalanced '>'");
        }
        angle--;
      }
    }
    if (quoted) {
      return Optional.of("Unbalanced '\"'");
    }
    return angle > 0 ? Optional.of("Unbalanced '<'") : Optional.empty();
  }

  /** sendmail's {@code %.40s} of the entry's text. */
  private static String quoted(String text) {
    return text.length() > QUOTED_MAX ? text.substring(0, QUOTED_MAX) : text;
  }

  /** A name with {@code @} outside quotes resolves to a remote mailer in sendmail. */
  private static boolean hasUnquotedAt(byte[] bytes, int from, int to) {
    boolean quoted = false;
    for (int i = from; i < to; i++) {
      byte c = bytes[i];
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '@' && !quoted) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code bytes[from..to)} holds an ASCII capital or a non-ASCII byte. */
  private static boolean needsFolding(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] < 0 || bytes[i] >= 'A' && bytes[i] <= 'Z') {
        return true;
      }
    }
    return false;
  }

  /** Empty, white space only, or a comment. */
  private static boolean isBlankOrComment(String text) {
    int i = firstNonBlank(text);
    return i == text.length() || text.charAt(i) == '#';
  }

  /** The index of the first character that is not a space ({@code text.length()} if none). */
  private static int firstNonBlank(String text) {
    int i = 0;
    while (i < text.length() && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** sendmail's continuation test looks for a space or a tab only. */
  private static boolean startsWithBlank(String text) {
    return text.length() > 0 && (text.charAt(0) == ' ' || text.charAt(0) == '\t');
  }

  /** C's isspace() in the C locale, as SM_ISSPACE. */
  private static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }

  private void error(int line, String text) {
    diagnostics.add(new AliasDiagnostic(file, line, text, true));
  }

  private void warn(int line, String text) {
    diagnostics.add(new AliasDiagnostic(file, line, text, false));
  }
}
