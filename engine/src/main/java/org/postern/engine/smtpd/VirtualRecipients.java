package org.postern.engine.smtpd;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.TempFailException;
import org.postern.maps.FixedTable;
import org.postern.maps.LookupException;
import org.postern.maps.Table;
import org.postern.maps.hash.ReopeningHashTable;

/**
 * sendmail's virtusertable as the SMTP server uses it: which domains are virtual (what a
 * recipient becomes is {@code VirtualAliasing}'s, cleanup's, answer). A domain is virtual when any key of the table is
 * {@code ...@domain} (Postfix derives virtual_alias_domains from its table the same way;
 * sendmail would also want the domain in class VirtHost, which we do not ask for).
 *
 * <p>The domain set is read from the table's entries and read again when the compiled file
 * changes (created, rebuilt, removed: one stat per question, see ReopeningHashTable#version);
 * a table that cannot list its entries is asked for
 * {@code @domain} instead. A table failure is a TempFailException (4.3.0). Thread-safe.
 */
final class VirtualRecipients {
  private record Snapshot(long version, Set<String> domains) {}

  private final Table table;
  private Snapshot snapshot;

  VirtualRecipients(Table table) {
    this.table = table;
  }

  /** Whether {@code domain} (lower case, no trailing dot) is a virtusertable domain. */
  boolean hosts(String domain) throws TempFailException {
    Optional<Set<String>> domains = domains();
    if (domains.isPresent()) {
      return domains.get().contains(domain);
    }
    try {
      return table.lookup("@" + domain).isPresent();
    } catch (LookupException e) {
      throw failure(e);
    }
  }

  private synchronized Optional<Set<String>> domains() throws TempFailException {
    try {
      if (table instanceof FixedTable fixed) {
        if (snapshot == null) {
          snapshot = new Snapshot(0, domainsOf(List.copyOf(fixed.entries().entrySet())));
        }
        return Optional.of(snapshot.domains());
      }
      if (table instanceof ReopeningHashTable hash) {
        // Version before reading: a rebuild in between only costs one more reading next time.
        long version = hash.version();
        if (snapshot == null || snapshot.version() != version) {
          snapshot = new Snapshot(version, domainsOf(hash.entries()));
        }
        return Optional.of(snapshot.domains());
      }
      return Optional.empty();
    } catch (LookupException e) {
      throw failure(e);
    }
  }

  private static Set<String> domainsOf(List<Map.Entry<String, String>> entries) {
    Set<String> domains = new HashSet<>();
    for (Map.Entry<String, String> e : entries) {
      String key = e.getKey();
      int at = key.lastIndexOf('@');
      if (at >= 0 && at < key.length() - 1) {
        domains.add(key.substring(at + 1).toLowerCase(Locale.ROOT));
      }
    }
    return Set.copyOf(domains);
  }

  private TempFailException failure(LookupException e) {
    return new TempFailException("4.3.0", table.name() + ": table lookup failure: "
        + e.getMessage(), e);
  }
}
