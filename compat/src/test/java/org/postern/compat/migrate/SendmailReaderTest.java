package org.postern.compat.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendmailReaderTest {
  /** The macros of Debian 12's default sendmail.mc (sendmail-cf 8.17.1.9), at their lines. */
  static final String DEBIAN_MC = """
      divert(-1)dnl
      # This file is used to configure Sendmail for use with Debian systems.
      divert(0)dnl
      define(`_USE_ETC_MAIL_')dnl
      include(`/usr/share/sendmail/cf/m4/cf.m4')dnl
      VERSIONID(`$Id: sendmail.mc, v 8.17.1.9-2+deb12u2 $')
      OSTYPE(`debian')dnl
      DOMAIN(`debian-mta')dnl
      dnl # Daemon options - restrict to servicing LOCALHOST ONLY !!!
      FEATURE(`no_default_msa')dnl
      dnl DAEMON_OPTIONS(`Family=inet6, Name=MTA-v6, Port=smtp, Addr=::1')dnl
      DAEMON_OPTIONS(`Family=inet,  Name=MTA-v4, Port=smtp, Addr=127.0.0.1')dnl
      DAEMON_OPTIONS(`Family=inet,  Name=MSP-v4, Port=submission, M=Ea, Addr=127.0.0.1')dnl
      define(`confPRIVACY_FLAGS',dnl
      `needmailhelo,needexpnhelo,needvrfyhelo,restrictqrun,restrictexpand,nobodyreturn,authwarnings')dnl
      define(`confCONNECTION_RATE_THROTTLE', `15')dnl
      define(`confCONNECTION_RATE_WINDOW_SIZE',`10m')dnl
      FEATURE(`use_cw_file')dnl
      FEATURE(`access_db', , `skip')dnl
      FEATURE(`greet_pause', `1000')dnl 1 seconds
      FEATURE(`delay_checks', `friend', `n')dnl
      define(`confBAD_RCPT_THROTTLE',`3')dnl
      FEATURE(`conncontrol', `nodelay', `terminate')dnl
      FEATURE(`ratecontrol', `nodelay', `terminate')dnl
      include(`/etc/mail/m4/dialup.m4')dnl
      include(`/etc/mail/m4/provider.m4')dnl
      MAILER_DEFINITIONS
      MAILER(`local')dnl
      MAILER(`smtp')dnl
      """;

  @TempDir Path root;

  private void write(String name, String text) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private Migration read() throws IOException {
    SendmailReader reader = new SendmailReader();
    assertTrue(reader.presentIn(root));
    return reader.read(root);
  }

  private static Map<String, Carried> carried(Migration m) {
    return m.carried().stream().collect(Collectors.toMap(Carried::parameter, c -> c));
  }

  private static void assertCarried(Migration m, String parameter, String value, String origin) {
    Carried c = carried(m).get(parameter);
    assertEquals(new Carried(parameter, value, origin), c, parameter);
  }

  private static List<String> notCarried(Migration m) {
    return m.notCarried().stream().map(n -> n.origin() + " " + n.setting()).toList();
  }

  @Test
  void debianDefaultListensOnLoopbackAndReportsWhatPosternDoesNotDo() throws IOException {
    write("etc/mail/sendmail.mc", DEBIAN_MC);
    write("etc/mail/local-host-names", "# local names\nlocalhost\nmx.example.org\n");
    write("etc/mail/m4/dialup.m4", "dnl nothing\n");
    write("etc/mail/m4/provider.m4", "dnl nothing\n");
    Migration m = read();
    String mc = "/etc/mail/sendmail.mc";
    assertCarried(m, "smtpd_listen", "127.0.0.1:25, 127.0.0.1:587", mc + ":12");
    assertCarried(m, "smtpd_helo_required", "yes", mc + ":14");
    assertCarried(m, "mydestination",
        "$myhostname, localhost.$mydomain, localhost, mx.example.org",
        "/etc/mail/local-host-names:2");
    assertCarried(m, "myorigin", "$myhostname", mc);
    assertCarried(m, "access_map", "hash:" + root.resolve("etc/mail/access"), mc + ":19");
    assertCarried(m, "virtusertable_map", "", mc + " (no FEATURE(virtusertable))");
    assertCarried(m, "message_size_limit", "0", mc + " (no confMAX_MESSAGE_SIZE)");
    assertCarried(m, "hopcount_limit", "100", mc + ":8");
    assertFalse(carried(m).containsKey("relayhost"));
    assertFalse(carried(m).containsKey("mailbox_command"), "no procmail in this root");
    assertEquals(List.of(
        mc + ":13 M=a on 127.0.0.1:587",
        mc + ":14 PrivacyOptions restrictexpand",
        mc + ":14 PrivacyOptions nobodyreturn",
        mc + ":16 define(confCONNECTION_RATE_THROTTLE)",
        mc + ":17 define(confCONNECTION_RATE_WINDOW_SIZE)",
        mc + ":20 FEATURE(greet_pause)",
        mc + ":21 FEATURE(delay_checks)",
        mc + ":22 define(confBAD_RCPT_THROTTLE)",
        mc + ":23 FEATURE(conncontrol)",
        mc + ":24 FEATURE(ratecontrol)"), notCarried(m));
    assertEquals(List.of(), m.decisions());
    assertEquals(List.of(), m.tables());
  }

  @Test
  void debianLocalMailerIsProcmailWhenSensibleMdaWouldPickIt() throws IOException {
    write("etc/mail/sendmail.mc", DEBIAN_MC);
    write("usr/bin/procmail", "");
    Migration m = read();
    assertCarried(m, "mailbox_command", "/usr/bin/procmail -t -a \"$EXTENSION\"",
        "/etc/mail/sendmail.mc:7 (Debian's local mailer sensible-mda)");
    // No local-host-names: still written, as the packaged one names $myorigin.
    assertCarried(m, "mydestination", "$myhostname, localhost.$mydomain, localhost",
        "/etc/mail/sendmail.mc (class w: the host's own names)");
  }

  @Test
  void smartHostWithLoginMasqueradeTwoLocalDomainsAndProcmail() throws IOException {
    write("etc/mail/sendmail.mc", """
        include(`/usr/share/sendmail/cf/m4/cf.m4')dnl
        OSTYPE(`debian')dnl
        DOMAIN(`debian-mta')dnl
        define(`confDOMAIN_NAME', `mx.example.com')dnl
        define(`SMART_HOST', `[smtp.example.net]')dnl
        define(`RELAY_MAILER_ARGS', `TCP $h 587')dnl
        define(`confMAX_MESSAGE_SIZE', `20000000')dnl
        FEATURE(`authinfo', `hash /etc/mail/authinfo')dnl
        FEATURE(`access_db')dnl
        FEATURE(`use_cw_file')dnl
        MASQUERADE_AS(`example.com')dnl
        FEATURE(`masquerade_envelope')dnl
        FEATURE(`masquerade_entire_domain')dnl
        MASQUERADE_DOMAIN(`old.example')dnl
        EXPOSED_USER(`root')dnl
        FEATURE(`local_procmail')dnl
        FEATURE(`accept_unresolvable_domains')dnl
        MAILER(`local')dnl
        MAILER(`smtp')dnl
        """);
    write("etc/mail/authinfo", "AuthInfo:smtp.example.net \"U:relayuser\" \"P:s3cret\""
        + " \"M:PLAIN\"\nAuthInfo:bad.example \"U:x\"\n");
    write("etc/mail/access", "Connect:127.0.0.1 RELAY\nTLS_SRV:smtp.example.net ENCR:128\n");
    write("etc/mail/local-host-names", "example.com\nexample.org\n");
    Migration m = read();
    String mc = "/etc/mail/sendmail.mc";
    assertCarried(m, "myhostname", "mx.example.com", mc + ":4");
    assertCarried(m, "relayhost", "[smtp.example.net]:587", mc + ":5");
    assertCarried(m, "smtp_sasl_auth_enable", "yes", "/etc/mail/authinfo:1");
    assertCarried(m, "smtp_sasl_password_maps",
        "authinfo:" + root.resolve("etc/postern/authinfo"),
        "/etc/mail/authinfo:1");
    assertCarried(m, "smtp_tls_security_level", "encrypt", "/etc/mail/access:2");
    assertCarried(m, "message_size_limit", "20000000", mc + ":7");
    assertCarried(m, "mydestination",
        "$myhostname, localhost.$mydomain, example.com, example.org, localhost",
        "/etc/mail/local-host-names:1");
    assertCarried(m, "masquerade_domains", "example.com", mc + ":11");
    assertCarried(m, "myorigin", "example.com", mc + ":11");
    assertCarried(m, "masquerade_classes", "envelope_sender, header_sender", mc + ":11");
    assertCarried(m, "masquerade_exceptions", "root", mc + ":15");
    assertCarried(m, "canonical_maps",
        "hash:" + root.resolve("etc/postern/masquerade_domains"), mc + ":14");
    assertCarried(m, "canonical_classes", "envelope_sender, header_sender", mc + ":14");
    assertCarried(m, "mailbox_command", "/usr/bin/procmail -a \"$EXTENSION\" -d \"$USER\"",
        mc + ":16");
    assertCarried(m, "hopcount_limit", "100", mc + ":3");
    assertCarried(m, "accept_unresolvable_domains", "yes", mc + ":17");
    assertCarried(m, "smtpd_listen", "25, 587", mc + " (sendmail's default listeners)");
    assertCarried(m, "587.smtpd_tls_security_level", "none", mc + " (sendmail's default MSA)");
    assertEquals(List.of(
        new MigratedTable("authinfo", List.of("AuthInfo:smtp.example.net \"U:relayuser\""
            + " \"P:s3cret\" \"M:PLAIN\""), true, "/etc/mail/authinfo"),
        new MigratedTable("masquerade_domains", List.of("@example.org @example.com",
            "@old.example @example.com"), false, mc + ":14")), m.tables());
    assertEquals(List.of(
        "/etc/mail/authinfo:2 login AuthInfo:bad.example",
        "/etc/mail/authinfo:1 logins without TLS"), notCarried(m));
    // The report never shows a password.
    assertFalse((m.notCarried().toString() + m.decisions() + m.carried()).contains("s3cret"));
  }

  @Test
  void frozenSendmailCfAloneGivesTheEssentials() throws IOException {
    write("etc/mail/sendmail.cf", """
        # generated
        Dj$w.example.com
        DSrelay:[smtp.example.net]
        DMexample.com
        Cwlocalhost
        Fw-o /etc/mail/local-host-names %[^\\#]
        Kaccess hash -T<TMPF> -o /etc/mail/access
        Kauthinfo hash /etc/mail/authinfo
        O MaxMessageSize=5000000
        O DaemonPortOptions=Family=inet,  Name=MTA-v4, Port=smtp, Addr=127.0.0.1
        O PrivacyOptions=needmailhelo,restrictmailq
        Mlocal,		P=/usr/bin/procmail, F=SPfhn9, S=EnvFromL/HdrFromL,
        		T=DNS/RFC822/X-Unix,
        		A=procmail -Y -a $h -d $u
        Mrelay,		P=[IPC], F=mDFMuXa8k, S=EnvFromSMTP/HdrFromSMTP, R=MasqSMTP, E=\\r\\n,
        		A=TCP $h 587
        O AliasFile=/etc/mail/aliases,/etc/mail/lists,nis:mail.aliases
        """);
    write("etc/mail/local-host-names", "mail.example.com # ours\nexample.net\n");
    write("etc/mail/authinfo", "AuthInfo: \"U:u\" \"P:p\"\n");
    Migration m = read();
    String cf = "/etc/mail/sendmail.cf";
    assertFalse(carried(m).containsKey("myhostname"), "$w is sendmail's, not a name");
    assertCarried(m, "relayhost", "[smtp.example.net]:587", cf + ":3");
    assertCarried(m, "myorigin", "example.com", cf + ":4");
    assertCarried(m, "masquerade_domains", "example.com", cf + ":4");
    assertCarried(m, "mydestination",
        "$myhostname, localhost.$mydomain, mail.example.com, example.net, localhost",
        cf + ":5");
    assertCarried(m, "canonical_maps",
        "hash:" + root.resolve("etc/postern/masquerade_domains"), cf + ":4");
    assertEquals(new MigratedTable("masquerade_domains", List.of("@example.net @example.com"),
        false, cf + ":4"), m.tables().get(1));
    assertCarried(m, "access_map", "hash:" + root.resolve("etc/mail/access"), cf + ":7");
    assertCarried(m, "virtusertable_map", "", cf + " (no Kvirtuser)");
    assertCarried(m, "smtp_sasl_password_maps",
        "authinfo:" + root.resolve("etc/postern/authinfo"),
        "/etc/mail/authinfo:1");
    assertCarried(m, "smtp_tls_security_level", "may", cf + ":3");
    assertCarried(m, "message_size_limit", "5000000", cf + ":9");
    assertCarried(m, "smtpd_listen", "127.0.0.1:25", cf + ":10");
    assertCarried(m, "smtpd_helo_required", "yes", cf + ":11");
    assertCarried(m, "authorized_mailq_users", "static:root", cf + ":11");
    assertCarried(m, "alias_maps", "hash:" + root.resolve("etc/aliases") + ", hash:"
        + root.resolve("etc/mail/lists"), cf + ":17");
    assertEquals(List.of("/etc/mail/authinfo:1 logins without TLS",
        cf + ":17 alias file nis:mail.aliases"), notCarried(m));
    assertCarried(m, "mailbox_command", "/usr/bin/procmail -Y -a \"$EXTENSION\" -d \"$USER\"",
        cf + ":12");
    assertEquals(List.of(new Decision(cf + ":2", "Dj is $w.example.com (sendmail macros): set"
        + " myhostname to the name it gives"),
        new Decision(cf, "no sendmail.mc: only the essentials of the frozen"
        + " sendmail.cf were read (rules, masquerading features and most options were not):"
        + " compare by hand")), m.decisions());
  }

  @Test
  void debiansStarttlsM4GivesTheServerCertificateAndAnMsaThatOffersStarttls()
      throws IOException {
    write("etc/mail/sendmail.mc", DEBIAN_MC.replace("include(`/etc/mail/m4/provider.m4')dnl\n",
        "include(`/etc/mail/m4/provider.m4')dnl\ninclude(`/etc/mail/tls/starttls.m4')dnl\n")
        .replace(", M=Ea, Addr", ", M=E, Addr")
        .replace("FEATURE(`access_db', , `skip')",
            "FEATURE(`access_db', `hash -o /etc/mail/access.db')"));
    write("etc/mail/tls/starttls.m4", """
        ifdef(`sm_version', `dnl',
        `include(`/usr/share/sendmail/cf/debian/autoconf.m4')dnl')
        ifelse(eval(sm_version_math >= 527104), `1', `dnl
        ifelse(sm_enable_tls, `yes', `dnl
        define(`confSERVER_CERT',     `/etc/mail/tls/sendmail-server.crt')dnl   # <= EDIT
        define(`confSERVER_KEY',      `/etc/mail/tls/sendmail-common.key')dnl   # <= EDIT
        ')')dnl
        """);
    Migration m = read();
    String tls = "/etc/mail/tls/starttls.m4";
    assertCarried(m, "smtpd_tls_cert_file",
        root.resolve("etc/mail/tls/sendmail-server.crt").toString(), tls + ":5");
    assertCarried(m, "smtpd_tls_key_file",
        root.resolve("etc/mail/tls/sendmail-common.key").toString(), tls + ":6");
    assertCarried(m, "smtpd_tls_security_level", "may", tls + ":5");
    assertCarried(m, "587.smtpd_tls_security_level", "may", "/etc/mail/sendmail.mc:13");
    assertCarried(m, "access_map", "hash:" + root.resolve("etc/mail/access"),
        "/etc/mail/sendmail.mc:19");
    assertEquals(List.of(new Decision(tls + ":5", "the daemon reads the certificate and key as"
        + " mail_owner: give its group read access to them (sendmail read them as root)")),
        m.decisions());
  }

  @Test
  void anMcM4CannotReadFallsBackToTheFrozenCf() throws IOException {
    write("etc/mail/sendmail.mc", "define(`SMART_HOST', `[a.example]\n");
    write("etc/mail/sendmail.cf", "DS[b.example]\n");
    Migration m = read();
    assertCarried(m, "relayhost", "[b.example]", "/etc/mail/sendmail.cf:1");
    assertCarried(m, "mydestination", "$myhostname, localhost.$mydomain, localhost",
        "/etc/mail/sendmail.cf (class w: the host's own names)");
    assertEquals(new Decision("/etc/mail/sendmail.mc:1", "unterminated quote: m4 cannot"
        + " build it either; /etc/mail/sendmail.cf was read instead"), m.decisions().get(0));
  }

  @Test
  void classMacrosFilesGenericsAndTheFeaturesPosternHasOrLacks() throws IOException {
    write("etc/mail/sendmail.mc", """
        include(`/usr/share/sendmail/cf/m4/cf.m4')dnl
        LOCAL_DOMAIN(`lists.example.com')dnl
        RELAY_DOMAIN(`partner.example')dnl
        MASQUERADE_AS(`example.com')dnl
        FEATURE(`allmasquerade')dnl
        MASQUERADE_EXCEPTION(`dev.example.com')dnl
        MASQUERADE_DOMAIN_FILE(`/etc/mail/masq-domains')dnl
        FEATURE(`genericstable', `hash -o /etc/mail/genericstable.db')dnl
        GENERICS_DOMAIN(`example.com other.example')dnl
        FEATURE(`mailertable', `hash /etc/mail/mailertable')dnl
        FEATURE(`virtusertable', `LDAP')dnl
        FEATURE(`dnsbl', `zen.spamhaus.org')dnl
        FEATURE(`smrsh')dnl
        FEATURE(`nouucp', `reject')dnl
        define(`LUSER_RELAY', `local:bitbucket')dnl
        define(`confMAX_HOP', `30')dnl
        define(`confTO_QUEUERETURN', `4d')dnl
        DAEMON_OPTIONS(`Family=inet6, Name=MTA-v6, Port=smtp, Addr=::1')dnl
        DAEMON_OPTIONS(`Port=smtps, Name=TLSMTA, M=s')dnl
        MAILER(`procmail')dnl
        """);
    write("etc/mail/relay-domains", "relay.example # ours too\n");
    write("etc/mail/masq-domains", "old.example\n");
    write("etc/mail/genericstable", "alice alice.smith@example.com\n");
    Migration m = read();
    String mc = "/etc/mail/sendmail.mc";
    assertCarried(m, "mydestination",
        "$myhostname, localhost.$mydomain, lists.example.com, localhost", mc + ":2");
    assertCarried(m, "relay_domains", "relay.example, partner.example",
        "/etc/mail/relay-domains:1");
    assertCarried(m, "masquerade_domains", "!dev.example.com, example.com", mc + ":4");
    assertCarried(m, "masquerade_classes", "header_sender, header_recipient", mc + ":4");
    assertCarried(m, "canonical_classes", "header_sender, header_recipient", mc + ":7");
    assertCarried(m, "smtp_generic_maps",
        "hash:" + root.resolve("etc/postern/genericstable"), mc + ":8");
    assertCarried(m, "mailertable_map", "hash:" + root.resolve("etc/mail/mailertable"),
        mc + ":10");
    assertCarried(m, "virtusertable_map", "", mc + ":11");
    assertCarried(m, "smtpd_dnsbl_zones", "zen.spamhaus.org", mc + ":12");
    assertCarried(m, "hopcount_limit", "30", mc + ":16");
    assertCarried(m, "maximal_queue_lifetime", "4d", mc + ":17");
    assertCarried(m, "bounce_queue_lifetime", "4d", mc + ":17");
    assertCarried(m, "smtpd_listen", "[::1]:25, 587", mc + ":18");
    assertEquals(List.of(
        new MigratedTable("masquerade_domains", List.of("@old.example @example.com"), false,
            mc + ":7"),
        new MigratedTable("genericstable", List.of("alice alice.smith@example.com"), false,
            "/etc/mail/genericstable")), m.tables());
    assertEquals(List.of(
        mc + ":19 SMTPS listener 465",
        mc + ":11 FEATURE(virtusertable, LDAP)",
        mc + ":8 genericstable's scope",
        mc + ":9 GENERICS_DOMAIN example.com other.example",
        mc + ":20 MAILER(procmail)",
        mc + ":13 FEATURE(smrsh)",
        mc + ":15 define(LUSER_RELAY)"), notCarried(m));
    assertEquals(List.of(new Decision("/etc/mail/relay-domains:1", "sendmail also relayed for"
        + " clients whose host name is in relay.example, partner.example: add their networks"
        + " to mynetworks if they send")), m.decisions());
  }
}
