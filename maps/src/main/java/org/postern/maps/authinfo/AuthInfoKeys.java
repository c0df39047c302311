package org.postern.maps.authinfo;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys sendmail's client tries in its authinfo map for one server, in order (proto.m4's
 * authinfo ruleset): {@code AuthInfo:} with the server's host name, then each parent domain
 * ({@code mail.example.com}, {@code example.com}, {@code com}), then its address (IPv6 as
 * {@code IPv6:addr}) and each shorter prefix of it, then {@code AuthInfo:} alone, the default.
 *
 * <p>Trusts its input (a host name and address the client connected to). Stateless.
 */
public final class AuthInfoKeys {
  private AuthInfoKeys() {}

  public static List<String> of(String host, String address) {
    List<String> keys = new ArrayList<>();
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    boolean literal = h.startsWith("[") || h.contains(":") || h.matches("[0-9.]+");
    if (!h.isEmpty() && !literal) {
      for (String d = h; !d.isEmpty(); d = d.contains(".") ? d.substring(d.indexOf('.') + 1)
          : "") {
        keys.add(AuthInfoEntry.KEY_PREFIX + d);
      }
    }
    boolean v6 = address.contains(":");
    char sep = v6 ? ':' : '.';
    String prefix = v6 ? "IPv6:" : "";
    for (String a = address; !a.isEmpty(); a = a.lastIndexOf(sep) < 0 ? ""
        : a.substring(0, a.lastIndexOf(sep))) {
      keys.add(AuthInfoEntry.KEY_PREFIX + prefix + a);
    }
    keys.add(AuthInfoEntry.KEY_PREFIX);
    return keys;
  }
}
