package org.postern.engine.route;

import java.util.Locale;
import org.postern.engine.global.ConfigException;

/**
 * Where the SMTP client goes for a destination: a host (or an IP address literal), a port,
 * and whether the host is a domain whose MX records are looked up ({@code host}) or the
 * machine itself ({@code [host]}), in Postfix's relayhost/transport(5) syntax.
 *
 * <p>Parsed from configuration (relayhost) and tables (mailertable); a malformed value is a
 * ConfigException naming it. Immutable.
 */
public record NextHop(String host, int port, boolean mxLookup) {
  public static final int SMTP_PORT = 25;

  public NextHop {
    host = host.toLowerCase(Locale.ROOT);
  }

  /** The domain itself, found through its MX records on port 25. */
  public static NextHop domain(String domain) {
    return new NextHop(domain, SMTP_PORT, true);
  }

  /**
   * {@code host}, {@code host:port}, {@code [host]}, {@code [host]:port}, {@code [ipv6]} or
   * {@code [ipv6]:port}; brackets suppress the MX lookup.
   */
  public static NextHop parse(String text) throws ConfigException {
    return parse(text, SMTP_PORT);
  }

  /** As {@link #parse(String)}, with the port a value without {@code :port} gets. */
  public static NextHop parse(String text, int defaultPort) throws ConfigException {
    String s = text.strip();
    boolean bracketed = s.startsWith("[");
    String host;
    String rest;
    if (bracketed) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw bad(text, "missing ]");
      }
      host = s.substring(1, close);
      rest = s.substring(close + 1);
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      rest = colon < 0 ? "" : s.substring(colon);
    }
    int port = defaultPort;
    if (!rest.isEmpty()) {
      if (!rest.matches(":\\d{1,5}") || Integer.parseInt(rest.substring(1)) > 65535
          || Integer.parseInt(rest.substring(1)) == 0) {
        throw bad(text, "expected host, [host] or either with :port");
      }
      port = Integer.parseInt(rest.substring(1));
    }
    if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '@' || c == ',')) {
      throw bad(text, "bad host name");
    }
    return new NextHop(host, port, !bracketed);
  }

  /** As Postfix logs a next hop: {@code host} or {@code [host]:port}. */
  @Override
  public String toString() {
    String h = mxLookup ? host : "[" + host + "]";
    return port == SMTP_PORT ? h : h + ":" + port;
  }

  private static ConfigException bad(String text, String why) {
    return new ConfigException("bad next hop \"" + text + "\": " + why);
  }
}
