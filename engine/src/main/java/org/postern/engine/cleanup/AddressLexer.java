package org.postern.engine.cleanup;

import java.util.ArrayList;
import java.util.List;
import org.postern.engine.cleanup.AddressToken.Kind;

/**
 * Splits an address or address list into RFC 5322 §3.2 tokens: atoms, quoted strings, domain
 * literals and the specials {@code < > @ , ; : .}; comments and folding white space are dropped.
 *
 * <p>Trusts nothing: an unterminated quoted string, comment or literal, a stray {@code )} or a
 * control character becomes a {@link Kind#BROKEN} token with its fault, and lexing goes on, so the
 * parser can skip the one broken element. UTF-8 (RFC 6532) and other 8-bit text counts as atom
 * text. A hand-written scanner, not a regex, to keep the sendmail start-up path lean. Stateless;
 * thread-safe.
 */
final class AddressLexer {
  private AddressLexer() {}

  static List<AddressToken> tokens(String s) {
    List<AddressToken> out = new ArrayList<>();
    boolean space = false;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        space = true;
        i++;
        continue;
      }
      int end;
      switch (c) {
        case '(' -> {
          // RFC 5322 §3.2.2: comments nest and may hold quoted-pairs; they separate tokens.
          end = commentEnd(s, i);
          if (end < 0) {
            out.add(broken(s.substring(i), space, AddressFault.UNBALANCED_OPEN_PAREN, n));
            return out;
          }
          space = true;
          i = end;
          continue;
        }
        case ')' -> {
          end = i + 1;
          out.add(broken(")", space, AddressFault.UNBALANCED_CLOSE_PAREN, end));
        }
        case '"' -> {
          end = closing(s, i, '"');
          if (end < 0) {
            out.add(broken(s.substring(i), space, AddressFault.UNBALANCED_QUOTE, n));
            return out;
          }
          out.add(checked(Kind.QUOTED, s.substring(i, end), space, end));
        }
        case '[' -> {
          end = closing(s, i, ']');
          if (end < 0) {
            out.add(broken(s.substring(i), space, AddressFault.UNBALANCED_BRACKET, n));
            return out;
          }
          out.add(checked(Kind.LITERAL, s.substring(i, end), space, end));
        }
        case '<', '>', '@', ',', ';', ':', '.', ']' -> {
          end = i + 1;
          out.add(new AddressToken(Kind.SPECIAL, String.valueOf(c), space, null, end));
        }
        default -> {
          end = atomEnd(s, i);
          out.add(checked(Kind.ATOM, s.substring(i, end), space, end));
        }
      }
      space = false;
      i = end;
    }
    return out;
  }

  /** RFC 5322 §3.2.3 atext, widened to every non-special character (8-bit included). */
  private static int atomEnd(String s, int i) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < n) {
        // Not RFC 5322, but sendmail honours a backslash-escaped character in an atom.
        i += 2;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || "()<>@,;:.[]\"".indexOf(c) >= 0) {
        break;
      }
      i++;
    }
    return i;
  }

  /** Index just past the closing delimiter, honouring quoted-pairs (RFC 5322 §3.2.1); or -1. */
  private static int closing(String s, int open, char close) {
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == close) {
        return i + 1;
      }
    }
    return -1;
  }

  private static int commentEnd(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  private static AddressToken checked(Kind kind, String text, boolean space, int end) {
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        return broken(text, space, AddressFault.NON_PRINTABLE, end);
      }
    }
    return new AddressToken(kind, text, space, null, end);
  }

  /** C0 controls other than HT, DEL and C1 controls: never valid in an address. */
  static boolean isControl(char c) {
    return (c < 32 && c != '\t') || (c >= 127 && c <= 159);
  }

  private static AddressToken broken(String text, boolean space, AddressFault fault, int end) {
    return new AddressToken(Kind.BROKEN, text, space, fault, end);
  }
}
