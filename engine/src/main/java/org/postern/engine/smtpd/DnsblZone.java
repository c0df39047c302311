package org.postern.engine.smtpd;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.engine.dns.HostnameSyntax;

/**
 * One item of smtpd_dnsbl_zones, in Postfix's reject_rbl_client syntax: a zone, optionally
 * followed by {@code =d.d.d.d}, the answers that count as a listing, where each {@code d} is
 * a number or {@code [...]} of {@code ;}-separated numbers and {@code n..m} ranges (Postfix
 * 2.8 and later): {@code zen.spamhaus.org=127.0.0.[2..11]}. Without a pattern any answer
 * counts. A client a.b.c.d is looked up as d.c.b.a.ZONE, an IPv6 client nibble by nibble in
 * reverse (RFC 5782 section 2.4).
 *
 * <p>Trusts main.cf; a malformed item is an IllegalArgumentException for the caller to name
 * the key. Immutable.
 */
record DnsblZone(String zone, Optional<List<int[][]>> answers) {

  static DnsblZone parse(String item) {
    int eq = item.indexOf('=');
    String zone = (eq < 0 ? item : item.substring(0, eq)).toLowerCase(Locale.ROOT);
    if (zone.endsWith(".")) {
      zone = zone.substring(0, zone.length() - 1);
    }
    if (!HostnameSyntax.valid(zone)) {
      throw new IllegalArgumentException("bad zone \"" + zone + "\"");
    }
    return new DnsblZone(zone,
        eq < 0 ? Optional.empty() : Optional.of(pattern(item.substring(eq + 1))));
  }

  /** The name to look up for {@code client} in this zone. */
  String query(InetAddress client) {
    byte[] a = client.getAddress();
    StringBuilder name = new StringBuilder();
    for (int i = a.length - 1; i >= 0; i--) {
      int b = a[i] & 0xff;
      if (client instanceof Inet4Address) {
        name.append(b).append('.');
      } else {
        name.append(Character.forDigit(b & 0xf, 16)).append('.')
            .append(Character.forDigit(b >> 4, 16)).append('.');
      }
    }
    return name.append(zone).toString();
  }

  /** Whether the zone's answer {@code a} lists the client. */
  boolean counts(InetAddress a) {
    if (answers.isEmpty()) {
      return true;
    }
    byte[] octets = a.getAddress();
    if (octets.length != 4) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      if (!within(octets[i] & 0xff, answers.get().get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean within(int octet, int[][] ranges) {
    for (int[] r : ranges) {
      if (octet >= r[0] && octet <= r[1]) {
        return true;
      }
    }
    return false;
  }

  /** {@code d.d.d.d}; each d a number or [n;n..m;...]. */
  private static List<int[][]> pattern(String text) {
    List<int[][]> octets = new ArrayList<>();
    int i = 0;
    while (i <= text.length()) {
      int end;
      String part;
      if (i < text.length() && text.charAt(i) == '[') {
        end = text.indexOf(']', i);
        if (end < 0) {
          throw badPattern(text);
        }
        part = text.substring(i + 1, end);
        end++;
      } else {
        end = text.indexOf('.', i);
        end = end < 0 ? text.length() : end;
        part = text.substring(i, end);
      }
      octets.add(ranges(part, text));
      if (end < text.length() && text.charAt(end) != '.') {
        throw badPattern(text);
      }
      i = end + 1;
    }
    if (octets.size() != 4) {
      throw badPattern(text);
    }
    return octets;
  }

  private static int[][] ranges(String part, String text) {
    String[] items = part.split(";", -1);
    int[][] out = new int[items.length][];
    for (int k = 0; k < items.length; k++) {
      String[] ends = items[k].split("\\.\\.", -1);
      if (ends.length > 2) {
        throw badPattern(text);
      }
      int lo = octet(ends[0], text);
      int hi = ends.length == 2 ? octet(ends[1], text) : lo;
      if (lo > hi) {
        throw badPattern(text);
      }
      out[k] = new int[] {lo, hi};
    }
    return out;
  }

  private static int octet(String s, String text) {
    if (!s.matches("\\d{1,3}") || Integer.parseInt(s) > 255) {
      throw badPattern(text);
    }
    return Integer.parseInt(s);
  }

  private static IllegalArgumentException badPattern(String text) {
    return new IllegalArgumentException("bad answer pattern \"" + text
        + "\" (expected d.d.d.d, each d a number or [n;n..m])");
  }
}
