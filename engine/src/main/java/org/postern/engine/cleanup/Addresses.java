package org.postern.engine.cleanup;

import java.util.Optional;

/**
 * Small operations on normalised addr-specs ({@code local@domain} or unqualified {@code local}, as
 * {@link AddressCheck.Valid} produces them): their parts, domain comparison, and qualification with
 * {@code myorigin}.
 *
 * <p>Trusts its input to be normalised already; a quoted local part may contain {@code @}, so the
 * domain separator is the last {@code @} outside quotes. Pure; thread-safe.
 */
public final class Addresses {
  private Addresses() {}

  /** The local part (everything before the separating {@code @}), quotes kept. */
  public static String localPart(String addr) {
    int at = separator(addr);
    return at < 0 ? addr : addr.substring(0, at);
  }

  /** The domain, or empty for an unqualified address and for the null sender. */
  public static Optional<String> domain(String addr) {
    int at = separator(addr);
    return at < 0 ? Optional.empty() : Optional.of(addr.substring(at + 1));
  }

  /**
   * Whether two domains are the same: RFC 5321 §2.4 domain names are case-insensitive; a final dot
   * (absolute name) is ignored.
   */
  public static boolean sameDomain(String a, String b) {
    return stripDot(a).equalsIgnoreCase(stripDot(b));
  }

  /**
   * The address with {@code @myorigin} appended when it has no domain (sendmail and Postfix
   * append_at_myorigin). The null sender ({@code ""} or {@code <>}) is returned unchanged.
   */
  public static String qualify(String addr, String myorigin) {
    if (addr.isEmpty() || addr.equals("<>") || separator(addr) >= 0) {
      return addr;
    }
    // String.concat, not '+': indy string concatenation costs start-up time on the sendmail path.
    return addr.concat("@").concat(myorigin);
  }

  /** Index of the {@code @} between local part and domain, or -1. */
  private static int separator(String addr) {
    int at = -1;
    boolean quoted = false;
    for (int i = 0; i < addr.length(); i++) {
      char c = addr.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '@' && !quoted) {
        at = i;
      }
    }
    return at;
  }

  private static String stripDot(String d) {
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }
}
