package org.postern.compat.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postern.maps.source.SourceEntry;

/**
 * A Postfix transport(5) table as sendmail's mailertable, which Postern's mailertable_map
 * reads: keys stay ({@code .domain} means the subdomains in both; {@code *} becomes
 * mailertable's default {@code .}), {@code smtp:}, {@code relay:} and {@code local:} values
 * stay (both take {@code [host]:port}), a bare next hop gets {@code smtp:}, and
 * {@code error:text} gets the reply code Postfix's error transport would give.
 *
 * <p>Trusts nothing in the table: an entry for a transport Postern does not have (a
 * master.cf service, lmtp:, discard:, retry:) is reported and left out. Not thread-safe
 * (fills one builder).
 */
final class PostfixTransport implements OldTables.Converter {
  private final Migration.Builder b;

  PostfixTransport(Migration.Builder b) {
    this.b = b;
  }

  @Override
  public List<String> lines(List<SourceEntry> entries, String file) {
    List<String> lines = new ArrayList<>();
    for (SourceEntry e : entries) {
      String key = e.key().equals("*") ? "." : e.key();
      String value = e.value().strip();
      int colon = value.indexOf(':');
      String transport = colon < 0 ? "" : value.substring(0, colon).toLowerCase(Locale.ROOT);
      String nexthop = colon < 0 ? value : value.substring(colon + 1);
      switch (transport) {
        case "smtp", "relay", "local" -> lines.add(key + " " + transport + ":" + nexthop);
        case "" -> lines.add(key + " smtp:" + nexthop);
        case "error" -> lines.add(key + " error:5.0.0:550 " + nexthop);
        default -> b.notCarried(file + ":" + e.line(), "transport " + e.key() + " " + value,
            "Postern has no " + transport + " transport: mail for " + e.key()
                + " follows relayhost or MX");
      }
    }
    return lines;
  }
}
