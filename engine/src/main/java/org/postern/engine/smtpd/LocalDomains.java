package org.postern.engine.smtpd;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import org.postern.engine.global.Config;
import org.postern.engine.global.TempFailException;

/**
 * Whether a recipient's domain is this host's own final destination: no domain at all
 * (unqualified), a domain in {@code mydestination}, or an address literal naming one of the
 * host's interface addresses ({@code user@[192.0.2.1]}, as Postfix's resolver treats
 * literals of inet_interfaces "all").
 *
 * <p>Interface addresses are read when a literal is asked about (rare), so a changed address
 * counts at once; failing to read them is a TempFailException. A literal is parsed only as
 * numbers, never resolved. Thread-safe.
 */
final class LocalDomains {
  private final Config config;

  LocalDomains(Config config) {
    this.config = config;
  }

  boolean isLocal(RecipientAddress address) throws TempFailException {
    if (address.domain().isEmpty()) {
      return true;
    }
    String domain = address.domain().get();
    return address.literal() ? isOurAddress(domain) : config.isLocalDomain(domain);
  }

  /** {@code [a.b.c.d]} or {@code [ipv6:...]}, already checked to be numeric. */
  private static boolean isOurAddress(String literal) throws TempFailException {
    String inner = literal.substring(1, literal.length() - 1);
    if (inner.startsWith("ipv6:")) {
      inner = inner.substring("ipv6:".length());
    }
    try {
      InetAddress wanted = InetAddress.getByName(inner);
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (Arrays.equals(a.getAddress(), wanted.getAddress())) {
            return true;
          }
        }
      }
      return false;
    } catch (UnknownHostException e) {
      // Numeric but not an address (e.g. "ipv6:1:2"): nobody's, certainly not ours.
      return false;
    } catch (SocketException e) {
      throw new TempFailException("4.3.0", "cannot list network interfaces: " + e, e);
    }
  }
}
