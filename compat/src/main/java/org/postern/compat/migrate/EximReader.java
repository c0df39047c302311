package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Debian's Exim configuration: {@code /etc/exim4/update-exim4.conf.conf} (debconf's
 * answers: the configuration type, local domains and interfaces, relaying, smarthost, visible
 * domain, local delivery), {@code /etc/exim4/passwd.client} and {@code /etc/mailname}.
 *
 * <p>Trusts nothing in them (see {@link MtaReader}); hand edits to exim4.conf.template or
 * conf.d are not read. The smarthost password goes only into the secret table. Stateless.
 */
public final class EximReader implements MtaReader {
  /** Handled below, or of no consequence for Postern. */
  private static final Set<String> HANDLED = Set.of("dc_eximconfig_configtype",
      "dc_other_hostnames", "dc_local_interfaces", "dc_readhost", "dc_relay_domains",
      "dc_relay_nets", "dc_smarthost", "dc_hide_mailname", "dc_localdelivery",
      "dc_mailname_in_oh", "dc_minimaldns", "dc_use_split_config", "CFILEMODE");

  @Override
  public String name() {
    return "exim";
  }

  @Override
  public boolean presentIn(Path root) {
    return Files.isRegularFile(root.resolve("etc/exim4/update-exim4.conf.conf"));
  }

  @Override
  public Migration read(Path root) throws IOException {
    EximConfig c = EximConfig.read(root);
    Migration.Builder b = new Migration.Builder(name());
    EximConfig.Value type = c.get("dc_eximconfig_configtype")
        .orElse(new EximConfig.Value("local", EximConfig.FILE + " (default)"));
    Optional<String> mailname = mailname(root);
    switch (type.value()) {
      case "internet" -> localDomains(c, mailname, b);
      case "smarthost" -> {
        localDomains(c, mailname, b);
        smarthost(root, c, type, b);
      }
      case "satellite" -> {
        b.carry("mydestination", "", type.origin());
        smarthost(root, c, type, b);
      }
      case "local" -> {
        localDomains(c, mailname, b);
        b.notCarried(type.origin(), "dc_eximconfig_configtype = local",
            "Exim delivered no mail off this machine; Postern sends mail for other domains"
                + " to their MX hosts");
      }
      default -> b.decide(type.origin(), "dc_eximconfig_configtype = " + type.value()
          + ": Exim's own configuration is not read; set Postern's main.cf by hand");
    }
    listeners(c, b);
    origin(root, c, type, mailname, b);
    relaying(c, b);
    localDelivery(c, b);
    for (var e : c.all().entrySet()) {
      if (!HANDLED.contains(e.getKey()) && !e.getValue().value().isEmpty()) {
        b.notCarried(e.getValue().origin(), e.getKey() + " = " + e.getValue().value(),
            "no Postern equivalent: not used");
      }
    }
    return b.build();
  }

  /** Exim's local_domains: the host name, localhost, dc_other_hostnames (and the mail name). */
  private static void localDomains(EximConfig c, Optional<String> mailname,
      Migration.Builder b) {
    List<String> domains = new ArrayList<>(List.of("$myhostname", "localhost.$mydomain",
        "localhost"));
    String origin = EximConfig.FILE;
    Optional<EximConfig.Value> others = c.get("dc_other_hostnames");
    if (others.isPresent()) {
      origin = others.get().origin();
      domains.addAll(others.get().domains());
    }
    boolean mailnameIn = c.get("dc_mailname_in_oh").map(v -> v.value().equals("true"))
        .orElse(false);
    if (mailnameIn && mailname.isPresent() && !domains.contains(mailname.get())) {
      domains.add(mailname.get());
    }
    b.carry("mydestination", String.join(", ", domains), origin);
  }

  private static void smarthost(Path root, EximConfig c, EximConfig.Value type,
      Migration.Builder b) throws IOException {
    Optional<EximConfig.Value> smarthost = c.get("dc_smarthost");
    if (smarthost.isEmpty()) {
      b.decide(type.origin(), type.value() + " without dc_smarthost: set relayhost");
      return;
    }
    EximSmarthost.carry(root, smarthost.get(), b);
  }

  /** dc_local_interfaces, on Exim's port 25; empty means every interface. */
  private static void listeners(EximConfig c, Migration.Builder b) {
    Optional<EximConfig.Value> interfaces = c.get("dc_local_interfaces");
    if (interfaces.isEmpty()) {
      b.carry("smtpd_listen", "25", EximConfig.FILE + " (dc_local_interfaces empty: all)");
      return;
    }
    List<String> listen = new ArrayList<>();
    for (String a : interfaces.get().items()) {
      if (a.contains(":")) {
        b.notCarried(interfaces.get().origin(), "dc_local_interfaces " + a,
            "Postern does not listen on " + a + " (only IPv4 addresses are carried)");
      } else {
        listen.add((a.equals("localhost") ? "127.0.0.1" : a) + ":25");
      }
    }
    b.carry("smtpd_listen", String.join(", ", listen), interfaces.get().origin());
  }

  /** The domain of local senders: dc_readhost when the mail name is hidden, else mailname. */
  private static void origin(Path root, EximConfig c, EximConfig.Value type,
      Optional<String> mailname, Migration.Builder b) {
    Optional<EximConfig.Value> readhost = c.get("dc_readhost");
    boolean hide = c.get("dc_hide_mailname").map(v -> v.value().equals("true")).orElse(false)
        || type.value().equals("satellite");
    if (readhost.isPresent() && hide) {
      String domain = readhost.get().value();
      b.carry("myorigin", domain, readhost.get().origin());
      b.carry("masquerade_domains", domain, readhost.get().origin());
    } else if (mailname.isPresent()) {
      b.carry("myorigin", root.resolve("etc/mailname").toString(), "/etc/mailname:1");
    }
  }

  private static void relaying(EximConfig c, Migration.Builder b) {
    c.get("dc_relay_domains").ifPresent(
        v -> b.carry("relay_domains", String.join(", ", v.domains()), v.origin()));
    c.get("dc_relay_nets").ifPresent(v -> {
      List<String> nets = new ArrayList<>(List.of("127.0.0.0/8", "[::1]/128"));
      for (String net : v.items()) {
        nets.add(network(net));
      }
      b.carry("mynetworks", String.join(", ", nets), v.origin());
    });
  }

  /** An Exim network ({@code 2001:db8::/32}) as mynetworks writes it ({@code [2001:db8::]/32}). */
  private static String network(String net) {
    if (!net.contains(":")) {
      return net;
    }
    int slash = net.indexOf('/');
    return slash < 0 ? "[" + net + "]" : "[" + net.substring(0, slash) + "]" + net.substring(slash);
  }

  private static void localDelivery(EximConfig c, Migration.Builder b) {
    Optional<EximConfig.Value> v = c.get("dc_localdelivery");
    if (v.isEmpty() || v.get().value().equals("mail_spool")) {
      return;
    }
    switch (v.get().value()) {
      case "maildir_home" -> b.carry("home_mailbox", "Maildir/", v.get().origin());
      case "mbox_home" -> b.carry("home_mailbox", "Mailbox", v.get().origin());
      default -> b.notCarried(v.get().origin(), "dc_localdelivery = " + v.get().value(),
          "no Postern equivalent: mail goes to the mailbox in mail_spool_directory");
    }
  }

  /** The first line of /etc/mailname, when there is one. */
  private static Optional<String> mailname(Path root) throws IOException {
    Path file = root.resolve("etc/mailname");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.isEmpty() || lines.get(0).isBlank()
        ? Optional.empty() : Optional.of(lines.get(0).strip());
  }
}
