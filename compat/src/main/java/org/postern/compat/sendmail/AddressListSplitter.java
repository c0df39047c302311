package org.postern.compat.sendmail;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one recipient argument into addresses at top-level commas, as sendmail's
 * sendtolist() does for {@code sendmail "a, b" c}.
 *
 * <p>A comma inside a quoted string, an angle-bracket route or a (possibly nested) comment does
 * not split; a backslash escapes the next character. Pieces are trimmed and empty ones dropped.
 * Address syntax itself is not checked here. Stateless; thread-safe.
 */
final class AddressListSplitter {
  private AddressListSplitter() {}

  static List<String> split(String argument) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    int angles = 0;
    int comments = 0;
    for (int i = 0; i < argument.length(); i++) {
      char c = argument.charAt(i);
      if (c == '\\' && i + 1 < argument.length()) {
        current.append(c).append(argument.charAt(++i));
        continue;
      }
      if (c == '"' && comments == 0) {
        quoted = !quoted;
      } else if (!quoted) {
        switch (c) {
          case '(' -> comments++;
          case ')' -> comments = Math.max(0, comments - 1);
          case '<' -> angles += comments == 0 ? 1 : 0;
          case '>' -> angles = comments == 0 ? Math.max(0, angles - 1) : angles;
          case ',' -> {
            if (angles == 0 && comments == 0) {
              addTrimmed(out, current);
              current.setLength(0);
              continue;
            }
          }
          default -> {
            // Ordinary address character.
          }
        }
      }
      current.append(c);
    }
    addTrimmed(out, current);
    return out;
  }

  private static void addTrimmed(List<String> out, CharSequence piece) {
    String trimmed = piece.toString().strip();
    if (!trimmed.isEmpty()) {
      out.add(trimmed);
    }
  }
}
