package org.postern.engine.smtpd;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An envelope recipient as the policy judges it: the local part without its quotes, and the
 * domain folded to lower case without a trailing dot ({@code US.} is {@code us}), or no
 * domain (unqualified). A source route is dropped (RFC 5321 section 4.1.1.3 and appendix C:
 * accept it, ignore it); an address literal must be a well-formed IPv4 or {@code IPv6:}
 * literal (RFC 5321 section 4.1.3).
 *
 * <p>Trusts nothing of the client's text. A local part that still holds routing ({@code @},
 * {@code %}, {@code !}: "sender-specified routing" in Postfix's words) is reported by
 * {@link #routed()} and taken apart one hop at a time by {@link #unwrap()}. Immutable.
 */
record RecipientAddress(String local, Optional<String> domain) {
  /** A DNS label; UTF-8 labels pass as they are (RFC 6531). */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_\\-\\u0080-\\uffff]+");
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET);
  private static final Pattern IPV6 = Pattern.compile("ipv6:(?=[^:]*:)[0-9a-f:][0-9a-f:.]*");
  private static final String SPECIALS = "<>()[]\\,;:\"@";
  private static final int MAX_DOMAIN = 255;

  /** The recipient of {@code RCPT TO} (no angle brackets), or empty when it is no address. */
  static Optional<RecipientAddress> parse(String raw) {
    String a = raw.strip();
    if (a.startsWith("@")) {
      // RFC 5321 section 4.1.1.3: "@relay1,@relay2:user@host"; the route is ignored.
      int colon = a.indexOf(':');
      if (colon < 0 || !validRoute(a.substring(0, colon))) {
        return Optional.empty();
      }
      a = a.substring(colon + 1);
    }
    if (a.isEmpty()) {
      return Optional.empty();
    }
    return a.startsWith("\"") ? quoted(a) : unquoted(a);
  }

  /** Whether the local part still routes elsewhere ({@code user%host}, {@code host!user}). */
  boolean routed() {
    return local.indexOf('@') >= 0 || local.indexOf('%') >= 0 || local.indexOf('!') >= 0;
  }

  /**
   * One routing hop taken off the local part, as Postfix's resolver does for its own domains:
   * {@code "user@host"} and {@code user%host} (the rightmost one) become {@code user@host},
   * the bang path {@code host!user} becomes {@code user@host}. Empty when the hop does not
   * leave a well-formed address (an empty user or a bad host).
   */
  Optional<RecipientAddress> unwrap() {
    int at = local.lastIndexOf('@');
    int cut = at >= 0 ? at : local.lastIndexOf('%');
    String user;
    String host;
    if (cut >= 0) {
      user = local.substring(0, cut);
      host = local.substring(cut + 1);
    } else {
      int bang = local.indexOf('!');
      if (bang < 0) {
        return Optional.of(this);
      }
      host = local.substring(0, bang);
      user = local.substring(bang + 1);
    }
    if (user.isEmpty()) {
      return Optional.empty();
    }
    return domain(host).map(d -> new RecipientAddress(user, Optional.of(d)));
  }

  /** Whether the domain is an address literal ({@code [192.0.2.1]}, {@code [ipv6:...]}). */
  boolean literal() {
    return domain.map(d -> d.startsWith("[")).orElse(false);
  }

  /** The address to queue: the local part quoted again where RFC 5321 needs it. */
  @Override
  public String toString() {
    String l = needsQuotes(local) ? quote(local) : local;
    return domain.map(d -> l + "@" + d).orElse(l);
  }

  private static Optional<RecipientAddress> quoted(String a) {
    StringBuilder local = new StringBuilder();
    int i = 1;
    for (; i < a.length() && a.charAt(i) != '"'; i++) {
      char c = a.charAt(i);
      if (c == '\\' && i + 1 < a.length()) {
        c = a.charAt(++i);
      }
      if (c < 0x20 || c == 0x7f) {
        return Optional.empty();
      }
      local.append(c);
    }
    if (i >= a.length() || local.length() == 0) {
      return Optional.empty();
    }
    return withDomain(local.toString(), a.substring(i + 1));
  }

  private static Optional<RecipientAddress> unquoted(String a) {
    int at = a.indexOf('@');
    String local = at < 0 ? a : a.substring(0, at);
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c <= 0x20 || c == 0x7f || SPECIALS.indexOf(c) >= 0) {
        return Optional.empty();
      }
    }
    if (local.isEmpty()) {
      return Optional.empty();
    }
    return withDomain(local, at < 0 ? "" : a.substring(at));
  }

  /** {@code rest} is what follows the local part: nothing, or {@code @domain}. */
  private static Optional<RecipientAddress> withDomain(String local, String rest) {
    if (rest.isEmpty()) {
      return Optional.of(new RecipientAddress(local, Optional.empty()));
    }
    if (!rest.startsWith("@")) {
      return Optional.empty();
    }
    return domain(rest.substring(1)).map(d -> new RecipientAddress(local, Optional.of(d)));
  }

  /** The normal form of a domain or address literal, or empty when it is neither. */
  static Optional<String> domain(String raw) {
    String d = raw.toLowerCase(Locale.ROOT);
    if (d.startsWith("[") && d.endsWith("]")) {
      String inner = d.substring(1, d.length() - 1);
      return IPV4.matcher(inner).matches() || IPV6.matcher(inner).matches()
          ? Optional.of(d) : Optional.empty();
    }
    // sendmail and Postfix both take "us." for "us" (the root label is implied).
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty() || d.length() > MAX_DOMAIN) {
      return Optional.empty();
    }
    for (String label : d.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return Optional.empty();
      }
    }
    return Optional.of(d);
  }

  private static boolean validRoute(String route) {
    for (String hop : route.split(",", -1)) {
      if (!hop.startsWith("@") || domain(hop.substring(1)).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static boolean needsQuotes(String local) {
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return true;
    }
    return local.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || SPECIALS.indexOf(c) >= 0);
  }

  private static String quote(String local) {
    return "\"" + local.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
