package org.postern.engine.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Names the local hosts(5) file gives addresses, consulted before the DNS as the C library
 * does (nsswitch {@code hosts: files dns}): the client on 127.0.0.1 is {@code localhost}
 * without a PTR query that a resolver-less machine would wait seconds for.
 *
 * <p>Trusts the file as the administrator's; lines it cannot read are skipped. Read on each
 * lookup (a small file, changed rarely, never cached stale). Thread-safe.
 */
final class HostsFile {
  static final Path SYSTEM = Path.of("/etc/hosts");

  private final Path file;

  HostsFile(Path file) {
    this.file = file;
  }

  /** The first name listed for {@code address}, lower-cased, if the file lists it. */
  Optional<String> nameOf(InetAddress address) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty(); // no hosts file: the DNS alone answers
    }
    for (String line : text.split("\n")) {
      int hash = line.indexOf('#');
      String[] fields = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
      if (fields.length < 2 || !literal(fields[0])) {
        continue;
      }
      try {
        InetAddress listed = InetAddress.getByName(fields[0]);
        if (Arrays.equals(listed.getAddress(), address.getAddress())) {
          return Optional.of(fields[1].toLowerCase(Locale.ROOT));
        }
      } catch (UnknownHostException e) {
        // not an address after all: skip the line
      }
    }
    return Optional.empty();
  }

  /** An IPv4 or IPv6 literal, so that parsing it never asks a name service. */
  private static boolean literal(String text) {
    return HostnameSyntax.ipv4(text) || text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+");
  }
}
