package org.postern.engine.smtpd;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The argument of MAIL ({@code FROM:<path> params}) or RCPT ({@code TO:<path> params}):
 * the address without angle brackets or source route, and the ESMTP parameters by upper-case
 * keyword (a keyword without {@code =value} maps to the empty string).
 *
 * <p>Parses untrusted client text. Accepts what Postfix accepts with
 * strict_rfc821_envelopes = no (a space after the colon, a path without brackets); refuses
 * control characters, unbalanced brackets or quotes and malformed domains, which the session
 * answers with 501. Immutable.
 */
record PathArgument(String address, Map<String, String> parameters) {
  private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
  private static final int MAX_ADDRESS = 512;

  PathArgument {
    parameters = Map.copyOf(parameters);
  }

  /**
   * Parses {@code text} after the verb ({@code keyword} is {@code FROM} or {@code TO});
   * empty when it is not {@code keyword:path [params]}.
   */
  static Optional<PathArgument> parse(String text, String keyword) {
    String s = text.stripLeading();
    if (!s.regionMatches(true, 0, keyword + ":", 0, keyword.length() + 1)) {
      return Optional.empty();
    }
    s = s.substring(keyword.length() + 1).stripLeading();
    String path;
    String rest;
    if (s.startsWith("<")) {
      int close = closingBracket(s);
      if (close < 0) {
        return Optional.empty();
      }
      path = s.substring(1, close);
      rest = s.substring(close + 1);
      if (!rest.isEmpty() && rest.charAt(0) != ' ') {
        return Optional.empty();
      }
    } else {
      int space = s.indexOf(' ');
      path = space < 0 ? s : s.substring(0, space);
      rest = space < 0 ? "" : s.substring(space);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String item : rest.strip().split(" +")) {
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      String key = eq < 0 ? item : item.substring(0, eq);
      if (!KEYWORD.matcher(key).matches()) {
        return Optional.empty();
      }
      params.put(key.toUpperCase(Locale.ROOT), eq < 0 ? "" : item.substring(eq + 1));
    }
    return Optional.of(new PathArgument(stripSourceRoute(path), params));
  }

  /** RFC 5321 §4.1.2 Mailbox syntax, loosely: local@domain, or a bare local part. */
  static boolean validAddress(String address) {
    if (address.length() > MAX_ADDRESS) {
      return false;
    }
    boolean quoted = false;
    int at = -1;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return false;
      }
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == ' ' || c == '<' || c == '>' || c == ',')) {
        return false;
      } else if (!quoted && c == '@') {
        at = i;
      }
    }
    if (quoted) {
      return false;
    }
    if (at < 0) {
      return !address.isEmpty();
    }
    return at > 0 && validDomain(address.substring(at + 1));
  }

  /** Whether the address needs SMTPUTF8 (RFC 6531 §3.4). */
  static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }

  /** RFC 3461 §4 xtext: {@code +HH} for each byte outside '!'..'~', '+' and '='. */
  static Optional<String> xtext(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '+') {
        if (i + 2 >= text.length()) {
          return Optional.empty();
        }
        int hex;
        try {
          hex = Integer.parseInt(text.substring(i + 1, i + 3), 16);
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
        if (hex < 0x20 || hex > 0x7e) {
          return Optional.empty(); // a control character would break the queue file's lines
        }
        out.append((char) hex);
        i += 2;
      } else if (c <= ' ' || c > '~' || c == '=') {
        return Optional.empty();
      } else {
        out.append(c);
      }
    }
    return Optional.of(out.toString());
  }

  private static boolean validDomain(String domain) {
    if (domain.startsWith("[") && domain.endsWith("]")) {
      return domain.length() > 2 && domain.substring(1, domain.length() - 1).matches(
          "(?:IPv6:[0-9A-Fa-f:.]+|[0-9]{1,3}(?:\\.[0-9]{1,3}){3})");
    }
    if (domain.isEmpty() || domain.length() > 255) {
      return false;
    }
    for (String label : domain.split("\\.", -1)) {
      if (!(LABEL.matcher(label).matches() || !label.isEmpty() && !isAscii(label))) {
        return false;
      }
    }
    return true;
  }

  /** Index of the '>' that closes the leading '<', skipping quoted strings; -1 if none. */
  private static int closingBracket(String s) {
    boolean quoted = false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '>') {
        return i;
      }
    }
    return -1;
  }

  /** RFC 5321 §4.1.2: {@code @a,@b:user@c} is {@code user@c} (source routes are ignored). */
  private static String stripSourceRoute(String path) {
    if (path.startsWith("@")) {
      int colon = path.indexOf(':');
      if (colon > 0) {
        return path.substring(colon + 1);
      }
    }
    return path;
  }
}
