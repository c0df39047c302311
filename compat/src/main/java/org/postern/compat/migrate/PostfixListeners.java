package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.ParameterName;

/**
 * Postfix's SMTP listeners as Postern's {@code smtpd_listen} and {@code PORT.name}
 * overrides: master.cf's {@code smtpd} (or {@code postscreen}) services of type {@code inet}
 * (smtp 25, submission 587, smtps 465, or a number), on {@code inet_interfaces}, with their
 * {@code -o name=value}.
 *
 * <p>Trusts nothing in master.cf: a service or override Postern cannot serve is reported as
 * not carried. Without master.cf, Postfix's stock one (smtp on 25 only) is assumed.
 * Stateless.
 */
final class PostfixListeners {
  static final String FILE = "/etc/postfix/master.cf";
  private static final Map<String, Integer> PORTS =
      Map.of("smtp", 25, "submission", 587, "smtps", 465, "submissions", 465);
  /** Overrides that only name Postfix's own log or milter plumbing: nothing to carry. */
  private static final Set<String> PLUMBING = Set.of("syslog_name", "milter_macro_daemon_name");

  /** One smtpd service of master.cf. */
  private record Service(String host, int port, List<String> overrides, String origin) {}

  private PostfixListeners() {}

  static void carry(Path root, PostfixConfig cf, Migration.Builder b) throws IOException {
    List<Service> services = services(root, cf, b);
    PostfixConfig.Value interfaces = cf.getOrDefault("inet_interfaces");
    Set<String> listen = new LinkedHashSet<>();
    List<String> origins = new ArrayList<>();
    for (Service s : services) {
      if (s.port() == 465) {
        b.notCarried(s.origin(), "smtps (port 465, implicit TLS)",
            "Postern's SMTP server has no implicit TLS: clients submitting on 465 cannot"
                + " connect (they may use 587 with STARTTLS)");
        continue;
      }
      origins.add(s.origin());
      List<String> hosts = s.host().isEmpty() ? addresses(interfaces, cf, b) : List.of(s.host());
      for (String host : hosts) {
        listen.add(host.isEmpty() ? String.valueOf(s.port()) : host + ":" + s.port());
      }
      overrides(s, cf, b);
    }
    b.carry("smtpd_listen", String.join(", ", listen),
        String.join(", ", origins.isEmpty() ? List.of(FILE) : origins)
            + " + " + interfaces.origin());
  }

