package org.postern.engine.smtpd;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.Params;

/**
 * One item of smtpd_listen: {@code port} (every address), {@code address:port} or
 * {@code [ipv6]:port}; port 0 asks the kernel for a free port (tests).
 *
 * <p>Trusts main.cf; a malformed item is a ConfigException naming the key. Immutable.
 */
record ListenAddress(InetSocketAddress socketAddress) {

  /** The port as written (the key of the listener's {@code PORT.name} settings). */
  int port() {
    return socketAddress.getPort();
  }

  /** {@code address:port}, or {@code *:port} for every address. */
  @Override
  public String toString() {
    InetAddress a = socketAddress.getAddress();
    String host = a == null || a.isAnyLocalAddress() ? "*" : a.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** Every item of smtpd_listen (none when it is empty). */
  static List<ListenAddress> all(Config config) throws ConfigException {
    List<ListenAddress> out = new ArrayList<>();
    for (String item : config.list(Params.SMTPD_LISTEN)) {
      out.add(parse(item));
    }
    return out;
  }

  static ListenAddress parse(String item) throws ConfigException {
    int colon = item.lastIndexOf(':');
    String host = colon < 0 ? "" : item.substring(0, colon);
    String port = item.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535
        || colon >= 0 && host.isEmpty()) {
      throw bad(item, "expected [address:]port");
    }
    int p = Integer.parseInt(port);
    if (host.isEmpty()) {
      return new ListenAddress(new InetSocketAddress(p));
    }
    try {
      return new ListenAddress(new InetSocketAddress(InetAddress.getByName(host), p));
    } catch (UnknownHostException e) {
      throw bad(item, "unknown address " + host);
    }
  }

  private static ConfigException bad(String item, String why) {
    return new ConfigException("bad " + Params.SMTPD_LISTEN.name() + " item \"" + item + "\": "
        + why);
  }
}
