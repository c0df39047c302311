package org.postern.engine.cleanup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Predicate;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.engine.util.LocalInterfaces;

/**
 * Whether a domain is this machine's in the sense of canonical(5) and generic(5), where a bare
 * {@code user} key applies only to such domains: myorigin, a mydestination domain, or an
 * address literal of one of its interfaces ({@code [192.0.2.1]}: Postfix's inet_interfaces).
 *
 * <p>Trusts the configuration; a literal is parsed only as numbers, never resolved. Immutable;
 * thread-safe.
 */
public final class OwnDomains implements Predicate<String> {
  private final Config config;
  private final String myorigin;

  public OwnDomains(Config config) {
    this.config = config;
    this.myorigin = config.get(Params.MYORIGIN);
  }

  @Override
  public boolean test(String domain) {
    if (domain.equalsIgnoreCase(myorigin) || config.isLocalDomain(domain)) {
      return true;
    }
    if (!domain.startsWith("[") || !domain.endsWith("]")) {
      return false;
    }
    String inner = domain.substring(1, domain.length() - 1).replaceFirst("(?i)^ipv6:", "");
    // Only numbers reach getByName: a dotted quad, or IPv6 (a colon makes it a literal).
    if (!inner.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      return false;
    }
    try {
      return LocalInterfaces.has(InetAddress.getByName(inner));
    } catch (UnknownHostException e) {
      // Numeric but not an address (e.g. "1:2"): nobody's, certainly not ours.
      return false;
    }
  }
}
