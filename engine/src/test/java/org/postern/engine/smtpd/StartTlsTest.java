package org.postern.engine.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueId;
import org.postern.engine.queue.QueueState;

/**
 * STARTTLS (RFC 3207) through a real listener on 127.0.0.1 with certificates made by
 * openssl, against the JDK's TLS client: mail over TLS reaching the queue, each key format,
 * smtpd_tls_security_level = encrypt, the CVE-2011-0411 plaintext injection, state reset,
 * broken certificates, a failed handshake, and the read timeout over TLS.
 */
class StartTlsTest {
  @TempDir Path root;

  private ListenerInstance instance(String level, TestCertificates.Pair pair, String... more)
      throws Exception {
    String[] lines = new String[more.length + 3];
    lines[0] = "smtpd_tls_security_level = " + level;
    lines[1] = "smtpd_tls_cert_file = " + pair.cert();
    lines[2] = "smtpd_tls_key_file = " + pair.key();
    System.arraycopy(more, 0, lines, 3, more.length);
    return ListenerInstance.create(root, lines);
  }

  private TestCertificates.Pair rsa() throws Exception {
    return TestCertificates.create(root, "rsa", TestCertificates.KeyFormat.RSA_PKCS8);
  }

  private static SmtpTestClient connect(SmtpListener listener) throws IOException {
    SmtpTestClient client = new SmtpTestClient(listener.addresses().get(0));
    assertEquals("220 mail.example.org ESMTP Postern", client.line());
    return client;
  }

  /** EHLO, STARTTLS, the handshake; the connection is TLS afterwards. */
  private static SSLSocket startTls(SmtpTestClient client, TestCertificates.Pair pair)
      throws Exception {
    assertTrue(client.command("EHLO client.example.net").contains("250-STARTTLS"));
    assertEquals(List.of("220 2.0.0 Ready to start TLS"), client.command("STARTTLS"));
    return client.startTls(TestCertificates.trusting(pair.cert()));
  }

