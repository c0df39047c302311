package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Exim's smarthost ({@code dc_smarthost}, {@code host::port}) as Postern's relayhost, and its
 * login from {@code /etc/exim4/passwd.client} ({@code host:user:password} lines, the host
 * possibly a {@code *} pattern) as a sasl_passwd table keyed by that relayhost.
 *
 * <p>Trusts nothing in either file. The password never leaves the secret table: the report
 * names only the file and line the login came from. Stateless.
 */
final class EximSmarthost {
  static final String PASSWD = "/etc/exim4/passwd.client";

  private EximSmarthost() {}

  static void carry(Path root, EximConfig.Value smarthost, Migration.Builder b)
      throws IOException {
    List<String> hosts = smarthost.items();
    if (hosts.size() > 1) {
      b.notCarried(smarthost.origin(), "dc_smarthost fallbacks " + hosts.subList(1, hosts.size()),
          "Postern's relayhost is one host: mail waits in the queue when it is down");
    }
    // host::port, as Debian's smarthost router has it (by name: A records, not MX).
    String first = hosts.get(0);
    int sep = first.indexOf("::");
    String host = sep < 0 ? first : first.substring(0, sep);
    String port = sep < 0 ? "" : first.substring(sep + 2);
    String relayhost = "[" + host + "]" + (port.isEmpty() || port.equals("25") ? "" : ":" + port);
    b.carry("relayhost", relayhost, smarthost.origin());
    if (port.equals("465")) {
      b.carry("smtp_tls_wrappermode", "yes", smarthost.origin());
      b.carry("smtp_tls_security_level", "encrypt", smarthost.origin());
    }
    login(root, host, relayhost, b);
  }

  /** The first passwd.client line whose host matches, as the sasl_passwd entry. */
  private static void login(Path root, String host, String relayhost, Migration.Builder b)
      throws IOException {
    Path file = root.resolve(PASSWD.substring(1));
    if (!Files.isRegularFile(file)) {
      return;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":", 3);
      if (f.length < 3 || !matches(f[0].strip(), host)) {
        continue;
      }
      String origin = PASSWD + ":" + (i + 1);
      b.table(new MigratedTable("sasl_passwd",
          List.of(relayhost + " " + f[1].strip() + ":" + f[2].strip()), true, origin));
      b.carry("smtp_sasl_auth_enable", "yes", origin);
      b.carry("smtp_sasl_password_maps",
          "hash:" + OldTables.configDir(root).resolve("sasl_passwd"), origin);
      return;
    }
  }

  /** Exim's wildcard: {@code *} alone, {@code *.domain}, or the host itself. */
  static boolean matches(String pattern, String host) {
    String p = pattern.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (p.equals("*") || p.equals(h)) {
      return true;
    }
    return p.startsWith("*") && h.endsWith(p.substring(1));
  }
}
