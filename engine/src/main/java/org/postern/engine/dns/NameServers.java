package org.postern.engine.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;
import org.xbill.DNS.ResolverConfig;

/**
 * The DNS servers to ask: the {@code dns_resolver} items of main.cf ({@code address},
 * {@code address:port}, {@code [ipv6]}, {@code [ipv6]:port}, or a bare IPv6 address; port 53
 * unless given), or, when that is empty, the nameservers of /etc/resolv.conf as dnsjava's
 * ResolverConfig reads them.
 *
 * <p>Trusts main.cf. Only numeric addresses: a server named by a host name would need the DNS
 * to find the DNS. A malformed item is a ConfigException naming the key. Stateless.
 */
final class NameServers {
  private static final int DNS_PORT = 53;

  private NameServers() {}

  static List<InetSocketAddress> from(Config config) throws ConfigException {
    List<String> items = config.list(Params.DNS_RESOLVER);
    if (items.isEmpty()) {
      return ResolverConfig.getCurrentConfig().servers();
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (String item : items) {
      out.add(parse(item));
    }
    return out;
  }

  static InetSocketAddress parse(String item) throws ConfigException {
    String host = item;
    String port = String.valueOf(DNS_PORT);
    if (item.startsWith("[")) {
      int close = item.indexOf(']');
      String rest = close < 0 ? "" : item.substring(close + 1);
      if (close < 0 || !rest.isEmpty() && !rest.startsWith(":")) {
        throw bad(item);
      }
      host = item.substring(1, close);
      port = rest.isEmpty() ? port : rest.substring(1);
    } else if (item.indexOf(':') == item.lastIndexOf(':') && item.indexOf(':') >= 0) {
      // One colon: IPv4 address and port. More than one: a bare IPv6 address.
      host = item.substring(0, item.indexOf(':'));
      port = item.substring(item.indexOf(':') + 1);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) == 0
        || Integer.parseInt(port) > 65535) {
      throw bad(item);
    }
    return new InetSocketAddress(numeric(host, item), Integer.parseInt(port));
  }

  private static InetAddress numeric(String host, String item) throws ConfigException {
    boolean v6 = host.indexOf(':') >= 0;
    if (v6 ? !host.matches("[0-9A-Fa-f:.]+") : !HostnameSyntax.ipv4(host)) {
      throw bad(item);
    }
    try {
      InetAddress address = InetAddress.getByName(host); // numeric: no lookup happens
      if (v6 != address instanceof Inet6Address) {
        throw bad(item);
      }
      return address;
    } catch (UnknownHostException e) {
      throw bad(item);
    }
  }

  private static ConfigException bad(String item) {
    return new ConfigException("bad " + Params.DNS_RESOLVER.name() + " item \"" + item
        + "\": expected address[:port] ([address]:port for IPv6)");
  }
}
