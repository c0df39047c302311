package org.postern.engine.smtp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * One SMTP or LMTP server to try: the host name it was found under (the MX name, or the
 * nexthop itself; our own name for a UNIX-domain socket, as Postfix's lmtp(8) names it), which
 * TLS verification matches and logs print, its address (resolved, or a socket path), and that
 * address as logs print it.
 *
 * <p>Built by the caller from DNS or configuration; not checked further here. Immutable.
 */
public record Endpoint(String hostname, SocketAddress address, String shownAddress) {
  public Endpoint {
    if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
      throw new IllegalArgumentException("endpoint address not resolved: " + address);
    }
  }

  /** A TCP server at a resolved address. */
  public Endpoint(String hostname, InetSocketAddress address) {
    this(hostname, address, address.isUnresolved() ? "" : address.getAddress().getHostAddress());
  }

  /** A server on the UNIX-domain socket {@code path}, logged as {@code written}. */
  public static Endpoint unix(String hostname, Path path, String written) {
    return new Endpoint(hostname, UnixDomainSocketAddress.of(path), written);
  }

  /** Whether this server is reached over a UNIX-domain socket. */
  public boolean isUnix() {
    return address instanceof UnixDomainSocketAddress;
  }

  /** The TCP port; 0 for a UNIX-domain socket. */
  public int port() {
    return address instanceof InetSocketAddress inet ? inet.getPort() : 0;
  }

  /** {@code host[ip]} (or {@code host[path]}), as Postfix names a server in logs and bounces. */
  public String namaddr() {
    return hostname + "[" + shownAddress + "]";
  }

  /** {@code host[ip]:port}; {@code host[path]} for a UNIX-domain socket. */
  public String namaddrport() {
    return isUnix() ? namaddr() : namaddr() + ":" + port();
  }
}
