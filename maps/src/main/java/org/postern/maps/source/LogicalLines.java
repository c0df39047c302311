package org.postern.maps.source;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Joins physical lines into logical lines exactly as Postfix's {@code readllines()}
 * (util/readlline.c): blank lines, whitespace-only lines and lines whose first non-blank is {@code
 * #} are dropped, also in the middle of a logical line; a line starting with whitespace continues
 * the previous one and is appended as is, its leading blanks included ({@code "line one"} + {@code
 * " continued two"} = {@code "line one continued two"}).
 *
 * <p>Diagnostics, added to the caller's list: text after a NUL byte is dropped, as C strings drop
 * it; a logical line that starts with whitespace (indented text with nothing before it) is skipped.
 * Deviation: Postfix names no line in the second warning; we name the line, as every source warning
 * does. Not thread-safe.
 */
final class LogicalLines {
  private static final int QUOTED_MAX = 30;

  private final String file;
  private final SourceLines lines;
  private final List<SourceWarning> warnings;

  LogicalLines(String file, SourceLines lines, List<SourceWarning> warnings) {
    this.file = file;
    this.lines = lines;
    this.warnings = warnings;
  }

  Optional<LogicalLine> next() throws IOException {
    for (; ; ) {
      // Collect one logical line: stop at EOF or before a line that starts new text.
      StringBuilder text = new StringBuilder();
      int firstLine = 0;
      boolean validUtf8 = true;
      boolean sawNul = false;
      while (lines.hasNext()) {
        SourceLine line = lines.next();
        if (!isBlankOrComment(line.text())) {
          if (text.length() == 0) {
            firstLine = line.number();
          }
          text.append(line.text());
          validUtf8 &= line.validUtf8();
          sawNul |= line.text().indexOf('\0') >= 0;
        }
        if (text.length() > 0 && !nextLineContinues()) {
          break;
        }
      }
      if (text.length() == 0) {
        return Optional.empty();
      }
      if (sawNul) {
        warnings.add(new SourceWarning(file, firstLine, "text after null byte may be ignored"));
        text.setLength(text.indexOf("\0"));
      }
      if (text.length() > 0 && SourceLines.isSpace(text.charAt(0))) {
        warnings.add(
            new SourceWarning(
                file,
                firstLine,
                "logical line must not start with whitespace: \"" + quoted(text) + "\""));
        continue;
      }
      return Optional.of(new LogicalLine(firstLine, text.toString(), validUtf8));
    }
  }

  static boolean isBlankOrComment(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!SourceLines.isSpace(c)) {
        return c == '#';
      }
    }
    return true;
  }

  /** Postfix peeks at the next byte: {@code #} or whitespace (an empty line's LF) continue. */
  private boolean nextLineContinues() throws IOException {
    if (!lines.hasNext()) {
      return false;
    }
    String next = lines.peek().text();
    return next.isEmpty() || next.charAt(0) == '#' || SourceLines.isSpace(next.charAt(0));
  }

  /** Postfix's {@code "%.30s%s"} with {@code "..."} when the text is longer. */
  private static String quoted(CharSequence text) {
    return text.length() > QUOTED_MAX ? text.subSequence(0, QUOTED_MAX) + "..." : text.toString();
  }
}
