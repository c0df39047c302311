package org.postern.engine.smtp;

import java.util.List;

/**
 * Where one delivery goes: the nexthop domain (for loop and log texts), the servers to try in
 * order (MX preference order, already resolved by the caller), the TLS level that applies to
 * this destination and whether TLS starts at connect (RFC 8314 implicit TLS), the next hop as
 * written ({@code [smtp.example]:587}, a key of {@code smtp_sasl_password_maps}), the envelope
 * sender (its key when sender-dependent) and the protocol spoken there.
 *
 * <p>Immutable; the endpoint list must not be empty.
 */
public record Destination(String nexthop, List<Endpoint> endpoints, TlsLevel tlsLevel,
    boolean implicitTls, String written, String sender, Protocol protocol) {
  public Destination {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no server to try for " + nexthop);
    }
  }

  /** An SMTP destination. */
  public Destination(String nexthop, List<Endpoint> endpoints, TlsLevel tlsLevel,
      boolean implicitTls, String written, String sender) {
    this(nexthop, endpoints, tlsLevel, implicitTls, written, sender, Protocol.SMTP);
  }

  /** An LMTP destination: no TLS, no login. */
  public static Destination lmtp(String nexthop, List<Endpoint> endpoints) {
    return new Destination(nexthop, endpoints, TlsLevel.NONE, false, nexthop, "", Protocol.LMTP);
  }
}
