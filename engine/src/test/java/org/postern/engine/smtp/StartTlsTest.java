package org.postern.engine.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DeliveryOutcome.Deferred;
import org.postern.engine.global.DeliveryOutcome.Delivered;

/**
 * STARTTLS at each security level against a scripted server with a self-signed certificate
 * for localhost: what is accepted, what defers, and that a failed handshake at level may is
 * retried in plaintext on a new connection, never on the old one.
 */
class StartTlsTest {
  @TempDir static Path certs;
  private static TestCertificate cert;
  private static SSLContext serverTls;

  @TempDir Path dir;
  private SmtpTestKit kit;

  @BeforeAll
  static void makeCertificate() throws Exception {
    cert = TestCertificate.create(certs);
    serverTls = cert.serverContext();
  }

  @BeforeEach
  void setUp() {
    kit = new SmtpTestKit(dir);
  }

  private TransactionResult deliver(ClientSettings settings, ScriptedServer server)
      throws Exception {
    try (SmtpClient client = SmtpClient.create(settings, kit.log)) {
      return client.deliver(SmtpTestKit.destination(settings.tlsLevel(), server.endpoint()),
          kit.message("Subject: tls\n\nsecret\n", "a@example.org"));
    }
  }

  private static void deliverOverTls(ScriptedServer.Peer p) throws Exception {
    SmtpTestKit.greet(p, "PIPELINING", "STARTTLS");
    p.expect("STARTTLS");
    p.send("220 2.0.0 Ready to start TLS");
    p.startTls(serverTls);
    p.expect("EHLO client.example");
    SmtpTestKit.ehlo(p, "PIPELINING");
    SmtpTestKit.acceptMessage(p);
  }