  /** The smtpd services of master.cf, or the stock smtp service when it is missing. */
  private static List<Service> services(Path root, PostfixConfig cf, Migration.Builder b)
      throws IOException {
    Path file = root.resolve(FILE.substring(1));
    if (!Files.isRegularFile(file)) {
      return List.of(new Service("", 25, List.of(), FILE + " (missing: Postfix's stock smtp)"));
    }
    List<Service> services = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#") || Character.isWhitespace(line.charAt(0))) {
        continue;
      }
      // A logical line: this one and the indented (non-comment) lines that follow.
      String origin = FILE + ":" + (i + 1);
      StringBuilder logical = new StringBuilder(line);
      while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()
          && (Character.isWhitespace(lines.get(i + 1).charAt(0))
              || lines.get(i + 1).startsWith("#"))) {
        i++;
        if (!lines.get(i).startsWith("#")) {
          logical.append(' ').append(lines.get(i).strip());
        }
      }
      service(logical.toString().strip().split("\\s+"), origin, b).ifPresent(services::add);
    }
    return services;
  }

  private static Optional<Service> service(String[] f, String origin,
      Migration.Builder b) {
    if (f.length < 8 || !f[1].equals("inet")
        || !f[7].equals("smtpd") && !f[7].equals("postscreen")) {
      return Optional.empty();
    }
    if (f[7].equals("postscreen")) {
      b.notCarried(origin, "postscreen on " + f[0], "Postern's SMTP server takes the"
          + " connections itself: postscreen's tests (pregreet, DNSBL scores) are not made");
    }
    // service is [host:]name-or-port.
    int colon = f[0].lastIndexOf(':');
    String host = colon < 0 ? "" : address(f[0].substring(0, colon));
    String name = f[0].substring(colon + 1);
    Integer port = name.matches("\\d{1,5}") ? Integer.valueOf(name) : PORTS.get(name);
    if (port == null) {
      b.notCarried(origin, "smtpd service " + f[0],
          "unknown service name: Postern does not listen there");
      return Optional.empty();
    }
    List<String> overrides = new ArrayList<>();
    for (int i = 8; i < f.length; i++) {
      if (f[i].equals("-o") && i + 1 < f.length) {
        overrides.add(f[++i]);
      } else if (f[i].startsWith("-o")) {
        overrides.add(f[i].substring(2));
      }
    }
    return Optional.of(new Service(host, port, overrides, origin));
  }

  /** A service's {@code -o name=value} as {@code PORT.name = value}, where Postern has it. */
  private static void overrides(Service s, PostfixConfig cf, Migration.Builder b) {
    boolean tlsLevel = false;
    for (String o : s.overrides()) {
      int eq = o.indexOf('=');
      String name = eq < 0 ? o : o.substring(0, eq);
      String value = eq < 0 ? "" : cf.expand(o.substring(eq + 1));
      tlsLevel |= name.equals("smtpd_tls_security_level");
      if (PLUMBING.contains(name)) {
        continue;
      }
      if (name.equals("smtpd_sasl_auth_enable") && value.equals("yes")) {
        b.notCarried(s.origin(), "-o smtpd_sasl_auth_enable=yes (port " + s.port() + ")",
            "Postern's SMTP server offers no AUTH: clients that logged in to send through"
                + " this port are refused unless mynetworks lists them");
      } else if (name.endsWith("_restrictions")) {
        b.notCarried(s.origin(), "-o " + name + "=" + value + " (port " + s.port() + ")",
            "Postern applies one policy on every port (mynetworks, relay_domains,"
                + " access_map): this port's own restrictions are not used");
      } else if (ParameterName.parse(name).isPresent() && !name.contains(".")) {
        b.carry(s.port() + "." + name, value, s.origin());
      } else {
        b.notCarried(s.origin(), "-o " + name + "=" + value + " (port " + s.port() + ")",
            "no Postern equivalent");
      }
    }
    // Postfix's submission inherits main.cf's TLS level; Postern's 587 defaults to encrypt.
    if (s.port() == 587 && !tlsLevel) {
      PostfixConfig.Value level = cf.get("smtpd_tls_security_level")
          .orElse(new PostfixConfig.Value("none", PostfixConfig.FILE + " (default)"));
      b.carry("587.smtpd_tls_security_level", level.value(), level.origin());
    }
  }

  /** inet_interfaces as listen addresses ({@code ""} for all). */
  private static List<String> addresses(PostfixConfig.Value interfaces, PostfixConfig cf,
      Migration.Builder b) {
    List<String> out = new ArrayList<>();
    for (String item : Config.split(interfaces.value())) {
      if (item.equals("all")) {
        return List.of("");
      }
      if (item.equals("loopback-only")) {
        out.add("127.0.0.1");
        String protocols = cf.getOrDefault("inet_protocols").value();
        if (protocols.contains("all") || protocols.contains("ipv6")) {
          b.notCarried(interfaces.origin(), "inet_interfaces = loopback-only",
              "Postern listens on 127.0.0.1, not on IPv6's ::1");
        }
      } else {
        out.add(address(item));
      }
    }
    return out;
  }

  /** One interface as smtpd_listen writes it: localhost as 127.0.0.1, IPv6 in brackets. */
  private static String address(String host) {
    String h = host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    if (h.equals("localhost")) {
      return "127.0.0.1";
    }
    return h.contains(":") ? "[" + h + "]" : h;
  }
}
