package org.postern.engine.route;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.engine.util.LocalInterfaces;

/**
 * Whether an SMTP server address is this very mail system: an address of this host on a
 * port our SMTP server listens on (smtpd_listen), so that an MX pointing at us is seen as a
 * loop rather than delivered to ourselves. A far end on the same host but another port (a
 * test server, a content filter) is not us.
 *
 * <p>Trusts main.cf (a malformed smtpd_listen item simply adds no port). Immutable.
 */
public final class SelfAddresses implements Predicate<InetSocketAddress> {
  private final Set<Integer> ports;

  private SelfAddresses(Set<Integer> ports) {
    this.ports = ports;
  }

  public static SelfAddresses from(Config config) {
    Set<Integer> ports = new HashSet<>();
    for (String item : config.list(Params.SMTPD_LISTEN)) {
      String port = item.substring(item.lastIndexOf(':') + 1);
      if (port.matches("\\d{1,5}")) {
        ports.add(Integer.parseInt(port));
      }
    }
    return new SelfAddresses(Set.copyOf(ports));
  }

  @Override
  public boolean test(InetSocketAddress server) {
    if (!ports.contains(server.getPort())) {
      return false;
    }
    // An interface list that cannot be read answers "not ours": better a delivery attempt
    // (which the EHLO check guards).
    return LocalInterfaces.has(server.getAddress());
  }
}