  @Test
  void defersWhenEncryptIsRequiredAndStarttlsIsNotOffered() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "PIPELINING");
      p.expectQuit();
    });
    TransactionResult r = deliver(SmtpTestKit.settings(TlsLevel.ENCRYPT, 2000), server);
    server.close();

    assertEquals("4.7.4 TLS is required, but was not offered by host localhost[127.0.0.1]",
        r.recipients().get(0).outcome().status().toString());
    assertTrue(server.received().stream().noneMatch(l -> l.startsWith("MAIL")));
  }

  @Test
  void acceptsASelfSignedCertificateAtLevelMay() throws Exception {
    ScriptedServer server = new ScriptedServer(StartTlsTest::deliverOverTls);
    TransactionResult r = deliver(SmtpTestKit.settings(TlsLevel.MAY, 2000), server);
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertTrue(kit.log().contains("Untrusted TLS connection established to localhost[127.0.0.1]:"
        + server.port() + ": TLSv1.3 with cipher TLS_"), kit.log());
    assertEquals(2, server.received().stream().filter(l -> l.startsWith("EHLO")).count());
  }

  @Test
  void acceptsASelfSignedCertificateAtLevelEncrypt() throws Exception {
    ScriptedServer server = new ScriptedServer(StartTlsTest::deliverOverTls);
    TransactionResult r = deliver(SmtpTestKit.settings(TlsLevel.ENCRYPT, 2000), server);
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
  }

  @Test
  void defersASelfSignedCertificateAtLevelVerify() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "STARTTLS");
      p.expect("STARTTLS");
      p.send("220 2.0.0 Ready to start TLS");
      try {
        p.startTls(serverTls);
        throw new AssertionError("the client accepted an unverifiable certificate");
      } catch (IOException expected) {
        // The client refused our certificate, as it should.
      }
    });
    TransactionResult r = deliver(SmtpTestKit.settings(TlsLevel.VERIFY, 2000), server);
    server.close();

    assertInstanceOf(Deferred.class, r.recipients().get(0).outcome());
    assertEquals("4.7.5 Server certificate not verified",
        r.recipients().get(0).outcome().status().toString());
    assertEquals(1, server.connections());
  }

  @Test
  void verifiesAgainstTheConfiguredCaFile() throws Exception {
    ScriptedServer server = new ScriptedServer(StartTlsTest::deliverOverTls);
    ClientSettings settings = new ClientSettings(SmtpTestKit.ME, SmtpTestKit.ME,
        Timeouts.all(2000), TlsLevel.VERIFY, Optional.of(cert.pem()), false,
        SaslSettings.DISABLED);
    TransactionResult r = deliver(settings, server);
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertTrue(kit.log().contains("Verified TLS connection established to localhost"), kit.log());
  }

  @Test
  void retriesInPlaintextOnANewConnectionWhenTheHandshakeFailsAtLevelMay() throws Exception {
    ScriptedServer server = new ScriptedServer(
        p -> {
          SmtpTestKit.greet(p, "PIPELINING", "STARTTLS");
          p.expect("STARTTLS");
          p.send("220 2.0.0 Ready to start TLS");
          p.send("this is not a TLS record at all");
          p.drainUntilClosed();
        },
        p -> {
          SmtpTestKit.greet(p, "PIPELINING", "STARTTLS");
          SmtpTestKit.acceptMessage(p); // no STARTTLS this time
        });
    TransactionResult r = deliver(SmtpTestKit.settings(TlsLevel.MAY, 2000), server);
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertEquals(2, server.connections());
    assertEquals(1, server.received().stream().filter(l -> l.equals("STARTTLS")).count());
    assertTrue(kit.log().contains("trying plaintext on a new connection"), kit.log());
    assertTrue(server.received().indexOf("MAIL FROM:<sender@client.example>")
        > server.received().lastIndexOf("EHLO client.example"), "MAIL only on the new one");
  }

  @Test
  void defersWhenTheHandshakeFailsAtLevelEncrypt() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "STARTTLS");
      p.expect("STARTTLS");
      p.send("220 2.0.0 Ready to start TLS");
      p.send("this is not a TLS record at all");
      p.drainUntilClosed();
    });
    TransactionResult r = deliver(SmtpTestKit.settings(TlsLevel.ENCRYPT, 2000), server);
    server.close();

    assertEquals("4.7.5 Cannot start TLS: handshake failure",
        r.recipients().get(0).outcome().status().toString());
    assertEquals(1, server.connections());
  }

  @Test
  void defersACertificateForAnotherNameAtLevelVerifyEvenWithItsCa() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "STARTTLS");
      p.expect("STARTTLS");
      p.send("220 2.0.0 Ready to start TLS");
      try {
        p.startTls(serverTls);
        throw new AssertionError("the client accepted a certificate for another name");
      } catch (IOException expected) {
        // The client refused our certificate, as it should.
      }
    });
    ClientSettings settings = new ClientSettings(SmtpTestKit.ME, SmtpTestKit.ME,
        Timeouts.all(2000), TlsLevel.VERIFY, Optional.of(cert.pem()), false,
        SaslSettings.DISABLED);
    Endpoint elsewhere = new Endpoint("mx.other.example", server.endpoint().address(),
        server.endpoint().shownAddress());
    TransactionResult r;
    try (SmtpClient client = SmtpClient.create(settings, kit.log)) {
      r = client.deliver(SmtpTestKit.destination(TlsLevel.VERIFY, elsewhere),
          kit.message("x\n", "a@example.org"));
    }
    server.close();

    assertEquals("4.7.5 Server certificate not verified",
        r.recipients().get(0).outcome().status().toString());
  }

  @Test
  void goesOnInPlaintextWhenStarttlsIsRefusedAtLevelMay() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "STARTTLS");
      p.expect("STARTTLS");
      p.send("454 4.7.0 TLS not available due to local problem");
      SmtpTestKit.acceptMessage(p);
    });
    TransactionResult r = deliver(SmtpTestKit.settings(TlsLevel.MAY, 2000), server);
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertEquals(1, server.connections());
  }

  @Test
  void defersWhenStarttlsIsRefusedAtLevelEncrypt() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "STARTTLS");
      p.expect("STARTTLS");
      p.send("454 4.7.0 TLS not available due to local problem");
      p.expectQuit();
    });
    TransactionResult r = deliver(SmtpTestKit.settings(TlsLevel.ENCRYPT, 2000), server);
    server.close();

    assertEquals("4.7.0 TLS is required, but host localhost[127.0.0.1] refused to start TLS:"
        + " 454 4.7.0 TLS not available due to local problem",
        r.recipients().get(0).outcome().status().toString());
  }
}
