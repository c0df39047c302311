package org.postern.engine.route;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.TempFailException;
import org.postern.maps.Table;

/**
 * Routing of a non-local recipient domain, in the order the issue and both reference MTAs
 * agree on: sendmail's mailertable first (as Postfix's transport_maps overrides a domain's
 * class), then a virtual mailbox domain to virtual_transport, then relayhost, then the domain
 * itself by its MX records; an address literal ({@code user@[192.0.2.1]}) goes straight to
 * that address.
 *
 * <p>Trusts that the domain is not ours (the caller resolved local recipients already).
 * Failures are the mailertable's (temporary). Immutable.
 */
public final class RemoteRoutes {
  private final MailertableRoutes mailertable;
  private final Optional<NextHop> relayhost;
  private final Set<String> virtualDomains;
  private final Optional<LmtpHop> virtualTransport;

  /** {@code mailertable}: the compiled table (an empty one when the admin has none). */
  public RemoteRoutes(Table mailertable, Optional<NextHop> relayhost) {
    this(mailertable, relayhost, Set.of(), Optional.empty());
  }

  /**
   * With {@code virtualDomains} (lower case) delivered to {@code virtualTransport}, which is
   * present when they are not empty.
   */
  public RemoteRoutes(Table mailertable, Optional<NextHop> relayhost, Set<String> virtualDomains,
      Optional<LmtpHop> virtualTransport) {
    this.mailertable = new MailertableRoutes(mailertable);
    this.relayhost = relayhost;
    this.virtualDomains = Set.copyOf(virtualDomains);
    this.virtualTransport = virtualTransport;
  }

  public Route route(String recipientDomain) throws TempFailException {
    String domain = recipientDomain.toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (domain.startsWith("[") && domain.endsWith("]")) {
      String literal = domain.substring(1, domain.length() - 1);
      if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
        literal = literal.substring(5);
      }
      return new Route.Smtp(new NextHop(literal, NextHop.SMTP_PORT, false));
    }
    Optional<Route> table = mailertable.route(domain);
    if (table.isPresent()) {
      return table.get();
    }
    if (virtualDomains.contains(domain)) {
      return new Route.Lmtp(virtualTransport.orElseThrow());
    }
    return new Route.Smtp(relayhost.orElse(NextHop.domain(domain)));
  }
}