  @Test
  void queuesAMessageSentOverStartTls() throws Exception {
    TestCertificates.Pair pair = rsa();
    ListenerInstance inst = instance("may", pair);
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      SSLSocket tls = startTls(client, pair);
      List<String> ehlo = client.command("EHLO client.example.net");
      assertEquals("250-mail.example.org", ehlo.get(0));
      assertFalse(ehlo.contains("250-STARTTLS"), "not offered again: " + ehlo);

      String queued = client.send("bob@example.net", "alice@example.org",
          "Subject: secret\n\nover TLS\n");

      assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
      assertEquals(List.of("221 2.0.0 Bye"), client.command("QUIT"));
      String content = new String(lastQueued(inst).readContent(), StandardCharsets.UTF_8);
      String protocol = tls.getSession().getProtocol();
      String cipher = tls.getSession().getCipherSuite();
      assertTrue(content.contains("Received: from client.example.net (unknown [127.0.0.1])\n"
          + "\t(using " + protocol + " with cipher " + cipher + " ("), content);
      String id = queued.substring("250 2.0.0 Ok: queued as ".length());
      assertTrue(content.contains(" bits))\n\t(No client certificate requested)\n"
          + "\tby mail.example.org (Postern) with ESMTPS id " + id
          + "\n\tfor <alice@example.org>; "), content);
      assertTrue(content.endsWith("Subject: secret\n\nover TLS\n"), content);
      String log = inst.awaitLog("disconnect from");
      assertTrue(log.contains("smtpd[" + ProcessHandle.current().pid()
          + "]: Anonymous TLS connection established from unknown[127.0.0.1]: " + protocol
          + " with cipher " + cipher + " ("), log);
      assertTrue(log.contains("disconnect from unknown[127.0.0.1] ehlo=2 starttls=1 mail=1 "
          + "rcpt=1 data=1 quit=1 commands=7"), log);
    }
  }

  @ParameterizedTest
  @EnumSource(TestCertificates.KeyFormat.class)
  void startsTlsWithEachKeyFormatOpensslWrites(TestCertificates.KeyFormat format)
      throws Exception {
    TestCertificates.Pair pair = TestCertificates.create(root, "server", format);
    ListenerInstance inst = instance("may", pair);
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      SSLSocket tls = startTls(client, pair);

      assertEquals("250-mail.example.org", client.command("EHLO client.example.net").get(0));
      String expected = format.name().startsWith("EC") ? "EC" : "RSA";
      assertEquals(expected, tls.getSession().getPeerCertificates()[0].getPublicKey()
          .getAlgorithm());
    }
  }

  @Test
  void speaksTls12ByDefaultAndOnlyWhatSmtpdTlsProtocolsAllows() throws Exception {
    TestCertificates.Pair pair = rsa();
    ListenerInstance inst = instance("may", pair);
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      client.command("EHLO client.example.net");
      client.command("STARTTLS");
      SSLSocket tls = client.startTls(TestCertificates.trusting(pair.cert()), "TLSv1.2");
      assertEquals("TLSv1.2", tls.getSession().getProtocol());
    }
    inst.writeMainCf("smtpd_tls_security_level = may", "smtpd_tls_cert_file = " + pair.cert(),
        "smtpd_tls_key_file = " + pair.key(), "smtpd_tls_protocols = >=TLSv1.3");
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      client.command("EHLO client.example.net");
      client.command("STARTTLS");
      SSLSocketFactory factory = TestCertificates.trusting(pair.cert());

      assertThrows(IOException.class, () -> client.startTls(factory, "TLSv1.2"));
    }
  }

  @Test
  void refusesMailBeforeStartTlsUnderEncrypt() throws Exception {
    TestCertificates.Pair pair = rsa();
    ListenerInstance inst = instance("encrypt", pair);
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      client.command("EHLO client.example.net");
      String must = "530 5.7.0 Must issue a STARTTLS command first";
      assertEquals(List.of(must), client.command("MAIL FROM:<bob@example.net>"));
      assertEquals(List.of(must), client.command("RCPT TO:<alice@example.org>"));
      assertEquals(List.of(must), client.command("DATA"));
      assertEquals(List.of(must), client.command("VRFY alice"));
      assertEquals(List.of("250 2.0.0 Ok"), client.command("NOOP"));

      startTls(client, pair);
      client.command("EHLO client.example.net");
      String queued = client.send("bob@example.net", "alice@example.org", "Subject: x\n\ny\n");

      assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
      assertEquals(1, inst.system().queue().list(QueueState.INCOMING).size());
    }
  }

  /** CVE-2011-0411: a command pipelined after STARTTLS must not run inside the TLS session. */
  @Test
  void discardsPlaintextPipelinedAfterStartTls() throws Exception {
    TestCertificates.Pair pair = rsa();
    ListenerInstance inst = instance("may", pair);
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      client.command("EHLO client.example.net");
      client.write("STARTTLS\r\nRSET\r\n");
      assertEquals("220 2.0.0 Ready to start TLS", client.line());
      client.startTls(TestCertificates.trusting(pair.cert()));

      List<String> first = client.command("EHLO again.example.net");

      assertEquals("250-mail.example.org", first.get(0), "RSET was answered: " + first);
      client.command("QUIT");
      String log = inst.awaitLog("disconnect from");
      assertTrue(log.contains("improper command pipelining after STARTTLS from "
          + "unknown[127.0.0.1]: 6 bytes of plaintext discarded"), log);
      assertFalse(log.contains("rset="), log);
    }
  }

  @Test
  void forgetsTheSessionAndRefusesASecondStartTls() throws Exception {
    TestCertificates.Pair pair = rsa();
    // With HELO required, a MAIL right after the handshake shows the EHLO was forgotten.
    ListenerInstance inst = instance("may", pair, "smtpd_helo_required = yes");
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      startTls(client, pair);

      assertEquals(List.of("503 5.5.1 Error: send HELO/EHLO first"),
          client.command("MAIL FROM:<bob@example.net>"));
      client.command("EHLO client.example.net");
      assertEquals(List.of("503 5.5.1 Error: TLS already active"), client.command("STARTTLS"));
      assertEquals(List.of("501 5.5.4 Syntax: STARTTLS"), client.command("STARTTLS x"));
    }
  }

  @Test
  void endsTheSessionWhenTheHandshakeFails() throws Exception {
    TestCertificates.Pair pair = rsa();
    ListenerInstance inst = instance("may", pair);
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      client.command("EHLO client.example.net");
      client.command("STARTTLS");

      client.write("this is not a TLS ClientHello\r\n");

      assertFalse(readToEnd(client).matches("(?s).*\\d{3}[ -].*"), "no SMTP reply after 220");
      String log = inst.awaitLog("disconnect from");
      assertTrue(log.contains("SSL_accept error from unknown[127.0.0.1]: "), log);
      assertTrue(log.contains("lost connection after STARTTLS from unknown[127.0.0.1]"), log);
    }
  }

  @Test
  void keepsTheReadTimeoutOverTls() throws Exception {
    TestCertificates.Pair pair = rsa();
    ListenerInstance inst = instance("may", pair, "smtpd_timeout = 1s");
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      startTls(client, pair);
      client.command("EHLO client.example.net");
      long start = System.nanoTime();

      assertEquals("421 4.4.2 mail.example.org Error: timeout exceeded", client.line());

      assertTrue(System.nanoTime() - start < 4_000_000_000L, "timed out late");
      assertTrue(inst.awaitLog("timeout after EHLO").contains(
          "timeout after EHLO from unknown[127.0.0.1]"));
    }
  }

  @Test
  void refusesStartTlsAndMailWhenTheCertificateIsMissing() throws Exception {
    Path missing = root.resolve("missing-cert.pem");
    ListenerInstance inst = instance("encrypt",
        new TestCertificates.Pair(missing, missing));
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      List<String> ehlo = client.command("EHLO client.example.net");
      assertFalse(ehlo.contains("250-STARTTLS"), ehlo.toString());
      String unavailable = "454 4.7.0 TLS not available due to local problem";
      assertEquals(List.of(unavailable), client.command("STARTTLS"));
      assertEquals(List.of(unavailable), client.command("MAIL FROM:<bob@example.net>"));
      assertEquals(List.of(unavailable), client.command("RCPT TO:<alice@example.org>"));
    }
    assertTrue(Pattern.compile("postern/smtpd\\[\\d+\\]: warning: cannot use the TLS "
        + "certificate and key on port 0: " + Pattern.quote(missing.toString())
        + ": No such file or directory; STARTTLS is not offered and mail is refused")
        .matcher(inst.log()).find(), inst.log());
  }

  @Test
  void warnsWhenTheKeyDoesNotMatchTheCertificate() throws Exception {
    TestCertificates.Pair one = rsa();
    TestCertificates.Pair other =
        TestCertificates.create(root, "other", TestCertificates.KeyFormat.RSA_PKCS8);
    ListenerInstance inst = instance("may", new TestCertificates.Pair(one.cert(), other.key()));
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      assertFalse(client.command("EHLO client.example.net").contains("250-STARTTLS"));
      assertEquals(List.of("454 4.7.0 TLS not available due to local problem"),
          client.command("STARTTLS"));
    }
    assertTrue(inst.log().contains(other.key() + ": the private key does not match the "
        + "certificate in " + one.cert()), inst.log());
  }

  @Test
  void answersStartTlsWith502WhenTlsIsNotConfigured() throws Exception {
    ListenerInstance inst = ListenerInstance.create(root);
    try (SmtpListener listener = inst.listen(); SmtpTestClient client = connect(listener)) {
      assertFalse(client.command("EHLO client.example.net").contains("250-STARTTLS"));
      assertEquals(List.of("502 5.5.1 Error: command not implemented"),
          client.command("STARTTLS"));
    }
  }

  @Test
  void sendmailBsNeverOffersStartTls() throws Exception {
    TestCertificates.Pair pair = rsa();
    ListenerInstance inst = instance("encrypt", pair);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String in = "EHLO localhost\r\nSTARTTLS\r\nMAIL FROM:<alice>\r\nQUIT\r\n";

    StdioSession.run(inst.system(), new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)),
        out);

    String replies = out.toString(StandardCharsets.UTF_8);
    assertFalse(replies.contains("STARTTLS"), replies);
    assertTrue(replies.contains("\r\n502 5.5.1 Error: command not implemented\r\n"
        + "250 2.1.0 Ok\r\n"), replies);
  }

  /** What the server sends until it hangs up (a TLS alert, here). */
  private static String readToEnd(SmtpTestClient client) throws IOException {
    StringBuilder all = new StringBuilder();
    try {
      for (String line = client.line(); line != null; line = client.line()) {
        all.append(line).append('\n');
      }
    } catch (SocketException e) {
      // reset: the server hung up on unread input
    }
    return all.toString();
  }

  private static QueueFile lastQueued(ListenerInstance inst) throws Exception {
    var queue = inst.system().queue();
    QueueId id = queue.list(QueueState.INCOMING).stream().max(QueueId::compareTo)
        .orElseThrow();
    Path file = queue.file(QueueState.INCOMING, id);
    assertTrue(Files.exists(file));
    return QueueFileReader.read(file);
  }
}
