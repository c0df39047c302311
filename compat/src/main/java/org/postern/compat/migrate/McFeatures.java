package org.postern.compat.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postern.engine.global.Params;

/**
 * What is left of a sendmail.mc once the other mappings took theirs: the features with a
 * Postern parameter (accept_unresolvable_domains, dnsbl), the features and calls that
 * describe what Postern does anyway, and everything else reported as not carried over, with
 * what its absence changes where that is known. Runs last; trusts nothing in the .mc.
 * One instance per reading.
 */
final class McFeatures {
  /** Features that say what Postern does anyway. */
  private static final Set<String> EQUIVALENT = Set.of("nouucp", "always_add_domain",
      "nocanonify", "use_cw_file", "use_ct_file", "no_default_msa", "masquerade_entire_domain",
      "redirect");
  /** Mailers Postern has: its local delivery and its SMTP client. */
  private static final Set<String> MAILERS = Set.of("local", "smtp");
  private static final Map<String, String> CONSEQUENCES = Map.ofEntries(
      Map.entry("greet_pause", "the greeting is not delayed; clients that talk before it are"
          + " cut off by smtpd_forbid_unauth_pipelining"),
      Map.entry("conncontrol", "ClientConn: entries of the access map are not obeyed:"
          + " smtpd_client_connection_count_limit (50) applies to every client"),
      Map.entry("ratecontrol", "ClientRate: entries of the access map are not obeyed:"
          + " smtpd_client_connection_rate_limit applies (0: no limit)"),
      Map.entry("delay_checks", "refusals of the access map come at the stage they name"
          + " (Connect: at connection, From: at MAIL), not all at RCPT"),
      Map.entry("smrsh", "commands in aliases and .forward are not limited to"
          + " /etc/mail/smrsh: allow_mail_to_commands decides who may run them"),
      Map.entry("promiscuous_relay", "Postern relays only for mynetworks and to"
          + " relay_domains: other clients can no longer relay"),
      Map.entry("relay_entire_domain", "clients of the local domain relay only if their"
          + " network is in mynetworks"),
      Map.entry("relay_hosts_only", "relay_domains also covers subdomains"),
      Map.entry("confCONNECTION_RATE_THROTTLE", "no limit on new connections per second"
          + " (default_process_limit caps connections at once)"),
      Map.entry("confBAD_RCPT_THROTTLE", "clients sending bad recipients are slowed down by"
          + " smtpd_soft_error_limit and smtpd_error_sleep_time instead"),
      Map.entry("confMAX_DAEMON_CHILDREN", "SMTP connections at once are capped by"
          + " default_process_limit (100), which also caps deliveries at once"),
      Map.entry("confCONNECTION_RATE_WINDOW_SIZE", "no limit on new connections per second"
          + " (default_process_limit caps connections at once)"),
      Map.entry("confSMTP_LOGIN_MSG", "the greeting is smtpd_banner ($myhostname ESMTP"
          + " Postern)"),
      Map.entry("confREFUSE_LA", "connections are not refused under load"),
      Map.entry("confQUEUE_LA", "mail is not queued instead of delivered under load"),
      Map.entry("confAUTH_MECHANISMS", "Postern's SMTP server offers no AUTH; its client"
          + " logs in with PLAIN, LOGIN or CRAM-MD5 (smtp_sasl_mechanism_filter)"),
      Map.entry("TRUST_AUTH_MECH", "Postern's SMTP server offers no AUTH: clients relay"
          + " only from mynetworks"),
      Map.entry("LOCAL_CONFIG", "the hand-written sendmail.cf lines after it are not read"),
      Map.entry("LOCAL_RULESETS", "the hand-written rulesets after it are not read: what they"
          + " decided (checks, rewriting) is gone"),
      Map.entry("LOCAL_NET_CONFIG", "the hand-written rules after it are not read"),
      Map.entry("MAIL_HUB", "mail for local users is delivered here, not sent to the hub"),
      Map.entry("LOCAL_RELAY", "unqualified names are delivered here, not sent to the relay"),
      Map.entry("LUSER_RELAY", "mail to unknown local users is refused, not sent on"));

  private final McDefinitions mc;
  private final Migration.Builder out;

  McFeatures(McDefinitions mc, Migration.Builder out) {
    this.mc = mc;
    this.out = out;
  }

  void carry() {
    mc.feature("accept_unresolvable_domains").ifPresent(c ->
        out.carry(Params.ACCEPT_UNRESOLVABLE_DOMAINS.name(), "yes", c.origin()));
    dnsbl();
    for (String f : EQUIVALENT) {
      mc.feature(f);
    }
    for (McCall call : mc.calls("MAILER")) {
      if (!MAILERS.contains(call.arg(0))) {
        out.notCarried(call.origin(), "MAILER(" + call.arg(0) + ")", "Postern delivers with"
            + " its local and SMTP agents only: mailertable routes to this mailer fail");
      }
    }
    for (McCall call : mc.unused()) {
      String what = call.name().equals("FEATURE") ? call.arg(0) : call.name().equals("define")
          ? call.arg(0) : call.name();
      String shown = call.name().equals("define") ? "define(" + what + ")"
          : call.args().isEmpty() ? call.name() : call.name() + "(" + call.arg(0) + ")";
      out.notCarried(call.origin(), shown,
          CONSEQUENCES.getOrDefault(what, "no Postern equivalent"));
    }
  }

  /** FEATURE(dnsbl) and FEATURE(enhdnsbl): their zones, in order. */
  private void dnsbl() {
    List<String> zones = new ArrayList<>();
    String origin = "";
    for (String f : List.of("dnsbl", "enhdnsbl")) {
      for (McCall call : mc.features(f)) {
        // cf/README: without a zone, the feature uses blackholes.mail-abuse.org.
        zones.add(call.arg(1).isEmpty() ? "blackholes.mail-abuse.org" : call.arg(1));
        origin = origin.isEmpty() ? call.origin() : origin;
      }
    }
    if (!zones.isEmpty()) {
      out.carry(Params.SMTPD_DNSBL_ZONES.name(), String.join(", ", zones), origin);
    }
  }
}
