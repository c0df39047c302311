package org.postern.engine.smtp;

import java.net.InetSocketAddress;

/**
 * One SMTP server to try: the host name it was found under (the MX name, or the nexthop
 * itself), which TLS verification matches and logs print, and its resolved address and port.
 *
 * <p>Built by the caller from DNS or configuration; not checked further here. Immutable.
 */
public record Endpoint(String hostname, InetSocketAddress address) {
  public Endpoint {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("endpoint address not resolved: " + address);
    }
  }

  /** {@code host[ip]}, as Postfix names a server in its logs and bounces. */
  public String namaddr() {
    return hostname + "[" + address.getAddress().getHostAddress() + "]";
  }

  /** {@code host[ip]:port}. */
  public String namaddrport() {
    return namaddr() + ":" + address.getPort();
  }
}
