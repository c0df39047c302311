package org.postern.engine.cleanup;

import java.util.ArrayList;
import java.util.List;

/**
 * The recipients that {@code sendmail -t} takes from a message's headers (spec a.3): To, Cc and
 * Bcc; or, when any {@code Resent-} header is present (a resent message, RFC 5322 §3.6.6), only
 * Resent-To, Resent-Cc and Resent-Bcc, as sendmail 8 and Postfix both do.
 *
 * <p>Trusts nothing in the headers; unparsable elements become problems, never exceptions.
 * Addresses come in header order with duplicates kept, for the caller to merge with the
 * command-line recipients. Stateless; thread-safe.
 */
public final class HeaderRecipients {
  private static final List<String> PLAIN = List.of("To", "Cc", "Bcc");
  private static final List<String> RESENT = List.of("Resent-To", "Resent-Cc", "Resent-Bcc");

  private HeaderRecipients() {}

  public static AddressList extract(HeaderSection headers) {
    List<String> names = headers.hasNameStartingWith("Resent-") ? RESENT : PLAIN;
    List<String> values = new ArrayList<>();
    for (Header h : headers.headers()) {
      for (String n : names) {
        if (h.is(n)) {
          values.add(h.value());
        }
      }
    }
    return AddressParser.parseAll(values);
  }
}
