package org.postern.engine.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DeliveryOutcome.Deferred;
import org.postern.engine.global.DeliveryOutcome.Delivered;
import org.postern.maps.FixedTable;

/**
 * SMTP AUTH (RFC 4954) in the client against a scripted server: PLAIN, LOGIN and CRAM-MD5 as
 * they go on the wire, no password where none is due (no AUTH offered, no entry, no TLS under
 * the default options), Postfix's words for a refused login, implicit TLS (RFC 8314), and a
 * transcript that never shows a credential.
 */
class SmtpAuthTest {
  private static final String PASSWORD = "pa:ss w0rd";
  private static final String PLAIN_RESPONSE = Base64.getEncoder().encodeToString(
      ("\0me@example.org\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  @TempDir static Path certs;
  private static SSLContext serverTls;

  @TempDir Path dir;
  private SmtpTestKit kit;
  private final ByteArrayOutputStream dialogue = new ByteArrayOutputStream();

  @BeforeAll
  static void makeCertificate() throws Exception {
    serverTls = TestCertificate.create(certs).serverContext();
  }

  @BeforeEach
  void setUp() {
    kit = new SmtpTestKit(dir);
  }

  private static ClientSettings settings(TlsLevel level) {
    SaslSettings sasl = new SaslSettings(true,
        EnumSet.of(SaslSecurity.NOPLAINTEXT, SaslSecurity.NOANONYMOUS),
        EnumSet.of(SaslSecurity.NOANONYMOUS), Set.of(), false);
    return new ClientSettings(SmtpTestKit.ME, SmtpTestKit.ME, Timeouts.all(2000), level,
        Optional.empty(), false, sasl);
  }

  private TransactionResult deliver(ClientSettings settings, ScriptedServer server,
      String key) throws Exception {
    return deliver(settings, false, server, key);
  }

  private TransactionResult deliver(ClientSettings settings, boolean implicitTls,
      ScriptedServer server, String key) throws Exception {
    SaslPasswords passwords = new SaslPasswords(FixedTable.of("hash:sasl_passwd",
        List.of(Map.entry(key, "me@example.org:" + PASSWORD)), true), false);
    try (SmtpClient client = SmtpClient.create(settings, passwords, kit.log)) {
      return client.deliver(
          new Destination("example.org", List.of(server.endpoint()), settings.tlsLevel(),
              implicitTls, "[localhost]:" + server.port(), "sender@client.example"),
          kit.message("Subject: auth\n\nhello\n", "a@example.org"),
          Transcript.printingTo(new PrintStream(dialogue, true, StandardCharsets.UTF_8)));
    }
  }

  private String dialogue() {
    return dialogue.toString(StandardCharsets.UTF_8);
  }

  /** STARTTLS, then EHLO again offering {@code auth}. */
  private static void startTls(ScriptedServer.Peer p, String auth) throws Exception {
    SmtpTestKit.greet(p, "STARTTLS", auth);
    p.expect("STARTTLS");
    p.send("220 2.0.0 Ready to start TLS");
    p.startTls(serverTls);
    p.expect("EHLO " + SmtpTestKit.ME);
    SmtpTestKit.ehlo(p, auth);
  }

  @Test
  void logsInWithPlainInsideStarttlsAndHidesTheResponse() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      startTls(p, "AUTH LOGIN PLAIN");
      p.expect("AUTH PLAIN " + PLAIN_RESPONSE);
      p.send("235 2.7.0 Authentication successful");
      SmtpTestKit.acceptMessage(p);
    });
    TransactionResult r = deliver(settings(TlsLevel.MAY), server, "[localhost]:"
        + server.port());
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertTrue(dialogue().contains(">>> AUTH PLAIN ****\n"), dialogue());
    assertFalse(dialogue().contains(PLAIN_RESPONSE), dialogue());
    assertFalse(kit.log().contains(PLAIN_RESPONSE) || kit.log().contains(PASSWORD), kit.log());
  }

  @Test
  void answersLoginPromptsWithUserThenPassword() throws Exception {
    String user = Base64.getEncoder().encodeToString("me@example.org".getBytes(
        StandardCharsets.UTF_8));
    String pass = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
    ScriptedServer server = new ScriptedServer(p -> {
      startTls(p, "AUTH=LOGIN");
      p.expect("AUTH LOGIN");
      p.send("334 VXNlcm5hbWU6");
      p.expect(user);
      p.send("334 UGFzc3dvcmQ6");
      p.expect(pass);
      p.send("235 2.7.0 Authentication successful");
      SmtpTestKit.acceptMessage(p);
    });
    TransactionResult r = deliver(settings(TlsLevel.ENCRYPT), server, "localhost");
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertTrue(dialogue().contains(">>> AUTH LOGIN\n334 VXNlcm5hbWU6\n>>> ****\n"
        + "334 UGFzc3dvcmQ6\n>>> ****\n235"), dialogue());
  }

  @Test
  void prefersCramMd5AndAnswersTheChallenge() throws Exception {
    String challenge = "<1896.697170952@postoffice.example.net>";
    Mac mac = Mac.getInstance("HmacMD5");
    mac.init(new SecretKeySpec(PASSWORD.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
    String expected = Base64.getEncoder().encodeToString(("me@example.org "
        + HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8))))
        .getBytes(StandardCharsets.UTF_8));
    ScriptedServer server = new ScriptedServer(p -> {
      startTls(p, "AUTH PLAIN LOGIN CRAM-MD5");
      p.expect("AUTH CRAM-MD5");
      p.send("334 " + Base64.getEncoder().encodeToString(challenge.getBytes(
          StandardCharsets.UTF_8)));
      p.expect(expected);
      p.send("235 2.7.0 Authentication successful");
      SmtpTestKit.acceptMessage(p);
    });
    TransactionResult r = deliver(settings(TlsLevel.MAY), server, "localhost");
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
  }

  @Test
  void defersARefusedLoginInPostfixWordsWithoutSendingTheMail() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      startTls(p, "AUTH PLAIN");
      p.expect("AUTH PLAIN ");
      p.send("535 5.7.8 Error: authentication failed: bad password");
      p.expectQuit();
    });
    TransactionResult r = deliver(settings(TlsLevel.MAY), server, "localhost");
    server.close();

    assertInstanceOf(Deferred.class, r.recipients().get(0).outcome());
    assertEquals("4.7.8 SASL authentication failed; server localhost[127.0.0.1] said: 535 5.7.8"
        + " Error: authentication failed: bad password",
        r.recipients().get(0).outcome().status().toString());
    assertTrue(server.received().stream().noneMatch(l -> l.startsWith("MAIL")));
  }

  @Test
  void sendsNoPasswordWithoutTlsUnderTheDefaultOptions() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "AUTH PLAIN LOGIN");
      p.expectQuit();
    });
    TransactionResult r = deliver(settings(TlsLevel.MAY), server, "localhost");
    server.close();

    assertInstanceOf(Deferred.class, r.recipients().get(0).outcome());
    assertEquals("4.7.0 SASL authentication failed; cannot authenticate to server"
        + " localhost[127.0.0.1]: no mechanism available (offered: PLAIN LOGIN, without TLS;"
        + " smtp_sasl_security_options = noanonymous, noplaintext)",
        r.recipients().get(0).outcome().status().toString());
    assertTrue(server.received().stream().noneMatch(l -> l.startsWith("AUTH")));
  }

  @Test
  void sendsNoPasswordToAServerThatOffersNoAuth() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      startTls(p, "PIPELINING");
      SmtpTestKit.acceptMessage(p);
    });
    TransactionResult r = deliver(settings(TlsLevel.MAY), server, "localhost");
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertTrue(server.received().stream().noneMatch(l -> l.startsWith("AUTH")));
  }

  @Test
  void sendsNoPasswordToAServerWithoutAnEntry() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      startTls(p, "AUTH PLAIN");
      SmtpTestKit.acceptMessage(p);
    });
    TransactionResult r = deliver(settings(TlsLevel.MAY), server, "[other.example]");
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertTrue(server.received().stream().noneMatch(l -> l.startsWith("AUTH")));
  }

  @Test
  void startsTlsBeforeTheGreetingInWrapperMode() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      p.startTls(serverTls);
      SmtpTestKit.greet(p, "AUTH PLAIN");
      p.expect("AUTH PLAIN " + PLAIN_RESPONSE);
      p.send("235 2.7.0 Authentication successful");
      SmtpTestKit.acceptMessage(p);
    });
    TransactionResult r = deliver(settings(TlsLevel.ENCRYPT), true, server, "localhost");
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertTrue(server.received().stream().noneMatch(l -> l.startsWith("STARTTLS")));
    assertTrue(kit.log().contains("TLS connection established to localhost[127.0.0.1]"),
        kit.log());
  }

  @Test
  void refusesWrapperModeAtLevelMayWithoutConnecting() throws Exception {
    ScriptedServer server = new ScriptedServer();
    TransactionResult r = deliver(settings(TlsLevel.MAY), true, server, "localhost");
    server.close();

    assertEquals("4.7.5 smtp_tls_wrappermode requires smtp_tls_security_level = encrypt (or"
        + " stronger)", r.recipients().get(0).outcome().status().toString());
    assertEquals(0, server.connections());
  }
}
