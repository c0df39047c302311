package org.postern.engine.dns;

/**
 * Whether a string is a host name in the DNS's syntax as Postfix's {@code valid_hostname()}
 * checks it: at most 255 characters of labels of 1 to 63 letters, digits, hyphens and
 * underscores, no hyphen at a label's start or end, no empty label (so no final dot), and not
 * all digits and dots (that is an address written without brackets, not a name).
 *
 * <p>Used for names a client claims (HELO) and names PTR records return, neither trusted.
 * ASCII only: an internationalised name must come in its A-label (xn--) form. Stateless.
 */
public final class HostnameSyntax {
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;

  private HostnameSyntax() {}

  public static boolean valid(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return false;
    }
    boolean numeric = true;
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL
          || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean digit = c >= '0' && c <= '9';
        boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
        if (!digit && !letter && c != '-' && c != '_') {
          return false;
        }
        numeric &= digit;
      }
    }
    return !numeric;
  }

  /** A dotted-quad IPv4 address ({@code 192.0.2.1}), each part 0 to 255. */
  public static boolean ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}
