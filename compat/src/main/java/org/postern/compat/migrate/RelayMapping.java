package org.postern.compat.migrate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.engine.global.Params;
import org.postern.maps.authinfo.AuthInfoEntry;
import org.postern.maps.authinfo.AuthInfoException;
import org.postern.maps.source.SourceEntry;

/**
 * How sendmail sends mail off this host, carried into the SMTP client's parameters: the smart
 * host (relayhost), the logins of its authinfo map or, without FEATURE(authinfo), of the
 * access map's {@code AuthInfo:} entries (a secret table written as
 * {@code ROOT/etc/postern/authinfo}, read with Postern's {@code authinfo:} type), and the TLS
 * level: sendmail tries STARTTLS wherever it is offered ({@code may}) unless a
 * {@code TLS_Srv:} entry of the access map asks the smart host for more.
 *
 * <p>Trusts nothing in the files; an entry it cannot read is reported by key, never with its
 * value. Stateless.
 */
final class RelayMapping {
  static final String AUTHINFO_TABLE = "authinfo";
  private static final Set<String> SMTP_MAILERS =
      Set.of("relay", "esmtp", "smtp", "smtp8", "dsmtp");

  /** Where the old configuration named the smart host, the login and the access maps. */
  record Sources(Optional<SmartHost> smartHost, Optional<Integer> port, String hostOrigin,
      Optional<String> authinfoFile, Optional<String> accessFile) {}

  private RelayMapping() {}

  static void carry(Path root, Sources s, Migration.Builder out) throws IOException {
    Optional<SmartHost> host = s.smartHost()
        .filter(h -> SMTP_MAILERS.contains(h.mailer()));
    if (s.smartHost().isPresent() && host.isEmpty()) {
      out.notCarried(s.hostOrigin(), "SMART_HOST mailer " + s.smartHost().get().mailer(),
          "Postern sends only by SMTP: mail for other domains goes to their MX hosts");
    }
    host.ifPresent(h -> out.carry(Params.RELAYHOST.name(), h.relayhost(s.port()),
        s.hostOrigin()));
    SendmailMap access = s.accessFile().isPresent()
        ? SendmailMap.read(root, s.accessFile().get()) : new SendmailMap("", List.of());
    logins(root, s, access, out);
    tls(host, s.hostOrigin(), access, out);
  }

  private static void logins(Path root, Sources s, SendmailMap access, Migration.Builder out)
      throws IOException {
    SendmailMap map = s.authinfoFile().isPresent()
        ? SendmailMap.read(root, s.authinfoFile().get()) : access;
    List<SourceEntry> good = new ArrayList<>();
    for (SourceEntry e : map.tagged(AuthInfoEntry.KEY_PREFIX)) {
      try {
        AuthInfoEntry.parse(e.value());
        good.add(e);
      } catch (AuthInfoException ex) {
        out.notCarried(map.origin(e), "login " + e.key(), ex.getMessage());
      }
    }
    if (good.isEmpty()) {
      s.authinfoFile().ifPresent(f -> out.decide(f, "FEATURE(authinfo) names " + f
          + ", which has no readable AuthInfo: entry: no login carried over; write one"));
      return;
    }
    String origin = map.origin(good.get(0));
    out.table(new MigratedTable(AUTHINFO_TABLE, SendmailMap.lines(good), true, map.name()));
    out.carry(Params.SMTP_SASL_AUTH_ENABLE.name(), "yes", origin);
    out.carry(Params.SMTP_SASL_PASSWORD_MAPS.name(),
        "authinfo:" + SendmailReader.posternTable(root, AUTHINFO_TABLE), origin);
    // Deviation from sendmail, which would send PLAIN to a server without STARTTLS.
    out.notCarried(origin, "logins without TLS", "Postern sends a password only inside TLS"
        + " (smtp_sasl_security_options = noplaintext): a server without STARTTLS gets none");
  }

  private static void tls(Optional<SmartHost> host, String hostOrigin, SendmailMap access,
      Migration.Builder out) {
    String level = "may";
    String origin = hostOrigin;
    String hostKey = host.map(h -> "tls_srv:" + h.name().toLowerCase(Locale.ROOT)).orElse("");
    for (SourceEntry e : access.tagged("TLS_Srv:")) {
      String value = e.value().strip().toUpperCase(Locale.ROOT);
      boolean forHost = e.key().toLowerCase(Locale.ROOT).equals(hostKey);
      if (forHost && (value.startsWith("ENCR") || value.startsWith("VERIFY"))) {
        level = value.startsWith("VERIFY") ? "verify" : "encrypt";
        origin = access.origin(e);
      } else {
        out.notCarried(access.origin(e), e.key(), "mail to that server uses"
            + " smtp_tls_security_level like all others (smtp_tls_policy_maps can say more)");
      }
    }
    if (host.isPresent()) {
      out.carry(Params.SMTP_TLS_SECURITY_LEVEL.name(), level, origin);
    }
  }
}
