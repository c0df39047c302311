package org.postern.engine.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.engine.global.DeliveryOutcome;
import org.postern.engine.global.DeliveryOutcome.Bounced;
import org.postern.engine.global.DeliveryOutcome.Deferred;
import org.postern.engine.global.DeliveryOutcome.Delivered;
import org.postern.engine.queue.Envelope;
import org.postern.engine.queue.QueueDirectory;
import org.postern.engine.queue.QueueFile;
import org.postern.engine.queue.QueueFileReader;
import org.postern.engine.queue.QueueFileWriter;
import org.postern.engine.queue.Recipient;

/**
 * The SMTP client against a scripted server: replies, delays and disconnects are injected at
 * every stage and each recipient's outcome, the texts Postfix would give, and what reached
 * the far end are checked.
 */
class SmtpClientTest {
  private static final String SENDER = "MAIL FROM:<sender@client.example>";

  @TempDir Path dir;
  private SmtpTestKit kit;

  @BeforeEach
  void setUp() {
    kit = new SmtpTestKit(dir);
  }

  private TransactionResult deliver(ScriptedServer server, OutgoingMessage msg) throws Exception {
    try (SmtpClient client = kit.client()) {
      return client.deliver(SmtpTestKit.destination(TlsLevel.NONE, server.endpoint()), msg);
    }
  }

  private static void acceptRest(ScriptedServer.Peer p, int recipients) throws Exception {
    for (int i = 0; i < recipients; i++) {
      p.expect("RCPT TO:");
      p.send("250 2.1.5 Ok");
    }
    p.expect("DATA");
    p.send("354 End data with <CR><LF>.<CR><LF>");
    p.readData();
    p.send("250 2.0.0 Ok: queued as 1A2B3C");
    p.expectQuit();
  }

  @Test
  void bouncesEveryRecipientWhenTheOnlyServerGreetsWith554() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      p.send("554 5.7.1 mx.example.org no thanks");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org", "b@example.org"));
    server.close();

