package org.postern.maps.access;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The key families of sendmail's access lookups, in the order cf/m4/proto.m4 tries them
 * (rulesets F, U, D and A), without tags. Each list is tried tagged then untagged per key by
 * {@link KeySearch}.
 *
 * <p>Inputs are already lower case. Pure functions; thread-safe.
 */
final class AccessKeys {
  private AccessKeys() {}

  /** F (LookUpFull): {@code user+detail@domain}, {@code user+*@domain}, {@code user@domain}. */
  static List<String> full(String local, String domain) {
    return withDetailForms(local, "@" + domain);
  }

  /** U (LookUpUser): {@code user+detail@}, then {@code user+*@}, {@code user@}. */
  static List<String> user(String local) {
    return withDetailForms(local, "@");
  }

  private static List<String> withDetailForms(String local, String suffix) {
    List<String> keys = new ArrayList<>(List.of(local + suffix));
    // proto.m4 "$+ + $* @": a non-empty user before the first '+'; the detail may be empty.
    int plus = local.indexOf('+');
    if (plus > 0) {
      String user = local.substring(0, plus);
      keys.add(user + "+*" + suffix);
      keys.add(user + suffix);
    }
    return keys;
  }

  /**
   * D (LookUpDomain): the domain and its parent domains ({@code a.b.c}, {@code b.c}, {@code c});
   * for an address literal {@code [192.168.1.2]}: {@code [192.168.1]}, {@code [192.168]},
   * {@code [192]}, and IPv6 literals group by group, as proto.m4's "IPv4 net" and "IPv6 net"
   * rules do.
   */
  static List<String> domain(String domain) {
    if (domain.length() > 2 && domain.startsWith("[") && domain.endsWith("]")) {
      List<String> keys = new ArrayList<>();
      for (String net : truncations(domain.substring(1, domain.length() - 1))) {
        keys.add("[" + net + "]");
      }
      return keys;
    }
    List<String> keys = new ArrayList<>();
    String d = domain;
    keys.add(d);
    // proto.m4 "<$+.$+>": drop the first label while a dot separates two non-empty parts.
    for (int dot = d.indexOf('.'); dot > 0 && dot < d.length() - 1; dot = d.indexOf('.')) {
      d = d.substring(dot + 1);
      keys.add(d);
    }
    return keys;
  }

  /**
   * A (LookUpAddress): the client address, then shorter prefixes: {@code 192.168.212.1},
   * {@code 192.168.212}, {@code 192.168}, {@code 192}; IPv6 as {@code ipv6:2001:db8:0:...:1}
   * down to {@code ipv6:2001} and, as sendmail does, {@code ipv6} itself.
   */
  static List<String> address(InetAddress address) {
    return truncations(literal(address).toLowerCase(Locale.ROOT));
  }

  /**
   * sendmail's form of an address: dotted quad, or {@code IPv6:} and eight hex groups without
   * leading zeros and without {@code ::} compression (sendmail 8.15+ default,
   * UseCompressedIPv6Addresses unset). An IPv4-mapped IPv6 address is the IPv4 address.
   */
  static String literal(InetAddress address) {
    String host = address.getHostAddress();
    if (!(address instanceof Inet6Address)) {
      return host;
    }
    int scope = host.indexOf('%');
    return "IPv6:" + (scope < 0 ? host : host.substring(0, scope));
  }

  /**
   * The key and its prefixes, dropping the last {@code .}- or {@code :}-separated part each
   * time ({@code ::x} counts as one separator), while a non-empty prefix remains.
   */
  static List<String> truncations(String key) {
    List<String> keys = new ArrayList<>();
    String k = key;
    while (true) {
      keys.add(k);
      int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf(':'));
      if (cut <= 0 || cut == k.length() - 1) {
        return keys;
      }
      if (k.charAt(cut) == ':' && k.charAt(cut - 1) == ':') {
        cut--;
      }
      if (cut == 0) {
        return keys;
      }
      k = k.substring(0, cut);
    }
  }

  static String withoutTrailingDots(String domain) {
    int end = domain.length();
    while (end > 0 && domain.charAt(end - 1) == '.') {
      end--;
    }
    return domain.substring(0, end);
  }
}
