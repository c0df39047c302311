package org.postern.engine.route;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.postern.engine.dns.Answer;
import org.postern.engine.dns.HostnameSyntax;
import org.postern.engine.dns.MxHost;
import org.postern.engine.dns.Resolver;
import org.postern.engine.global.MailException;
import org.postern.engine.global.PermFailException;
import org.postern.engine.global.TempFailException;
import org.postern.engine.smtp.Endpoint;

/**
 * The servers to try for a next hop, by RFC 5321 section 5.1: a {@code [host]} is that host's
 * addresses; a domain is its MX hosts in preference order (ties shuffled by the resolver),
 * or its own addresses when it has no MX; a null MX (RFC 7505) refuses mail. MX hosts at or
 * below our own preference are dropped, as Postfix does, and if we are the best MX the mail
 * loops back to us. Addresses are filtered by inet_protocols.
 *
 * <p>Trusts DNS answers as data. A temporary DNS failure is a TempFailException (4.4.3);
 * names that do not exist, a null MX and a loop are PermFailExceptions with Postfix's texts.
 * Immutable and thread-safe.
 */
public final class ServerFinder {
  /** Which address families deliveries use (Postfix's inet_protocols). */
  public enum Protocols { ALL, IPV4, IPV6 }

  private final Resolver dns;
  private final Protocols protocols;
  private final Predicate<InetSocketAddress> self;

  /** {@code self}: whether an address and port is one of our own SMTP listeners. */
  public ServerFinder(Resolver dns, Protocols protocols, Predicate<InetSocketAddress> self) {
    this.dns = dns;
    this.protocols = protocols;
    this.self = self;
  }

  /** The endpoints for {@code hop}, best first; never empty. */
  public List<Endpoint> find(NextHop hop) throws MailException {
    if (!hop.mxLookup()) {
      return endpoints(hop.host(), hop.port(), addressesOf(hop.host()));
    }
    Answer<MxHost> mx = dns.mx(hop.host());
    switch (mx.kind()) {
      case NO_SUCH_DOMAIN:
        throw notFound(hop.host(), "MX");
      case NO_DATA:
        // RFC 5321 5.1: no MX records, the domain itself is the implicit MX.
        return endpoints(hop.host(), hop.port(), addressesOf(hop.host()));
      default:
        break;
    }
    List<MxHost> hosts = mx.records();
    if (hosts.stream().anyMatch(MxHost::nullMx)) {
      throw new PermFailException("5.1.10",
          "Domain " + hop.host() + " does not accept mail (nullMX)");
    }
    return fromMxHosts(hop, hosts);
  }

  private List<Endpoint> fromMxHosts(NextHop hop, List<MxHost> hosts) throws MailException {
    List<Endpoint> out = new ArrayList<>();
    List<Integer> preferences = new ArrayList<>();
    MailException last = null;
    for (MxHost mx : hosts) {
      List<InetAddress> addresses;
      try {
        addresses = addressesOf(mx.host());
      } catch (MailException e) {
        last = last instanceof TempFailException ? last : e;
        continue;
      }
      for (InetAddress a : addresses) {
        InetSocketAddress sa = new InetSocketAddress(a, hop.port());
        if (self.test(sa)) {
          // We are this MX: only better ones may take the mail (RFC 5321 5.1).
          for (int i = out.size() - 1; i >= 0; i--) {
            if (preferences.get(i) >= mx.preference()) {
              out.remove(i);
              preferences.remove(i);
            }
          }
          if (out.isEmpty()) {
            throw new PermFailException("5.4.6", "mail for " + hop.host()
                + " loops back to myself");
          }
          return out;
        }
        out.add(new Endpoint(mx.host(), sa));
        preferences.add(mx.preference());
      }
    }
    if (out.isEmpty()) {
      throw last != null ? last : notFound(hop.host(), "A");
    }
    return out;
  }

  private static List<Endpoint> endpoints(String host, int port, List<InetAddress> addresses) {
    List<Endpoint> out = new ArrayList<>();
    for (InetAddress a : addresses) {
      out.add(new Endpoint(host, new InetSocketAddress(a, port)));
    }
    return out;
  }

  /** The addresses of {@code host} of the families in use; an IP address is itself. */
  private List<InetAddress> addressesOf(String host) throws MailException {
    List<InetAddress> found = new ArrayList<>();
    if (HostnameSyntax.ipv4(host) || host.indexOf(':') >= 0) {
      try {
        found.add(InetAddress.getByName(host)); // a literal: parsed, never looked up
      } catch (UnknownHostException e) {
        throw new PermFailException("5.1.2", "bad address literal " + host);
      }
    } else {
      Answer<InetAddress> a = dns.addresses(host);
      if (!a.found()) {
        throw notFound(host, "A");
      }
      found.addAll(a.records());
    }
    found.removeIf(a -> protocols == Protocols.IPV4 && !(a instanceof Inet4Address)
        || protocols == Protocols.IPV6 && a instanceof Inet4Address);
    if (found.isEmpty()) {
      throw new PermFailException("5.4.4", "Host or domain name not found. No "
          + (protocols == Protocols.IPV4 ? "IPv4" : "IPv6") + " address for " + host);
    }
    return found;
  }

  private static PermFailException notFound(String name, String type) {
    return new PermFailException("5.4.4", "Host or domain name not found. Name service error"
        + " for name=" + name + " type=" + type + ": Host not found");
  }
}