    for (RecipientResult rr : r.recipients()) {
      assertInstanceOf(Bounced.class, rr.outcome());
      assertEquals("5.7.1", rr.outcome().status().code());
      assertEquals("host localhost[127.0.0.1] refused to talk to me: "
          + "554 5.7.1 mx.example.org no thanks", rr.outcome().reason());
      assertEquals("dns; localhost", rr.remote().orElseThrow().remoteMta());
      assertEquals("smtp; 554 5.7.1 mx.example.org no thanks",
          rr.remote().orElseThrow().diagnosticCode());
    }
  }

  @Test
  void triesTheNextServerWhenOneRefusesConnectionsOrGreetsWith421() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Endpoint refusing = new Endpoint("mx1.example.org",
        new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
    ScriptedServer busy = new ScriptedServer(p -> {
      p.send("421 4.3.2 mx2.example.org busy");
      p.expectQuit();
    });
    ScriptedServer good = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 2.1.0 Ok");
      acceptRest(p, 1);
    });

    TransactionResult r;
    try (SmtpClient client = kit.client()) {
      r = client.deliver(SmtpTestKit.destination(TlsLevel.NONE, refusing, busy.endpoint(),
          good.endpoint()), kit.message("x\n", "a@example.org"));
    }
    busy.close();
    good.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertEquals(good.endpoint().namaddrport(), r.relay());
    assertTrue(kit.log().contains("connect to mx1.example.org[127.0.0.1]:" + closedPort
        + ": Connection refused"), kit.log());
    assertTrue(kit.log().contains("refused to talk to me: 421 4.3.2"), kit.log());
  }

  @Test
  void defersWhenTheLastServerGreetsWith421() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      p.send("421 mx.example.org closing");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org"));
    server.close();

    DeliveryOutcome o = r.recipients().get(0).outcome();
    assertInstanceOf(Deferred.class, o);
    assertEquals("4.0.0", o.status().code()); // derived: the server sent no enhanced code
  }

  @Test
  void fallsBackToHeloWhenEhloIsRefusedWith5xx() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      p.send("220 mx.example.org SMTP");
      p.expect("EHLO client.example");
      p.send("502 5.5.2 Error: command not recognized");
      p.expect("HELO client.example");
      p.send("250 mx.example.org");
      p.expect(SENDER);
      p.send("250 Ok");
      acceptRest(p, 1);
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org"));
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    assertTrue(server.received().contains(SENDER), "no ESMTP parameters after HELO");
  }

  @Test
  void defersEveryRecipientAndSendsNoRcptWhenMailFromGets451() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("451 4.3.0 try again later");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org", "b@example.org"));
    server.close();

    for (RecipientResult rr : r.recipients()) {
      assertInstanceOf(Deferred.class, rr.outcome());
      assertEquals("4.3.0 host localhost[127.0.0.1] said: 451 4.3.0 try again later"
          + " (in reply to MAIL FROM command)", rr.outcome().status().toString());
    }
    assertTrue(server.received().stream().noneMatch(l -> l.startsWith("RCPT")));
  }

  @Test
  void bouncesEveryRecipientWhenPipelinedMailFromGets553() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "PIPELINING");
      p.expect(SENDER);
      p.send("553 5.1.8 sender domain does not exist");
      p.expect("RCPT TO:<a@example.org>");
      p.send("503 5.5.1 Error: need MAIL command");
      p.expect("RCPT TO:<b@example.org>");
      p.send("503 5.5.1 Error: need MAIL command");
      p.expect("DATA");
      p.send("503 5.5.1 Error: need RCPT command");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org", "b@example.org"));
    server.close();

    for (RecipientResult rr : r.recipients()) {
      assertInstanceOf(Bounced.class, rr.outcome());
      assertEquals("5.1.8", rr.outcome().status().code());
      assertTrue(rr.outcome().reason().endsWith("(in reply to MAIL FROM command)"));
    }
  }

  @Test
  void decidesEachRecipientByItsOwnRcptReply() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "PIPELINING");
      p.expect(SENDER);
      p.send("250 2.1.0 Ok");
      p.expect("RCPT TO:<ok@example.org>");
      p.send("250 2.1.5 Ok");
      p.expect("RCPT TO:<busy@example.org>");
      p.send("450 4.2.1 <busy@example.org>: mailbox busy");
      p.expect("RCPT TO:<gone@example.org>");
      p.send("550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown");
      p.expect("DATA");
      p.send("354 go ahead");
      p.readData();
      p.send("250 2.0.0 Ok: queued as 1A2B3C");
      p.expectQuit();
    });
    TransactionResult r = deliver(server,
        kit.message("x\n", "ok@example.org", "busy@example.org", "gone@example.org"));
    server.close();

    List<RecipientResult> rs = r.recipients();
    assertEquals(new Delivered(new org.postern.engine.global.DsnStatus("2.0.0",
        "250 2.0.0 Ok: queued as 1A2B3C")), rs.get(0).outcome());
    assertInstanceOf(Deferred.class, rs.get(1).outcome());
    assertEquals("4.2.1", rs.get(1).outcome().status().code());
    assertInstanceOf(Bounced.class, rs.get(2).outcome());
    assertEquals("host localhost[127.0.0.1] said: 550 5.1.1 <gone@example.org>: Recipient"
        + " address rejected: User unknown (in reply to RCPT TO command)",
        rs.get(2).outcome().reason());
    assertEquals("smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown",
        rs.get(2).remote().orElseThrow().diagnosticCode());
  }

  @Test
  void derivesTheEnhancedCodeWhenTheServerSendsNone() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      p.expect("RCPT TO:");
      p.send("550 no such user here");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "gone@example.org"));
    server.close();

    assertEquals("5.0.0", r.recipients().get(0).outcome().status().code());
  }

  @Test
  void sendsNoDataWhenEveryRecipientIsRefused() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      p.expect("RCPT TO:<a@example.org>");
      p.send("550 5.1.1 unknown");
      p.expect("RCPT TO:<b@example.org>");
      p.send("550 5.1.1 unknown");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org", "b@example.org"));
    server.close();

    assertTrue(r.recipients().stream().allMatch(rr -> rr.outcome() instanceof Bounced));
    assertTrue(server.received().stream().noneMatch(l -> l.equals("DATA")));
  }

  @Test
  void endsAPipelinedDataEmptyWhenNoRecipientWasAccepted() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "PIPELINING");
      p.expect(SENDER);
      p.send("250 Ok");
      p.expect("RCPT TO:<a@example.org>");
      p.send("550 5.1.1 unknown");
      p.expect("DATA");
      p.send("354 go ahead"); // a server that should have said 554
      p.readData();
      p.send("554 5.5.1 Error: no valid recipients");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("secret body\n", "a@example.org"));
    server.close();

    assertInstanceOf(Bounced.class, r.recipients().get(0).outcome());
    assertEquals(1, server.messages().size());
    assertEquals(0, server.messages().get(0).length, "the body must not be sent");
  }

  @Test
  void bouncesAcceptedRecipientsWhen554FollowsTheData() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      p.expect("RCPT TO:<a@example.org>");
      p.send("250 Ok");
      p.expect("RCPT TO:<b@example.org>");
      p.send("450 4.2.0 later");
      p.expect("DATA");
      p.send("354 go ahead");
      p.readData();
      p.send("554 5.7.1 Message rejected as spam");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org", "b@example.org"));
    server.close();

    DeliveryOutcome a = r.recipients().get(0).outcome();
    assertInstanceOf(Bounced.class, a);
    assertEquals("host localhost[127.0.0.1] said: 554 5.7.1 Message rejected as spam"
        + " (in reply to end of DATA command)", a.reason());
    assertEquals("4.2.0", r.recipients().get(1).outcome().status().code());
  }

  @Test
  void bouncesWithoutSendingWhenTheServerSizeLimitIsSmaller() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "SIZE 10");
      p.expectQuit();
    });
    OutgoingMessage msg = kit.message("Subject: big\n\nthis is more than ten bytes\n",
        "a@example.org");
    TransactionResult r = deliver(server, msg);
    server.close();

    DeliveryOutcome o = r.recipients().get(0).outcome();
    assertInstanceOf(Bounced.class, o);
    assertEquals("5.3.4 message size " + msg.content().size()
        + " exceeds size limit 10 of server localhost[127.0.0.1]", o.status().toString());
    assertEquals(List.of("EHLO client.example", "QUIT"), server.received());
  }

  @Test
  void announcesTheWireSizeAndBouncesOn552() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "SIZE 1000000");
      p.expect(SENDER + " SIZE=21");
      p.send("552 5.3.4 Message size exceeds fixed limit");
      p.expectQuit();
    });
    // 18 bytes with three LFs: 21 bytes once each line ends in CRLF.
    TransactionResult r = deliver(server, kit.message("Subject: x\n\nhello\n", "a@example.org"));
    server.close();

    assertInstanceOf(Bounced.class, r.recipients().get(0).outcome());
    assertEquals("5.3.4", r.recipients().get(0).outcome().status().code());
  }

  @Test
  void defersWhenTheServerAnswersRcptWith552() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      p.expect("RCPT TO:");
      p.send("552 5.5.3 too many recipients");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org"));
    server.close();

    assertInstanceOf(Deferred.class, r.recipients().get(0).outcome());
    assertEquals("4.5.3", r.recipients().get(0).outcome().status().code());
  }

  @Test
  void defersWhenTheGreetingIsSlowerThanTheTimeout() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      p.sleep(300);
      p.drainUntilClosed();
    });
    TransactionResult r;
    try (SmtpClient client = SmtpClient.create(SmtpTestKit.settings(TlsLevel.NONE, 100),
        kit.log)) {
      r = client.deliver(SmtpTestKit.destination(TlsLevel.NONE, server.endpoint()),
          kit.message("x\n", "a@example.org"));
    }
    server.close();

    assertEquals("4.4.2 conversation with localhost[127.0.0.1] timed out while receiving the"
        + " initial server greeting", r.recipients().get(0).outcome().status().toString());
  }

  @Test
  void defersWhenTheEndOfDataReplyIsSlowerThanTheTimeout() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      p.expect("RCPT TO:");
      p.send("250 Ok");
      p.expect("DATA");
      p.send("354 go ahead");
      p.readData();
      p.sleep(300);
      p.drainUntilClosed();
    });
    TransactionResult r;
    try (SmtpClient client = SmtpClient.create(SmtpTestKit.settings(TlsLevel.NONE, 100),
        kit.log)) {
      r = client.deliver(SmtpTestKit.destination(TlsLevel.NONE, server.endpoint()),
          kit.message("x\n", "a@example.org"));
    }
    server.close();

    assertEquals("4.4.2 conversation with localhost[127.0.0.1] timed out while sending end of"
        + " data -- message may be sent more than once",
        r.recipients().get(0).outcome().status().toString());
  }

  @Test
  void defersWhenTheServerStopsReadingTheBody() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      p.expect("RCPT TO:");
      p.send("250 Ok");
      p.expect("DATA");
      p.send("354 go ahead");
      p.sleep(500); // reads nothing while the client's writes fill the socket buffers
      p.drainUntilClosed();
    });
    byte[] big = new byte[32 << 20];
    java.util.Arrays.fill(big, (byte) 'x');
    for (int i = 76; i < big.length; i += 77) {
      big[i] = '\n';
    }
    TransactionResult r;
    try (SmtpClient client = SmtpClient.create(SmtpTestKit.settings(TlsLevel.NONE, 100),
        kit.log)) {
      r = client.deliver(SmtpTestKit.destination(TlsLevel.NONE, server.endpoint()),
          kit.message(big, "a@example.org"));
    }
    server.close();

    assertEquals("4.4.2 conversation with localhost[127.0.0.1] timed out while sending message"
        + " body", r.recipients().get(0).outcome().status().toString());
  }

  @Test
  void defersEveryRecipientWhenTheConnectionDropsAfterTheData() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "PIPELINING");
      p.expect(SENDER);
      p.send("250 Ok");
      p.expect("RCPT TO:<a@example.org>");
      p.send("250 Ok");
      p.expect("RCPT TO:<b@example.org>");
      p.send("550 5.1.1 unknown");
      p.expect("DATA");
      p.send("354 go ahead");
      p.readData();
      p.hangUp();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org", "b@example.org"));
    server.close();

    assertEquals("4.4.2 lost connection with localhost[127.0.0.1] while sending end of data"
        + " -- message may be sent more than once",
        r.recipients().get(0).outcome().status().toString());
    assertInstanceOf(Bounced.class, r.recipients().get(1).outcome(), "decided before the drop");
  }

  @Test
  void bouncesAsAMailLoopWhenTheServerGivesOurOwnName() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      p.send("220 client.example ESMTP");
      p.expect("EHLO client.example");
      p.send("250-client.example", "250 PIPELINING");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "a@example.org"));
    server.close();

    assertEquals("5.4.6 mail for example.org loops back to myself",
        r.recipients().get(0).outcome().status().toString());
    assertTrue(kit.log().contains("warning: host localhost[127.0.0.1]:" + server.port()
        + " replied to HELO/EHLO with my own hostname client.example"), kit.log());
  }

  @Test
  void dotStuffsAndEndsEveryLineWithCrlfAtTheFarEnd() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      acceptRest(p, 1);
    });
    byte[] content = ("Subject: dots\n\n.leading\n..two\n.\nmid.dle\r\nalready crlf\n"
        + "bare\rcr\n\n.\n. \nno final newline.").getBytes(StandardCharsets.UTF_8);
    TransactionResult r = deliver(server, kit.message(content, "a@example.org"));
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
    byte[] expected = ("Subject: dots\r\n\r\n..leading\r\n...two\r\n..\r\nmid.dle\r\n"
        + "already crlf\r\nbare\rcr\r\n\r\n..\r\n.. \r\nno final newline.\r\n")
        .getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, server.messages().get(0));
  }

  @Test
  void reusesOneConnectionForTwoMessagesWithRsetBetween() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "PIPELINING");
      for (int i = 0; i < 2; i++) {
        p.expect(SENDER);
        p.send("250 Ok");
        p.expect("RCPT TO:");
        p.send("250 Ok");
        p.expect("DATA");
        p.send("354 go ahead");
        p.readData();
        p.send("250 2.0.0 Ok: queued as Q" + i);
        if (i == 0) {
          p.expect("RSET");
          p.send("250 2.0.0 Ok");
        }
      }
      p.expectQuit();
    });
    ByteArrayOutputStream dialogue = new ByteArrayOutputStream();
    Transcript transcript =
        Transcript.printingTo(new PrintStream(dialogue, true, StandardCharsets.UTF_8));
    TransactionResult first;
    TransactionResult second;
    try (SmtpClient client = kit.client();
        Session session =
            client.connect(SmtpTestKit.destination(TlsLevel.NONE, server.endpoint()),
                transcript)) {
      first = session.send(kit.message("one\n", "a@example.org"));
      assertThrows(IllegalStateException.class,
          () -> session.send(kit.message("too soon\n", "a@example.org")));
      assertTrue(session.reset());
      second = session.send(kit.message("two\n", "b@example.org"));
    }
    server.close();

    assertEquals("250 2.0.0 Ok: queued as Q0", first.recipients().get(0).outcome().reason());
    assertEquals("250 2.0.0 Ok: queued as Q1", second.recipients().get(0).outcome().reason());
    assertEquals(1, server.connections());
    assertEquals(2, server.messages().size());
    String text = dialogue.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("220 mx.example.org ESMTP\n>>> EHLO client.example\n"), text);
    assertTrue(text.contains(">>> RSET\n250 2.0.0 Ok\n"), text);
    assertTrue(text.endsWith(">>> QUIT\n"), text);
  }

  @Test
  void closesTheSessionWhenRsetIsRefused() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      acceptRestWithoutQuit(p);
      p.expect("RSET");
      p.send("421 4.3.2 shutting down");
      p.drainUntilClosed();
    });
    try (SmtpClient client = kit.client();
        Session session =
            client.connect(SmtpTestKit.destination(TlsLevel.NONE, server.endpoint()))) {
      session.send(kit.message("one\n", "a@example.org"));
      assertFalse(session.reset());
      assertFalse(session.isOpen());
      assertThrows(IllegalStateException.class,
          () -> session.send(kit.message("two\n", "a@example.org")));
    }
    server.close();
  }

  private static void acceptRestWithoutQuit(ScriptedServer.Peer p) throws Exception {
    p.expect("RCPT TO:");
    p.send("250 Ok");
    p.expect("DATA");
    p.send("354 go ahead");
    p.readData();
    p.send("250 Ok");
  }

  @Test
  void bouncesWith567WhenSmtputf8IsNeededButNotOffered() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "8BITMIME");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "j\u00fcrgen@example.org"));
    server.close();

    assertEquals("5.6.7 SMTPUTF8 is required, but was not offered by host"
        + " localhost[127.0.0.1]", r.recipients().get(0).outcome().status().toString());
    assertEquals(List.of("EHLO client.example", "QUIT"), server.received());
  }

  @Test
  void asksForSmtputf8WhenAnAddressNeedsIt() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "SMTPUTF8");
      p.expect(SENDER + " SMTPUTF8");
      p.send("250 Ok");
      p.expect("RCPT TO:<j\u00fcrgen@example.org>");
      p.send("250 Ok");
      p.expect("DATA");
      p.send("354 go ahead");
      p.readData();
      p.send("250 Ok");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, kit.message("x\n", "j\u00fcrgen@example.org"));
    server.close();

    assertInstanceOf(Delivered.class, r.recipients().get(0).outcome());
  }

  @Test
  void declaresEightBitBodiesWhenOfferedAndSendsThemAnywayWhenNot() throws Exception {
    ScriptedServer offering = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "8BITMIME");
      p.expect(SENDER + " BODY=8BITMIME");
      p.send("250 Ok");
      acceptRest(p, 1);
    });
    ScriptedServer plain = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expect(SENDER);
      p.send("250 Ok");
      acceptRest(p, 1);
    });
    String content = "Subject: caf\u00e9\n\nna\u00efve\n";
    TransactionResult a = deliver(offering, kit.message(content, "a@example.org"));
    TransactionResult b = deliver(plain, kit.message(content, "a@example.org"));
    offering.close();
    plain.close();

    assertInstanceOf(Delivered.class, a.recipients().get(0).outcome());
    assertInstanceOf(Delivered.class, b.recipients().get(0).outcome());
    assertTrue(plain.received().contains(SENDER));
    assertArrayEquals("Subject: caf\u00e9\r\n\r\nna\u00efve\r\n".getBytes(StandardCharsets.UTF_8),
        plain.messages().get(0));
  }

  @Test
  void bouncesEightBitMailToA7BitServerWhenStrict() throws Exception {
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p);
      p.expectQuit();
    });
    ClientSettings strict = new ClientSettings(SmtpTestKit.ME, SmtpTestKit.ME,
        Timeouts.all(2000), TlsLevel.NONE, Optional.empty(), true, SaslSettings.DISABLED);
    TransactionResult r;
    try (SmtpClient client = SmtpClient.create(strict, kit.log)) {
      r = client.deliver(SmtpTestKit.destination(TlsLevel.NONE, server.endpoint()),
          kit.message("na\u00efve\n", "a@example.org"));
    }
    server.close();

    assertEquals("5.6.3", r.recipients().get(0).outcome().status().code());
  }

  @Test
  void passesDsnParametersFromTheQueueFileWhenTheServerOffersDsn() throws Exception {
    Envelope env = new Envelope(0, 1000, "alice", "alice@client.example",
        List.of(new Recipient("bob@example.org", "Bob+x@example.org", "failure,success"),
            new Recipient("carol@example.org")),
        Map.of(Envelope.ATTR_RET, "hdrs", Envelope.ATTR_ENVID, "QQ 3=1"));
    Path file = dir.resolve("queued");
    QueueFileWriter.write(file, QueueDirectory.FILE_MODE, env,
        out -> out.write("Subject: dsn\n\nbody\n".getBytes(StandardCharsets.US_ASCII)));
    QueueFile queued = QueueFileReader.read(file);
    OutgoingMessage msg = OutgoingMessage.of("4ABCDEF", queued, env.recipients());
    ScriptedServer server = new ScriptedServer(p -> {
      SmtpTestKit.greet(p, "DSN", "SIZE");
      p.expect("MAIL FROM:<alice@client.example> SIZE=22 RET=HDRS ENVID=QQ+203+3D1");
      p.send("250 Ok");
      p.expect("RCPT TO:<bob@example.org> NOTIFY=FAILURE,SUCCESS ORCPT=rfc822;Bob+2Bx@example.org");
      p.send("250 Ok");
      p.expect("RCPT TO:<carol@example.org> ORCPT=rfc822;carol@example.org");
      p.send("250 Ok");
      p.expect("DATA");
      p.send("354 go ahead");
      p.readData();
      p.send("250 Ok");
      p.expectQuit();
    });
    TransactionResult r = deliver(server, msg);
    server.close();

    assertTrue(r.recipients().stream().allMatch(rr -> rr.outcome() instanceof Delivered));
    assertArrayEquals("Subject: dsn\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII),
        server.messages().get(0));
  }
}
