package org.postern.engine.smtpd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.postern.engine.dns.HostnameSyntax;
import org.postern.engine.dns.Resolver;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;

/**
 * The HELO/EHLO name a client gives, as Postfix's reject_invalid_helo_hostname and
 * reject_unknown_helo_hostname check it: well-formed (a host name, a bare IPv4 address, or an
 * address literal {@code [192.0.2.1]} / {@code [IPv6:2001:db8::1]}, RFC 5321 section 4.1.3),
 * and, when asked, known to the DNS (an A/AAAA or MX record; literals are not looked up).
 *
 * <p>Trusts nothing of the name. An unknown name and a lookup that fails for now get the same
 * 450 (Postfix's unknown_hostname_reject_code, and its defer for a temporary failure), the
 * latter with a warning. Thread-safe.
 */
final class HeloCheck {
  private final boolean rejectInvalid;
  private final boolean rejectUnknown;
  private final Resolver resolver;
  private final MailLog log;

  HeloCheck(boolean rejectInvalid, boolean rejectUnknown, Resolver resolver, MailLog log) {
    this.rejectInvalid = rejectInvalid;
    this.rejectUnknown = rejectUnknown;
    this.resolver = resolver;
    this.log = log;
  }

  Verdict check(String helo) {
    boolean wellFormed = wellFormed(helo);
    if (rejectInvalid && !wellFormed) {
      return PolicyReplies.heloInvalid(helo);
    }
    if (!rejectUnknown || !wellFormed || helo.startsWith("[") || HostnameSyntax.ipv4(helo)) {
      return Verdict.OK;
    }
    try {
      if (resolver.addresses(helo).found() || resolver.mx(helo).found()) {
        return Verdict.OK;
      }
    } catch (TempFailException e) {
      log.warning("HELO name " + MailLog.printable(helo) + " lookup failed: " + e.getMessage());
    }
    return PolicyReplies.heloUnknown(helo);
  }

  static boolean wellFormed(String helo) {
    if (!helo.startsWith("[") || !helo.endsWith("]")) {
      return HostnameSyntax.valid(helo) || HostnameSyntax.ipv4(helo);
    }
    String inner = helo.substring(1, helo.length() - 1);
    if (!inner.toLowerCase(Locale.ROOT).startsWith("ipv6:")) {
      return HostnameSyntax.ipv4(inner);
    }
    String v6 = inner.substring("ipv6:".length());
    if (!v6.matches("[0-9A-Fa-f:.]+") || v6.indexOf(':') < 0) {
      return false;
    }
    try {
      InetAddress.getByName(v6); // numeric: no lookup happens
      return true;
    } catch (UnknownHostException e) {
      return false; // not an IPv6 address after all
    }
  }
}
