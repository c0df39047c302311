package org.postern.engine.bounce;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Turns untrusted text (addresses, remote replies, envelope ids) into header fields and text lines
 * that stay valid: every control character, DEL and non-ASCII byte becomes an xtext {@code +HH}
 * escape (RFC 3461 §4), so a value can never end a field early or smuggle in a line; values are
 * capped and folded at spaces (RFC 5322 §2.2.3) so no line passes 998.
 *
 * <p>Escaping is one-way and only for display; "+" itself is left alone, as Postfix leaves it.
 * Stateless and thread-safe.
 */
final class FieldText {
  /** Longest escaped value written; with a field name this keeps a line far below 998. */
  static final int MAX_VALUE = 900;

  /** Where folding and wrapping aim to break (RFC 5322 §2.1.1 "SHOULD" limit). */
  static final int LINE = 78;

  // RFC 5322 §3.3 date-time, numeric zone.
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

  private FieldText() {}

  /** An RFC 5322 date-time for {@code millis} in {@code zone}. */
  static String date(long millis, ZoneId zone) {
    return DATE.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  /** {@code s} with unsafe bytes escaped, tabs as spaces, capped at {@link #MAX_VALUE}. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      if (u == '\t') {
        b.append(' ');
      } else if (u < 0x20 || u >= 0x7f) {
        b.append('+').append(String.format(Locale.ROOT, "%02X", u));
      } else {
        b.append((char) u);
      }
    }
    if (b.length() > MAX_VALUE) {
      b.setLength(MAX_VALUE - 3);
      b.append("...");
    }
    return b.toString();
  }

  /**
   * The field {@code name: value} (value already escaped), folded before a space wherever a line
   * would pass {@link #LINE}; one newline-terminated string.
   */
  static String field(String name, String value) {
    return wrap(name + ": " + value, " ", name.length() + 1);
  }

  /**
   * {@code text} (already escaped) broken at spaces into lines of about {@link #LINE} characters,
   * continuation lines starting with {@code indent}; newline-terminated.
   */
  static String wrap(String text, String indent) {
    return wrap(text, indent, 0);
  }

  // Never breaks the first line at or before firstOffset (a field's "Name:").
  private static String wrap(String text, String indent, int firstOffset) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    String rest = text;
    boolean first = true;
    while (true) {
      String line = first ? rest : indent + rest;
      if (line.length() <= LINE) {
        out.append(line).append('\n');
        return out.toString();
      }
      // Break at the last space that keeps the line short, else at the first space at all.
      int offset = first ? firstOffset : indent.length();
      int cut = line.lastIndexOf(' ', LINE);
      if (cut <= offset) {
        cut = line.indexOf(' ', offset + 1);
      }
      if (cut < 0) {
        out.append(line).append('\n');
        return out.toString();
      }
      out.append(line, 0, cut).append('\n');
      rest = line.substring(cut + 1);
      first = false;
    }
  }
}
