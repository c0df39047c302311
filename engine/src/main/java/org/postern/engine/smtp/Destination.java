package org.postern.engine.smtp;

import java.util.List;

/**
 * Where one delivery goes: the nexthop domain (for loop and log texts), the servers to try in
 * order (MX preference order, already resolved by the caller), the TLS level that applies to
 * this destination and whether TLS starts at connect (RFC 8314 implicit TLS), the next hop as written ({@code [smtp.example]:587}, a key of
 * {@code smtp_sasl_password_maps}) and the envelope sender (its key when sender-dependent).
 *
 * <p>Immutable; the endpoint list must not be empty.
 */
public record Destination(String nexthop, List<Endpoint> endpoints, TlsLevel tlsLevel,
    boolean implicitTls, String written, String sender) {
  public Destination {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no server to try for " + nexthop);
    }
  }
}
