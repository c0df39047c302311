package org.postern.engine.dns;

/**
 * One MX record of a domain: its preference (lower is tried first, RFC 5321 section 5.1) and
 * its exchange host, lower-cased, without the final dot. The null MX of RFC 7505
 * ({@code 0 .}, "this domain accepts no mail") has the host {@code "."}.
 *
 * <p>Immutable.
 */
public record MxHost(int preference, String host) {
  /** RFC 7505: a single MX whose exchange is the root says the domain takes no mail. */
  public boolean nullMx() {
    return host.equals(".");
  }
}
