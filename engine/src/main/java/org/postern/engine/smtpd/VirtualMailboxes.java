package org.postern.engine.smtpd;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfiguredTable;
import org.postern.engine.global.Params;
import org.postern.engine.global.TempFailException;
import org.postern.maps.LookupException;
import org.postern.maps.TableOpener;
import org.postern.maps.canonical.CanonicalTable;

/**
 * Postfix's virtual mailbox address class as the SMTP server sees it: a domain of
 * {@code virtual_mailbox_domains} (its exact name, as the queue routes it to
 * virtual_transport) is a final destination of its own, not relaying; when
 * {@code virtual_mailbox_maps} is set only its recipients exist (keys as Postfix's
 * mail_addr_find tries them: {@code user+ext@domain}, {@code user@domain}, {@code @domain}),
 * and when it is not, every recipient of the domain is taken (smtpd_check.c does the same).
 *
 * <p>Trusts the configuration; a table that cannot be opened is a ConfigException at startup,
 * one that fails later a TempFailException (4.3.0). Tables follow rebuilds. Thread-safe.
 */
final class VirtualMailboxes {
  private final Set<String> domains;
  private final Optional<CanonicalTable> maps;

  private VirtualMailboxes(Set<String> domains, Optional<CanonicalTable> maps) {
    this.domains = Set.copyOf(domains);
    this.maps = maps;
  }

  static VirtualMailboxes from(Config config, TableOpener opener) throws ConfigException {
    Set<String> domains = new HashSet<>();
    for (String d : config.list(Params.VIRTUAL_MAILBOX_DOMAINS)) {
      domains.add(d.toLowerCase(Locale.ROOT));
    }
    Optional<CanonicalTable> maps = config.get(Params.VIRTUAL_MAILBOX_MAPS).isBlank()
        ? Optional.empty()
        : Optional.of(new CanonicalTable(ConfiguredTable.open(config,
            Params.VIRTUAL_MAILBOX_MAPS, opener), config.get(Params.RECIPIENT_DELIMITER),
            domain -> false));
    return new VirtualMailboxes(domains, maps);
  }

  /** Whether {@code domain} (lower case, no trailing dot) is a virtual mailbox domain. */
  boolean hosts(String domain) {
    return domains.contains(domain);
  }

  /** Whether {@code address}, of a virtual mailbox domain, is a recipient there. */
  boolean knows(String address) throws TempFailException {
    if (maps.isEmpty()) {
      return true;
    }
    try {
      return maps.get().lookup(address, false).isPresent();
    } catch (LookupException e) {
      throw new TempFailException("4.3.0", maps.get().name() + ": table lookup failure: "
          + e.getMessage(), e);
    }
  }
}
