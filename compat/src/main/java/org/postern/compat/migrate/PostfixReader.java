package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.postern.engine.global.Config;
import org.postern.engine.global.Params;
import org.postern.maps.TableSpec;

/**
 * Postfix's configuration under {@code /etc/postfix}: main.cf (with {@code $name}
 * expansion and Postfix's defaults where they differ from Postern's), master.cf's SMTP
 * listeners, the smtpd restrictions, and the tables they name, recompiled under
 * ROOT/etc/postern. A parameter Postern shares with Postfix carries as it is; one it does not
 * have is reported.
 *
 * <p>Trusts nothing in the files (see {@link MtaReader}); paths in the new main.cf are those
 * under the root. Never reports a table's contents (sasl_passwd holds passwords). Stateless.
 */
public final class PostfixReader implements MtaReader {
  /** Handled by the code below, or by the listener and restriction readers. */
  private static final Set<String> HANDLED = Set.of("myorigin", "inet_interfaces",
      "mynetworks", "mynetworks_style", "relay_domains", "smtp_sasl_password_maps",
      "smtp_tls_policy_maps", "smtp_tls_CAfile", "smtpd_tls_cert_file", "smtpd_tls_key_file",
      "smtp_use_tls", "smtp_enforce_tls", "smtpd_use_tls", "smtpd_enforce_tls", "alias_maps",
      "alias_database", "virtual_alias_maps", "virtual_alias_domains", "canonical_maps",
      "sender_canonical_maps", "recipient_canonical_maps", "smtp_generic_maps",
      "virtual_mailbox_maps", "mailbox_command_maps", "recipient_delimiter",
      "mailbox_size_limit", "mailbox_command", "mailbox_transport", "virtual_transport",
      "forward_path", "smtp_tls_CApath",
      "smtpd_sasl_auth_enable", "smtpd_client_restrictions", "smtpd_helo_restrictions",
      "smtpd_sender_restrictions", "smtpd_relay_restrictions", "smtpd_recipient_restrictions",
      "smtpd_data_restrictions", "smtpd_end_of_data_restrictions");
  /** Postern's own, whatever Postfix said (its queue, its user, its log). */
  private static final Set<String> OURS = Set.of("queue_directory", "mail_owner",
      "maillog_file", "syslog_name", "root", "local_users_file", "local_delivery_service");
  /** Where Postfix keeps its programs and caches, and other settings of no consequence. */
  private static final Set<String> PLUMBING = Set.of("compatibility_level", "readme_directory",
      "html_directory", "manpage_directory", "sample_directory", "command_directory",
      "daemon_directory", "data_directory", "shlib_directory", "meta_directory",
      "sendmail_path", "newaliases_path", "mailq_path", "setgid_group", "biff",
      "smtp_tls_session_cache_database", "smtpd_tls_session_cache_database",
      "smtp_tls_loglevel", "smtpd_tls_loglevel", "append_dot_mydomain",
      "smtp_sasl_type", "maillog_file_prefixes");
  private static final Set<String> TABLES = Set.of("canonical_maps", "sender_canonical_maps",
      "recipient_canonical_maps", "smtp_generic_maps", "virtual_mailbox_maps",
      "mailbox_command_maps", "smtp_tls_policy_maps");

  @Override
  public String name() {
    return "postfix";
  }

  @Override
  public boolean presentIn(Path root) {
    return Files.isRegularFile(root.resolve("etc/postfix/main.cf"));
  }

  @Override
  public Migration read(Path root) throws IOException {
    PostfixConfig cf = PostfixConfig.read(root);
    Migration.Builder b = new Migration.Builder(name());
    OldTables tables = new OldTables(root, b);
    for (String name : cf.names()) {
      carrySetting(name, cf, root, tables, b);
    }
    defaults(cf, root, b);
    PostfixListeners.carry(root, cf, b);
    new PostfixRestrictions(cf, tables, b).carry(root);
    return b.build();
  }

