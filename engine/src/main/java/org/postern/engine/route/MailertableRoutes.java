package org.postern.engine.route;

import java.util.Locale;
import java.util.Optional;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.virtual.VirtualResult;
import org.postern.maps.virtual.VirtualUserTable;

/**
 * sendmail's mailertable: the route for a recipient domain, looked up as the full domain,
 * then {@code .parent} for each parent domain, then {@code .} (the default), the way
 * proto.m4's MailerToTriple walks it. Values are {@code mailer:host} (smtp, esmtp, smtp8,
 * dsmtp and relay all mean SMTP; {@code [host]} and {@code :port} as in Postfix),
 * {@code local:user} / {@code local:}, and {@code error:...} as the error mailer reads it.
 *
 * <p>Trusts the compiled table and a normalised domain. A value it cannot use (unknown
 * mailer, bad host) is a TempFailException with 4.3.5, so the mail waits for the admin's fix
 * instead of bouncing; so is a failed lookup (4.3.0). Thread-safe when the table is.
 */
final class MailertableRoutes {
  private final Table table;

  MailertableRoutes(Table table) {
    this.table = table;
  }

  /**
   * The route the table gives {@code domain} (lower case, no trailing dot), or empty when no
   * key matches.
   */
  Optional<Route> route(String domain) throws TempFailException {
    Optional<String> value = find(domain);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(interpret(value.get(), domain));
  }

  private Optional<String> find(String domain) throws TempFailException {
    try {
      Optional<String> exact = table.lookup(domain);
      if (exact.isPresent()) {
        return exact;
      }
      for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
        Optional<String> parent = table.lookup(domain.substring(dot));
        if (parent.isPresent()) {
          return parent;
        }
      }
      return table.lookup(".");
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", table.name() + " lookup error: " + e.getMessage(), e);
    }
  }

  private Route interpret(String value, String domain) throws TempFailException {
    String v = value.strip();
    int colon = v.indexOf(':');
    String mailer = (colon < 0 ? v : v.substring(0, colon)).toLowerCase(Locale.ROOT);
    String host = colon < 0 ? "" : v.substring(colon + 1).strip();
    switch (mailer) {
      case "error":
        VirtualResult r = VirtualUserTable.interpret(v);
        if (r instanceof VirtualResult.Error e) {
          return new Route.Error(e.reply());
        }
        throw unusable(value, domain, "bad error: entry");
      case "local":
        return new Route.Local(host);
      case "smtp", "esmtp", "smtp8", "dsmtp", "relay":
        if (host.isEmpty()) {
          return new Route.Smtp(NextHop.domain(domain));
        }
        try {
          return new Route.Smtp(NextHop.parse(host));
        } catch (ConfigException e) {
          throw unusable(value, domain, e.getMessage());
        }
      default:
        throw unusable(value, domain, "unknown mailer \"" + mailer + "\"");
    }
  }

  private TempFailException unusable(String value, String domain, String why) {
    return new TempFailException("4.3.5", table.name() + ": entry for " + domain + " (\""
        + value + "\") is unusable: " + why);
  }
}
