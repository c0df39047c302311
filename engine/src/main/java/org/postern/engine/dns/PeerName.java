package org.postern.engine.dns;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;
import org.postern.engine.global.MailLog;
import org.postern.engine.global.TempFailException;

/**
 * The SMTP client's host name as Postfix's smtpd finds it (smtpd_peer.c): the name
 * /etc/hosts gives its address, else the PTR record of its address, kept only when that name is well-formed and its own A/AAAA records lead back
 * to the address (forward confirmation); otherwise {@code unknown}, the word Postfix logs and
 * access maps and Received headers then see.
 *
 * <p>Trusts nothing the DNS says about the client: a PTR may name anything. A name that does
 * not lead back is logged as Postfix logs it ({@code warning: hostname X does not resolve to
 * address Y}); a lookup that fails for now gives {@code unknown} and a warning, never an
 * error: the session goes on. Thread-safe.
 */
public final class PeerName {
  /** The name of a client whose name is not known (Postfix's word). */
  public static final String UNKNOWN = "unknown";

  private final Resolver resolver;
  private final HostsFile hosts;
  private final MailLog log;

  public PeerName(Resolver resolver, MailLog log) {
    this(resolver, new HostsFile(HostsFile.SYSTEM), log);
  }

  PeerName(Resolver resolver, HostsFile hosts, MailLog log) {
    this.resolver = resolver;
    this.hosts = hosts;
    this.log = log;
  }

  /** The verified name of {@code client}, or {@link #UNKNOWN}; never throws. */
  public String of(InetAddress client) {
    Optional<String> local = hosts.nameOf(client);
    if (local.isPresent()) {
      return local.get(); // the administrator's own file needs no forward confirmation
    }
    String ip = client.getHostAddress();
    Answer<String> names;
    try {
      names = resolver.ptr(client);
    } catch (TempFailException e) {
      log.warning(ip + ": hostname lookup failed: " + e.getMessage());
      return UNKNOWN;
    }
    for (String name : names.records()) {
      if (!HostnameSyntax.valid(name)) {
        log.warning("malformed domain name in resource data of PTR record for " + ip + ": "
            + MailLog.printable(name));
        continue;
      }
      if (confirms(name, client)) {
        return name;
      }
    }
    return UNKNOWN;
  }

  /** Whether the addresses of {@code name} include {@code client} (forward confirmation). */
  private boolean confirms(String name, InetAddress client) {
    String ip = client.getHostAddress();
    Answer<InetAddress> forward;
    try {
      forward = resolver.addresses(name);
    } catch (TempFailException e) {
      log.warning("hostname " + name + " does not resolve to address " + ip + ": "
          + e.getMessage());
      return false;
    }
    if (!forward.found()) {
      log.warning("hostname " + name + " does not resolve to address " + ip
          + ": Name or service not known");
      return false;
    }
    for (InetAddress a : forward.records()) {
      if (Arrays.equals(a.getAddress(), client.getAddress())) {
        return true; // bytes, not equals(): an IPv6 client's scope id must not matter
      }
    }
    log.warning("hostname " + name + " does not resolve to address " + ip);
    return false;
  }
}