  /** One main.cf setting, in file order. */
  private static void carrySetting(String name, PostfixConfig cf, Path root, OldTables tables,
      Migration.Builder b) throws IOException {
    PostfixConfig.Value v = cf.get(name).orElseThrow();
    if (TABLES.contains(name)) {
      tables.carry(v.value(), v.origin(), name, false, OldTables.SAME)
          .ifPresent(list -> b.carry(name, list, v.origin()));
      return;
    }
    switch (name) {
      case "myorigin", "smtp_tls_CAfile", "smtpd_tls_cert_file" ->
          b.carry(name, underRoot(root, v.value()), v.origin());
      case "smtpd_tls_key_file" -> {
        b.carry(name, underRoot(root, v.value()), v.origin());
        b.decide(v.origin(), "the daemon reads " + v.value() + " as mail_owner (postern):"
            + " make it readable to that user (Debian's snakeoil key: adduser postern ssl-cert)");
      }
      case "mynetworks", "relayhost", "recipient_delimiter", "mailbox_size_limit",
          "virtual_transport" -> b.carry(name, v.value(), v.origin());
      case "relay_domains" -> b.carry(name, tableRefs(root, v.value(), tables, v.origin(), name),
          v.origin());
      case "smtp_sasl_password_maps" -> passwordMaps(v, tables, b);
      case "transport_maps" ->
          tables.carry(v.value(), v.origin(), name, false, new PostfixTransport(b))
              .ifPresent(list -> b.carry(Params.MAILERTABLE_MAP.name(), list, v.origin()));
      case "virtual_alias_maps" ->
          tables.carry(v.value(), v.origin(), name, false, new PostfixVirtual(b))
              .ifPresent(list -> b.carry(Params.VIRTUSERTABLE_MAP.name(), list, v.origin()));
      case "alias_maps", "alias_database" -> aliases(name, v, root, b);
      // Expanded by Postfix at delivery ($home, $extension, ${name?text}), as by Postern.
      case "mailbox_command", "forward_path" ->
          b.carry(name, cf.raw(name).orElseThrow().value(), v.origin());
      case "smtp_tls_CApath" -> {
        if (!v.value().equals("/etc/ssl/certs")) {
          b.notCarried(v.origin(), name + " = " + v.value(), "Postern trusts Java's CA"
              + " certificates (Debian's come from /etc/ssl/certs) and smtp_tls_CAfile only");
        }
      }
      case "mailbox_transport" -> mailboxTransport(v, b);
      case "smtp_use_tls", "smtp_enforce_tls", "smtpd_use_tls", "smtpd_enforce_tls" ->
          legacyTls(name, v, cf, b);
      case "smtpd_sasl_auth_enable" -> {
        if (v.value().equals("yes")) {
          b.notCarried(v.origin(), "smtpd_sasl_auth_enable = yes",
              "Postern's SMTP server offers no AUTH: clients that logged in to relay are"
                  + " refused unless mynetworks lists them");
        }
      }
      case "virtual_alias_domains" -> b.notCarried(v.origin(), name + " = " + v.value(),
          "Postern takes mail for the domains virtusertable_map has entries in");
      default -> other(name, v, b);
    }
  }

  /** Anything else: as it is when Postern has the parameter, else reported. */
  private static void other(String name, PostfixConfig.Value v, Migration.Builder b) {
    if (HANDLED.contains(name) || OURS.contains(name) || PLUMBING.contains(name)) {
      return;
    }
    if (Params.byName(name).isPresent()) {
      b.carry(name, v.value(), v.origin());
    } else {
      b.notCarried(v.origin(), name + " = " + v.value(), "no Postern equivalent: not used");
    }
  }

  /**
   * The login tables, compiled as secret tables; a login written into main.cf itself
   * ({@code static:user:password}, {@code inline:}) is not copied into Postern's, so that
   * neither main.cf nor the report shows it.
   */
  private static void passwordMaps(PostfixConfig.Value v, OldTables tables,
      Migration.Builder b) throws IOException {
    List<String> files = new ArrayList<>();
    for (String item : Config.split(v.value())) {
      String type = TableSpec.parse(item).type();
      if (type.equals("static") || type.equals("inline")) {
        b.decide(v.origin(), "smtp_sasl_password_maps holds a login in main.cf itself (" + type
            + ":): not carried; put it in " + OldTables.configDir(Path.of("/"))
            + "/sasl_passwd");
      } else {
        files.add(item);
      }
    }
    tables.carry(String.join(", ", files), v.origin(), "smtp_sasl_password_maps", true,
        OldTables.SAME).ifPresent(list -> b.carry("smtp_sasl_password_maps", list, v.origin()));
  }

