package org.postern.maps.access;

import java.util.Locale;
import java.util.Optional;

/**
 * An envelope address split for access lookups: local part and domain, folded to lower case
 * as sendmail's map lookups fold keys.
 *
 * <p>Trusts the caller to have checked the address syntax (RFC 5321 Mailbox); only strips
 * angle brackets and trailing dots of the domain. Immutable.
 */
record Mailbox(String local, Optional<String> domain) {
  /** The address split at its last {@code @}; empty for the null address {@code <>}. */
  static Optional<Mailbox> parse(String address) {
    String a = address.trim();
    if (a.startsWith("<") && a.endsWith(">")) {
      a = a.substring(1, a.length() - 1).trim();
    }
    if (a.isEmpty()) {
      return Optional.empty();
    }
    a = a.toLowerCase(Locale.ROOT);
    int at = a.lastIndexOf('@');
    if (at < 0) {
      return Optional.of(new Mailbox(a, Optional.empty()));
    }
    String domain = AccessKeys.withoutTrailingDots(a.substring(at + 1));
    return Optional.of(
        new Mailbox(a.substring(0, at), domain.isEmpty() ? Optional.empty() : Optional.of(domain)));
  }
}
