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
 * ({@code example.com encrypt}, {@code [mx.example.net]:587 verify}).
 *
 * <p>Trusts the compiled table; an entry whose level is unknown, or a lookup that fails, is
 * read as {@code encrypt} (Postfix defers on a bad policy; we refuse to send in plaintext
 * rather than guess lower). Immutable; thread-safe when the table is.
 */
public final class DestinationTls {
  private final TlsLevel fallback;
  private final Table policies;

  public DestinationTls(TlsLevel fallback, Table policies) {
    this.fallback = fallback;
    this.policies = policies;
  }

  TlsLevel level(NextHop hop) {
    List<String> keys = new ArrayList<>(List.of(hop.toString()));
    if (hop.mxLookup()) {
      String host = hop.host();
      keys.add(host);
      for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
        keys.add(host.substring(dot));
      }
    }
    try {
      for (String key : keys) {
        Optional<String> v = policies.lookup(key);
        if (v.isPresent()) {
          String word = v.get().strip().split("\\s+")[0];
          return TlsLevel.parse(word).orElse(TlsLevel.ENCRYPT);
        }
      }
      return fallback;
    } catch (LookupException e) {
      return TlsLevel.ENCRYPT;
    }
  }
}
