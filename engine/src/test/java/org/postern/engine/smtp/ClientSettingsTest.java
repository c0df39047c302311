package org.postern.engine.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.Config;
import org.postern.engine.global.ConfigException;

/** The client's settings as main.cf gives them, with Postfix's defaults. */
class ClientSettingsTest {
  @TempDir Path dir;

  private Config config(String mainCf) throws Exception {
    Files.writeString(dir.resolve("main.cf"), mainCf);
    return Config.load(dir);
  }

  @Test
  void usesPostfixDefaults() throws Exception {
    ClientSettings s = ClientSettings.from(config("myhostname = mail.example.org\n"));

    assertEquals("mail.example.org", s.heloName());
    assertEquals("mail.example.org", s.myhostname());
    assertEquals(TlsLevel.MAY, s.tlsLevel());
    assertEquals(Optional.empty(), s.caFile());
    assertEquals(new Timeouts(30_000, 300_000, 300_000, 300_000, 300_000, 120_000, 180_000,
        600_000, 20_000, 300_000), s.timeouts());
  }

  @Test
  void readsEveryParameter() throws Exception {
    ClientSettings s = ClientSettings.from(config("myhostname = mail.example.org\n"
        + "smtp_helo_name = out.example.org\nsmtp_tls_security_level = verify\n"
        + "smtp_tls_CAfile = ca.pem\nsmtp_rcpt_timeout = 2m\nsmtp_8bitmime_strict = yes\n"
        + "root = " + dir + "\n"));

    assertEquals("out.example.org", s.heloName());
    assertEquals(TlsLevel.VERIFY, s.tlsLevel());
    assertEquals(Optional.of(dir.resolve("ca.pem")), s.caFile());
    assertEquals(120_000, s.timeouts().rcpt());
    assertTrue(s.strict8BitMime());
  }

  @Test
  void readsTheSaslParametersWithPlaintextMechanismsOnlyInsideTlsByDefault() throws Exception {
    SaslSettings off = ClientSettings.from(config("myhostname = m.example\n")).sasl();
    assertEquals(new SaslSettings(false, Set.of(SaslSecurity.NOPLAINTEXT,
        SaslSecurity.NOANONYMOUS), Set.of(SaslSecurity.NOANONYMOUS), Set.of(), false), off);

    SaslSettings on = ClientSettings.from(config("smtp_sasl_auth_enable = yes\n"
        + "smtp_sasl_security_options = noanonymous\n"
        + "smtp_sasl_tls_security_options = $smtp_sasl_security_options, noactive\n"
        + "smtp_sasl_mechanism_filter = plain, login\n"
        + "smtp_sender_dependent_authentication = yes\n")).sasl();
    assertEquals(new SaslSettings(true, Set.of(SaslSecurity.NOANONYMOUS),
        Set.of(SaslSecurity.NOANONYMOUS, SaslSecurity.NOACTIVE), Set.of("PLAIN", "LOGIN"), true),
        on);
  }

  @Test
  void refusesAnUnknownSecurityOptionAndATableAsMechanismFilter() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> ClientSettings.from(
        config("smtp_sasl_security_options = noplaintext, nosuch\n")));
    assertEquals("bad smtp_sasl_security_options value \"nosuch\": expected noplaintext,"
        + " noactive, nodictionary, noanonymous, mutual_auth or forward_secrecy",
        e.getMessage());
    e = assertThrows(ConfigException.class, () -> ClientSettings.from(
        config("smtp_sasl_mechanism_filter = hash:/etc/filter\n")));
    assertEquals("bad smtp_sasl_mechanism_filter value \"hash:/etc/filter\": Postern takes"
        + " mechanism names here, not tables", e.getMessage());
  }

  @Test
  void refusesAnUnknownTlsLevel() throws Exception {
    Config c = config("smtp_tls_security_level = dane-only\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ClientSettings.from(c));
    assertTrue(e.getMessage().contains("smtp_tls_security_level"), e.getMessage());
  }

  @Test
  void reportsAnUnreadableCaFileAsAConfigurationError() throws Exception {
    ClientSettings s = ClientSettings.from(config("smtp_tls_CAfile = " + dir.resolve("none.pem")
        + "\n"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> SmtpClient.create(s, new SmtpTestKit(dir).log));
    assertTrue(e.getMessage().startsWith("cannot load smtp_tls_CAfile "), e.getMessage());
  }
}