  /** Postfix's defaults that differ from Postern's, when main.cf leaves them. */
  private static void defaults(PostfixConfig cf, Path root, Migration.Builder b) {
    // Postern's packaged main.cf differs here too (myorigin = /etc/mailname, ...).
    for (String name : List.of("recipient_delimiter", "mailbox_size_limit", "myorigin",
        "mydestination")) {
      if (!cf.isSet(name)) {
        PostfixConfig.Value d = cf.getOrDefault(name);
        b.carry(name, d.value(), d.origin());
      }
    }
    for (String name : List.of("alias_maps", "alias_database")) {
      if (!cf.isSet(name)) {
        aliases(name, cf.getOrDefault(name), root, b);
      }
    }
    if (!cf.isSet("mynetworks")) {
      PostfixConfig.Value style = cf.get("mynetworks_style")
          .orElse(new PostfixConfig.Value("subnet", PostfixConfig.FILE + " (default)"));
      if (!style.value().equals("host")) {
        b.decide(style.origin(), "mynetworks_style = " + style.value() + " let the machine's "
            + style.value() + " relay; Postern relays for loopback only until mynetworks"
            + " lists them");
      }
    }
  }

  /**
   * Alias files stay where they are and are compiled there (newaliases' format is
   * Postfix's); a missing one or another table type is reported.
   */
  private static void aliases(String name, PostfixConfig.Value v, Path root,
      Migration.Builder b) {
    List<String> kept = new ArrayList<>();
    for (String item : Config.split(v.value())) {
      TableSpec spec = TableSpec.parse(item);
      boolean file = List.of("hash", "btree", "lmdb", "cdb").contains(spec.type())
          && spec.name().startsWith("/");
      if (file && Files.isRegularFile(root.resolve(spec.name().substring(1)))) {
        kept.add("hash:" + underRoot(root, spec.name()));
        b.aliasFile(spec.name());
      } else if (file) {
        b.notCarried(v.origin(), name + " " + item, "the file is missing: no aliases from it");
      } else {
        b.notCarried(v.origin(), name + " " + item,
            "table type " + spec.type() + ": has no Postern equivalent; its aliases are not used");
      }
    }
    if (!kept.isEmpty()) {
      b.carry(name, String.join(", ", kept), v.origin());
    }
  }

  private static void mailboxTransport(PostfixConfig.Value v, Migration.Builder b) {
    if (v.value().startsWith("lmtp:")) {
      b.carry("mailbox_transport", v.value(), v.origin());
      if (v.value().startsWith("lmtp:unix:") && !v.value().startsWith("lmtp:unix:/")) {
        b.decide(v.origin(), "mailbox_transport names a socket relative to Postfix's queue"
            + " (/var/spool/postfix): give the store's socket as an absolute path");
      }
    } else {
      b.notCarried(v.origin(), "mailbox_transport = " + v.value(),
          "Postern hands mailboxes to a store over LMTP only: mail goes to the mailbox in"
              + " mail_spool_directory (or home_mailbox, mailbox_command)");
    }
  }

  /** smtp_use_tls and friends, Postfix 2.2's spelling of the security levels. */
  private static void legacyTls(String name, PostfixConfig.Value v, PostfixConfig cf,
      Migration.Builder b) {
    String side = name.startsWith("smtpd_") ? "smtpd" : "smtp";
    if (!v.value().equals("yes") || cf.isSet(side + "_tls_security_level")) {
      return;
    }
    b.carry(side + "_tls_security_level", name.endsWith("enforce_tls") ? "encrypt" : "may",
        v.origin());
  }

  /** relay_domains: its table items carried as tables, its domains as they are. */
  private static String tableRefs(Path root, String value, OldTables tables, String origin,
      String name) throws IOException {
    List<String> out = new ArrayList<>();
    for (String item : Config.split(value)) {
      if (item.contains(":") || item.startsWith("/")) {
        tables.carry(item, origin, name, false, OldTables.SAME).ifPresent(out::add);
      } else {
        out.add(item);
      }
    }
    return String.join(", ", out);
  }

  /** A path of the old configuration as seen under the root. */
  static String underRoot(Path root, String path) {
    return path.startsWith("/") ? root.resolve(path.substring(1)).toString() : path;
  }
}
