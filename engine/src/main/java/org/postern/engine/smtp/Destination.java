package org.postern.engine.smtp;

import java.util.List;

/**
 * Where one delivery goes: the nexthop domain (for loop and log texts), the servers to try in
 * order (MX preference order, already resolved by the caller), the TLS level that applies
 * to this destination, and the protocol spoken there.
 *
 * <p>Immutable; the endpoint list must not be empty.
 */
public record Destination(
    String nexthop, List<Endpoint> endpoints, TlsLevel tlsLevel, Protocol protocol) {
  public Destination {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no server to try for " + nexthop);
    }
  }

  /** An SMTP destination. */
  public Destination(String nexthop, List<Endpoint> endpoints, TlsLevel tlsLevel) {
    this(nexthop, endpoints, tlsLevel, Protocol.SMTP);
  }
}
