package org.postern.engine.smtpd;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;
import org.postern.engine.global.ConfigKey;

/**
 * A list of networks as Postfix's {@code mynetworks} writes them: addresses and CIDR blocks,
 * IPv4 ({@code 127.0.0.0/8}) and IPv6 ({@code [::1]/128}, brackets optional; IPv4-mapped
 * {@code [::ffff:127.0.0.0]/104} is the IPv4 block {@code 127.0.0.0/8}), each maybe negated
 * with {@code !}; the first pattern that matches decides.
 *
 * <p>Checks every pattern at startup: a malformed one, a block with host bits set (Postfix:
 * "non-null host address bits") or a kind we do not match (host names, files, tables) is a
 * ConfigException naming the key, never a silently narrower list. Immutable; thread-safe.
 */
final class NetworkList {
  private static final Pattern NUMERIC = Pattern.compile("[0-9a-fA-F:.]+");

  private record Block(boolean negated, byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        if (bitAt(address, bit) != bitAt(network, bit)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Block> blocks;

  private NetworkList(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  static NetworkList from(Config config, ConfigKey key) throws ConfigException {
    List<Block> blocks = new ArrayList<>();
    for (String pattern : config.list(key)) {
      blocks.add(block(pattern).orElseThrow(() -> new ConfigException(
          key.name() + ": unsupported or malformed network \"" + pattern
              + "\" (expected address or address/prefix, IPv6 in [])")));
    }
    return new NetworkList(blocks);
  }

  boolean contains(InetAddress client) {
    byte[] a = client.getAddress();
    for (Block b : blocks) {
      if (b.contains(a)) {
        return !b.negated();
      }
    }
    return false;
  }

  private static Optional<Block> block(String pattern) {
    boolean negated = pattern.startsWith("!");
    String p = negated ? pattern.substring(1) : pattern;
    int slash = p.indexOf('/');
    String host = slash < 0 ? p : p.substring(0, slash);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    // Only numeric forms: InetAddress must never resolve a name here.
    if (host.isEmpty() || !NUMERIC.matcher(host).matches()
        || (host.indexOf(':') < 0 && !host.matches("\\d+(\\.\\d+){3}"))) {
      return Optional.empty();
    }
    byte[] network;
    boolean mapped;
    try {
      InetAddress address = InetAddress.getByName(host);
      // ::ffff:a.b.c.d (Debian's stock mynetworks has [::ffff:127.0.0.0]/104): Java gives
      // an IPv4 address, and IPv4-mapped clients arrive as IPv4 ones, so it is the IPv4
      // block of the prefix less 96.
      mapped = host.indexOf(':') >= 0 && address instanceof Inet4Address;
      network = address.getAddress();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    int bits = network.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String n = p.substring(slash + 1);
      int given = n.matches("\\d{1,3}") ? Integer.parseInt(n) - (mapped ? 96 : 0) : -1;
      if (given < 0 || given > bits) {
        return Optional.empty();
      }
      prefix = given;
    }
    for (int bit = prefix; bit < bits; bit++) {
      if (bitAt(network, bit) != 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new Block(negated, network, prefix));
  }

  private static int bitAt(byte[] bytes, int bit) {
    return (bytes[bit / 8] >> (7 - bit % 8)) & 1;
  }
}
