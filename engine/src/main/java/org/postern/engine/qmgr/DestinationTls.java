package org.postern.engine.qmgr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.engine.route.NextHop;
import org.postern.engine.smtp.TlsLevel;
import org.postern.maps.LookupException;
import org.postern.maps.Table;

/**
 * The TLS level of a delivery: {@code smtp_tls_security_level}, unless Postfix's
 * {@code smtp_tls_policy_maps} names the next hop ({@code [host]:port} as written, the
 * domain, then {@code .parent} domains) with a level as the value's first word
 * ({@code example.com encrypt}, {@code [mx.example.net]:587 verify}). Whether TLS starts at
 * connect (RFC 8314 implicit TLS): {@code smtp_tls_wrappermode}, unless the entry has the
 * attribute {@code wrappermode=yes} or {@code =no} ({@code [smtp.example]:465 encrypt
 * wrappermode=yes}); Postern's own, as Postfix sets it per destination only in master.cf.
 *
 * <p>Trusts the compiled table; an entry whose level is unknown, or a lookup that fails, is
 * read as {@code encrypt} (Postfix defers on a bad policy; we refuse to send in plaintext
 * rather than guess lower). Immutable; thread-safe when the table is.
 */
public final class DestinationTls {
  private final TlsLevel fallback;
  private final boolean wrapperMode;
  private final Table policies;

  public DestinationTls(TlsLevel fallback, boolean wrapperMode, Table policies) {
    this.fallback = fallback;
    this.wrapperMode = wrapperMode;
    this.policies = policies;
  }

  TlsLevel level(NextHop hop) {
    try {
      return entry(hop).map(words -> TlsLevel.parse(words[0]).orElse(TlsLevel.ENCRYPT))
          .orElse(fallback);
    } catch (LookupException e) {
      return TlsLevel.ENCRYPT;
    }
  }

  /** Implicit TLS for this next hop; a failed lookup keeps the global setting. */
  boolean wrapperMode(NextHop hop) {
    try {
      Optional<String[]> words = entry(hop);
      if (words.isPresent()) {
        for (String w : words.get()) {
          if (w.equalsIgnoreCase("wrappermode=yes")) {
            return true;
          } else if (w.equalsIgnoreCase("wrappermode=no")) {
            return false;
          }
        }
      }
      return wrapperMode;
    } catch (LookupException e) {
      return wrapperMode;
    }
  }

  /** The words of the policy entry for {@code hop}, if one matches. */
  private Optional<String[]> entry(NextHop hop) throws LookupException {
    List<String> keys = new ArrayList<>(List.of(hop.toString()));
    if (hop.mxLookup()) {
      String host = hop.host();
      keys.add(host);
      for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
        keys.add(host.substring(dot));
      }
    }
    for (String key : keys) {
      Optional<String> v = policies.lookup(key);
      if (v.isPresent()) {
        return Optional.of(v.get().strip().split("\\s+"));
      }
    }
    return Optional.empty();
  }
}
