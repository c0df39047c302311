package org.postern.maps.aliases;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the right-hand side of an alias, a {@code .forward} line or an {@code :include:}
 * line into its members (aliases(5)): commas separate members outside double quotes, angle
 * brackets and parentheses; a member quoted as a whole ({@code "|/usr/bin/vacation bob"})
 * loses its quotes; an {@code error:} member runs to the end of its line (its text may hold
 * commas); {@code Name <addr>} becomes {@code addr}; a {@code (comment)} is dropped;
 * {@code &#92;user}, {@code |command}, {@code /file}, {@code :include:FILE} and {@code error:...}
 * are kept as written for the expander to classify.
 *
 * <p>Trusts nothing: any text gives a list (possibly empty), never an exception. Stateless.
 */
public final class AliasValue {
  private AliasValue() {}

  /** The members of {@code rhs} in order, trimmed, empty members dropped. */
  public static List<String> split(String rhs) {
    List<String> members = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    int angle = 0;
    int paren = 0;
    for (int i = 0; i < rhs.length(); i++) {
      char c = rhs.charAt(i);
      if (c == '\\' && i + 1 < rhs.length() && quoted) {
        cur.append(c).append(rhs.charAt(++i));
        continue;
      }
      if (c == '"' && paren == 0) {
        quoted = !quoted;
      } else if (!quoted) {
        if (c == '(') {
          paren++;
        } else if (c == ')' && paren > 0) {
          paren--;
        } else if (c == '<' && paren == 0) {
          angle++;
        } else if (c == '>' && angle > 0 && paren == 0) {
          angle--;
        } else if (c == '\n' || (c == ',' && angle == 0 && paren == 0 && !isError(cur))) {
          add(members, cur);
          continue;
        }
      }
      cur.append(c);
    }
    add(members, cur);
    return members;
  }

  /** An {@code error:} member's text runs to the end of the line, commas included. */
  private static boolean isError(StringBuilder member) {
    String m = member.toString().stripLeading();
    return m.regionMatches(true, 0, "error:", 0, 6);
  }

  private static void add(List<String> members, StringBuilder raw) {
    String m = clean(raw.toString().strip());
    raw.setLength(0);
    if (!m.isEmpty()) {
      members.add(m);
    }
  }

  /** One member without comments, route brackets or whole-member quotes. */
  private static String clean(String m) {
    m = dropComments(m).strip();
    int lt = m.lastIndexOf('<');
    if (lt >= 0 && m.endsWith(">") && !m.startsWith("\"|") && !m.startsWith("|")) {
      m = m.substring(lt + 1, m.length() - 1).strip();
    }
    if (m.length() >= 2 && m.startsWith("\"") && m.endsWith("\"") && wholeQuote(m)) {
      String inner = m.substring(1, m.length() - 1);
      // "|cmd", "/file", ":include:..." and a backslash-user are quoted to protect blanks or commas;
      // a quoted local part ("john smith") keeps its quotes, as an address must.
      if (inner.startsWith("|") || inner.startsWith("/") || inner.startsWith(":include:")
          || inner.startsWith("\\")) {
        return inner.replace("\\\"", "\"");
      }
    }
    return m;
  }

  private static boolean wholeQuote(String m) {
    for (int i = 1; i < m.length() - 1; i++) {
      char c = m.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return false;
      }
    }
    return true;
  }

  private static String dropComments(String m) {
    if (m.startsWith("|") || m.startsWith("\"|") || m.startsWith("/")) {
      return m; // a command or file name may contain parentheses
    }
    StringBuilder b = new StringBuilder();
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      if (c == '"' && depth == 0) {
        quoted = !quoted;
      }
      if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        b.append(c);
      }
    }
    return b.toString();
  }
}
