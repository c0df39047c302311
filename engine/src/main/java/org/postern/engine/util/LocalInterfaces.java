package org.postern.engine.util;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Whether an address is this machine's own: loopback, the wildcard, or bound to one of its
 * network interfaces (Postfix's inet_interfaces test, as permit_inet_interfaces uses it).
 *
 * <p>Trusts the kernel's interface list; one that cannot be read answers "not ours".
 * Stateless and thread-safe.
 */
public final class LocalInterfaces {
  private LocalInterfaces() {}

  public static boolean has(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
